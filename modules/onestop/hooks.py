"""One-stop rules plugged into the generated entities: receipt, hand-overs, the clock, the timeline."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from modules.engine import access
from modules.engine.dated import as_of
from modules.engine.errors import FieldProblem, InvalidInput, TransitionRefused
from modules.org.contact import check_contact

from . import events, notices, outbox, rules

ID_NUMBER = re.compile(r"^(\d{9}|\d{10}|\d{12}|\d{10}-\d{3})$")  # CMND, MST, CCCD, MST of a branch


# --- Procedure -----------------------------------------------------------------------


def validate_procedure(procedure: Any, user: Any) -> dict[str, list[str]]:
    if procedure.processing_days is not None and procedure.processing_days < 1:
        return {"processing_days": ["Ít nhất 1 ngày làm việc. / At least one working day."]}
    return {}


def validate_procedure_rows(
    procedure: Any, user: Any, field: str, rows: list[dict[str, Any]]
) -> dict[str, list[str]]:
    if field != "steps":
        return {}
    problems: dict[str, list[str]] = {}
    for i, row in enumerate(rows):
        if (row.get("working_days") or 0) < 0:
            problems[f"steps.{i}.working_days"] = ["Không âm. / Not negative."]
    total = sum(row.get("working_days") or 0 for row in rows)
    if procedure is not None and procedure.processing_days and total > procedure.processing_days:
        problems.setdefault("steps", []).append(
            f"Tổng số ngày các bước ({total}) vượt thời hạn giải quyết ({procedure.processing_days}). / "
            "The steps take longer than the procedure allows."
        )
    return problems


# --- Dossier: validation and every save ----------------------------------------------------


def validate_dossier(dossier: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    check_contact(dossier, problems)
    if dossier.applicant_id and not ID_NUMBER.match(dossier.applicant_id.strip()):
        problems["applicant_id"] = [
            "CCCD 12 số, CMND 9 số hoặc mã số doanh nghiệp 10 số. / "
            "A 12-digit citizen ID, 9-digit ID or 10-digit enterprise number."
        ]
    if dossier.pk is None and dossier.procedure_id and not dossier.procedure.is_active:
        problems["procedure"] = ["Thủ tục không còn áp dụng. / The procedure is no longer in force."]
    return problems


def before_dossier_save(dossier: Any, user: Any, created: bool) -> None:
    if created:
        dossier.agency_code = rules.agency_code()
        dossier.supplement_count = dossier.supplement_count or 0
        dossier._previous_state = None
    else:
        dossier._previous_state = (
            type(dossier).objects.filter(pk=dossier.pk).values_list("state", flat=True).first()
        )
    dossier.classification = classification_of(dossier, as_of(dossier))
    if dossier.state == "accepted" and dossier.transferred_at is None:  # waiting to be passed on
        dossier.transfer_late = rules.transfer_late(dossier.transfer_deadline, None, timezone.now())


def classification_of(dossier: Any, today: Any) -> str:
    return rules.classify(
        dossier.state,
        dossier.promised_date,
        timezone.localtime(dossier.finished_at).date() if dossier.finished_at else None,
        dossier.supplement_count or 0,
        today,
    )


def after_dossier_save(dossier: Any, user: Any, created: bool) -> None:
    if dossier.number and dossier.seq is None:  # the code was just given, on receipt (accept)
        seq = int(dossier.number.rsplit("-", 1)[1])
        dossier.seq, dossier.receipt_date = seq, timezone.localdate()
        type(dossier).objects.filter(pk=dossier.pk).update(seq=seq, receipt_date=dossier.receipt_date)
    previous = getattr(dossier, "_previous_state", None)
    if created or previous != dossier.state or getattr(dossier, "_timeline_note", None):
        model = dossier.timeline.model
        model.objects.create(
            parent=dossier,
            at=timezone.now(),
            status=dossier.state,
            note=(getattr(dossier, "_timeline_note", "") or "")[:500],
            position=dossier.timeline.count(),
        )
        dossier._timeline_note = ""
        events.announce(dossier, previous)
        if previous != dossier.state and dossier.number:  # the portal knows a dossier by its code
            outbox.record(dossier)
    # the applicant is told, in this transaction (the engine's outbox sends after commit)
    topic = getattr(dossier, "_notice", "") or (
        notices.BY_STATE.get(dossier.state) if previous != dossier.state else ""
    )
    dossier._notice = ""
    if topic:
        notices.notify(dossier, topic)


# --- Dossier: transitions ----------------------------------------------------------------


def on_accept(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """Receipt: every required document is there, then the clock starts (15:00 rule)."""
    procedure = dossier.procedure
    provided = {c.name.strip().lower() for c in dossier.components.all() if c.provided}
    missing = [
        c.name for c in procedure.components.all() if c.required and c.name.strip().lower() not in provided
    ]
    if missing:
        raise InvalidInput(
            [FieldProblem("components", "MISSING", f"Thiếu giấy tờ / Missing: {name}") for name in missing],
            "Hồ sơ chưa đủ thành phần: yêu cầu bổ sung (Mẫu 02). / "
            "Incomplete: request a supplement (form 02).",
        )
    now = timezone.now()
    dossier.received_at = now
    dossier.received_by = user if getattr(user, "pk", None) else None
    # the register is the receiving one-stop unit's (the engine numbers it after this hook)
    dossier.desk_id = (access.directory().unit_id_of(user) if dossier.received_by else None) or (
        dossier.owner_unit_id
    )
    dossier.promised_date = rules.promised_date(now, procedure.processing_days)
    dossier.transfer_deadline = rules.transfer_deadline(now)
    dossier.supplement_due = rules.supplement_due(now)
    dossier.transfer_late = False
    dossier.original_promised_date = dossier.promised_date
    dossier._timeline_note = f"Hẹn trả ngày {dossier.promised_date:%d/%m/%Y}"


def _open_handover(dossier: Any, name: str, from_unit: str, to_unit: str, days: int) -> None:
    model = dossier.handovers.model
    model.objects.create(
        parent=dossier,
        step_name=name,
        from_unit=from_unit,
        to_unit=to_unit,
        allowed_days=days,
        given_at=timezone.now(),
        position=dossier.handovers.count(),
    )


def _close_handover(dossier: Any) -> None:
    current = dossier.handovers.filter(done_at__isnull=True).order_by("-position").first()
    if current is None:
        return
    current.done_at = timezone.now()
    current.verdict = rules.step_verdict(current.allowed_days or 0, current.given_at, current.done_at)
    current.save(update_fields=["done_at", "verdict"])


def _steps(dossier: Any) -> list[Any]:
    return list(dossier.procedure.steps.select_related("unit").order_by("position", "id"))


def _desk_name(dossier: Any) -> str:
    return "Bộ phận một cửa"


def on_start(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    steps = _steps(dossier)
    if not steps:
        raise TransitionRefused("Thủ tục chưa khai báo các bước xử lý. / The procedure has no steps.")
    first = steps[0]
    dossier.step = 1
    now = timezone.now()
    dossier.transferred_at = now
    dossier.transfer_late = rules.transfer_late(dossier.transfer_deadline, now, now)
    _open_handover(dossier, first.name, _desk_name(dossier), first.unit.name, first.working_days)
    dossier.owner_unit_id = first.unit_id  # the unit holding the dossier sees it
    dossier._timeline_note = f"Chuyển {first.unit.name}: {first.name}" + (
        " (quá hạn chuyển xử lý)" if dossier.transfer_late else ""
    )


def on_advance(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    steps = _steps(dossier)
    current = dossier.step or 0
    if current >= len(steps):
        raise TransitionRefused(
            "Đây là bước cuối; hãy chọn «Đã xử lý xong». / This is the last step: mark it processed."
        )
    _close_handover(dossier)
    done, following = steps[current - 1], steps[current]
    dossier.step = current + 1
    _open_handover(dossier, following.name, done.unit.name, following.unit.name, following.working_days)
    dossier.owner_unit_id = following.unit_id
    dossier._timeline_note = f"Chuyển {following.unit.name}: {following.name}"


def on_supplement_requested(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """Mẫu 02 stops the clock; the first request after receipt is due within 3 working days."""
    dossier.paused_at = timezone.now()
    dossier.supplement_count = (dossier.supplement_count or 0) + 1
    dossier._timeline_note = payload.get("comment", "")
    dossier.supplement_requested_at = dossier.paused_at  # what Mẫu 02 prints
    dossier.supplement_request = payload.get("comment", "").strip()
    if dossier.supplement_count == 1 and rules.supplement_late(dossier.supplement_due, dossier.paused_at):
        dossier.supplement_late = True
        dossier._timeline_note = (
            f"{dossier._timeline_note} (yêu cầu bổ sung quá hạn 3 ngày làm việc, "
            f"hạn {dossier.supplement_due:%d/%m/%Y})"
        ).strip()


def on_supplement_received(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """The complete dossier is back: the count restarts from zero (Decree 61/2018 Art. 17)."""
    now = timezone.now()
    dossier.paused_at = None
    dossier.promised_date = rules.promised_date(now, dossier.procedure.processing_days)
    dossier.original_promised_date = dossier.promised_date  # the count starts again: so does the promise
    dossier._timeline_note = f"Hẹn trả mới ngày {dossier.promised_date:%d/%m/%Y}"


def on_processed(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    _close_handover(dossier)
    steps = _steps(dossier)
    last = steps[(dossier.step or 1) - 1] if steps else None
    _open_handover(dossier, "Trả kết quả", last.unit.name if last else "", _desk_name(dossier), 0)
    dossier.finished_at = dossier.finished_at or timezone.now()
    if dossier.received_by_id:
        desk = access.directory().unit_id_of(dossier.received_by)
        if desk:
            dossier.owner_unit_id = desk


def on_finish(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    _close_handover(dossier)
    dossier.finished_at = dossier.finished_at or timezone.now()
    dossier.paused_at = None
    dossier._timeline_note = payload.get("comment", "")


def on_refuse(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """Mẫu 03: the refusal states its reason (the transition's comment). A dossier refused at
    intake was never received and has no code; it counts in the period of the refusal."""
    on_finish(dossier, user, transition, payload)
    dossier.refusal_reason = payload.get("comment", "").strip()
    dossier.receipt_date = dossier.receipt_date or timezone.localdate()


def on_return(dossier: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """The result handed back: its date is kept (the register's last column, the public lookup)."""
    on_finish(dossier, user, transition, payload)
    dossier.returned_at = timezone.now()
    dossier._timeline_note = f"Đã trả kết quả ngày {timezone.localtime(dossier.returned_at):%d/%m/%Y}"
