"""Rules plugged into the acceptance dossier, the acceptance council and the task's result
(domain.md §7 "Acceptance", TT 11/2014/TT-BKHCN; the figures are in `acceptance_rules`).

Each step of the dossier starts its clock when it is entered (`step_due`, chased by the
reminders); the council's conclusion rates the dossier and the contract; "Không đạt" ends in
the refund due and the restriction, which part 1's eligibility check reads (`standing`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import workdays
from modules.engine.access import has_role_permission

from . import acceptance_rules as rules
from .contract_hooks import _entity, _model, _stored, grant_to_host, save_derived
from .council_hooks import expert_card
from .councils import Parties, conflicts

STAFF_ONLY = "Chỉ cơ quan quản lý cập nhật thông tin này. / Only the managing body updates this information."
DOSSIER_PART_LABELS = {
    "self_assessment": "báo cáo tự đánh giá / self-assessment",
    "full_report": "báo cáo tổng hợp / full report",
    "summary_report": "báo cáo tóm tắt / summary report",
    "products_report": "báo cáo về sản phẩm / products report",
    "spending_report": "báo cáo sử dụng kinh phí / spending report",
    "logbooks": "sổ nhật ký / logbooks",
}
OPEN_DOSSIER_STATES = (
    "draft",
    "submitted",
    "incomplete",
    "valid",
    "published",
    "revising",
    "awaiting_recognition",
    "failed",
)


def _today() -> Any:
    return workdays.today()


# --- the acceptance dossier ---------------------------------------------------------------


def validate_dossier(dossier: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    stored = _stored(dossier)
    if not has_role_permission(user, _entity("AcceptanceDossier"), "change"):
        for name in ("refund_due", "restricted_until", "decision_number"):
            if getattr(dossier, name) != (getattr(stored, name) if stored is not None else None) and (
                getattr(dossier, name) not in (None, "")
            ):
                problems[name] = [STAFF_ONLY]
    if dossier.contract_id and stored is None:
        contract = dossier.contract
        if contract.state not in ("active", "in_acceptance"):
            problems["contract"] = [
                "Hợp đồng chưa ký hoặc đã kết thúc nghiệm thu. / "
                "The contract is not signed or already concluded."
            ]
        elif (
            _model("AcceptanceDossier")
            .objects.filter(contract_id=contract.pk, state__in=OPEN_DOSSIER_STATES)
            .exists()
        ):
            problems["contract"] = [
                "Hợp đồng đã có hồ sơ nghiệm thu đang xử lý. / "
                "The contract already has an acceptance dossier."
            ]
    if dossier.refund_due is not None and dossier.refund_due < 0:
        problems["refund_due"] = ["Số tiền không âm. / Not a negative amount."]
    return problems


def before_dossier_save(dossier: Any, user: Any, created: bool) -> None:
    if dossier.contract_id:
        dossier.due_on = rules.submission_due(dossier.contract.end_on)


def after_dossier_save(dossier: Any, user: Any, created: bool) -> None:
    grant_to_host(dossier, user, created)


def dossier_complete(dossier: Any, user: Any) -> str | None:
    """The dossier holds every part the rule lists."""
    missing = [label for name, label in DOSSIER_PART_LABELS.items() if not getattr(dossier, name)]
    if missing:
        return "Hồ sơ còn thiếu / Missing: " + "; ".join(missing) + "."
    return None


def step_in_time(dossier: Any, user: Any) -> str | None:
    """Missing items within 5 working days, revisions within 30: later, the step is refused."""
    if dossier.step_due and _today() > dossier.step_due:
        return rules.late_message(dossier.step_due, "nộp", "file")
    return None


def _contract_to(dossier: Any, state: str, user: Any, **values: Any) -> None:
    contract = _model("Contract").objects.select_for_update().get(pk=dossier.contract_id)
    contract.state = state
    for name, value in values.items():
        setattr(contract, name, value)
    save_derived("Contract", contract, f"{dossier.number or 'NT'}: {state}", user)


def on_submitted(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """Received at the system's time; late after the 30 days; the validity check's 3 working days."""
    dossier.received_at = timezone.now()
    today = timezone.localdate()
    dossier.due_on = rules.submission_due(dossier.contract.end_on)
    dossier.late = today > dossier.due_on
    dossier.step_due = rules.check_due(today)
    if dossier.contract.state == "active":
        _contract_to(dossier, "in_acceptance", user)


def on_missing_requested(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    dossier.missing_items = payload.get("comment", "")
    dossier.step_due = rules.missing_due(_today())


def on_completed(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    dossier.step_due = rules.check_due(_today())


def on_valid(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    today = _today()
    dossier.valid_on = today
    dossier.council_due = rules.council_due(today)
    dossier.step_due = rules.publish_due(today)


def on_published(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    dossier.published_until = rules.published_until(_today())
    dossier.step_due = dossier.council_due


def revision_attached(dossier: Any, user: Any) -> str | None:
    if not dossier.revision_file:
        return "Đính kèm hồ sơ hoàn thiện. / Attach the revised dossier."
    return None


def on_revision_submitted(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    dossier.step_due = rules.decision_due(_today())


def decision_written(dossier: Any, user: Any) -> str | None:
    if not (dossier.decision_number or "").strip():
        return "Ghi số quyết định công nhận. / Give the recognition decision's number."
    return None


def on_recognised(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    dossier.decided_on = _today()
    dossier.step_due = None
    _contract_to(dossier, "completed", user, rating=dossier.rating, accepted_on=dossier.decided_on)


def consequences_written(dossier: Any, user: Any) -> str | None:
    missing = []
    if dossier.refund_due is None:
        missing.append("kinh phí phải hoàn trả / the refund due")
    if not dossier.restricted_until:
        missing.append("thời hạn hạn chế đăng ký / the restriction's end")
    if missing:
        return "Ghi / Give: " + "; ".join(missing) + "."
    if dossier.restricted_until <= _today():
        return "Thời hạn hạn chế phải sau hôm nay. / The restriction ends after today."
    return None


def on_failure_recorded(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """The refund and the restriction go onto the contract, where the eligibility check reads them."""
    dossier.step_due = None
    contract = _model("Contract").objects.select_for_update().get(pk=dossier.contract_id)
    contract.refund_due = dossier.refund_due
    contract.restricted_until = dossier.restricted_until
    save_derived("Contract", contract, f"{dossier.number}: không đạt / not accepted", user)


# --- the acceptance council ---------------------------------------------------------------


def parties_of(dossier: Any) -> Parties:
    """Who the council judges: the host, the investigator, the selected dossier's team and partners."""
    contract = dossier.contract
    people = [contract.investigator.full_name]
    organisations = [contract.organisation.name]
    if contract.dossier_id:
        selected = contract.dossier
        people += [row.full_name for row in selected.team.all()]
        organisations += [row.organisation_name for row in selected.team.all()]
        organisations += [row.name for row in selected.partners.all()]
    return Parties.of(people, organisations)


def _members(council: Any) -> list[rules.Member]:
    return [
        rules.Member(
            group=row.group, from_database=bool(row.expert_id), present=bool(row.present), role=row.role
        )
        for row in council.members.all()
    ]


def validate_council(council: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    stored = _stored(council)
    if council.dossier_id and stored is None:
        dossier = council.dossier
        if dossier.state not in ("valid", "published"):
            problems["dossier"] = [
                "Chỉ lập hội đồng cho hồ sơ đã hợp lệ. / A council is formed for a valid dossier only."
            ]
        elif (
            _model("AcceptanceCouncil").objects.filter(dossier_id=dossier.pk).exclude(state="closed").exists()
        ):
            problems["dossier"] = ["Hồ sơ đã có hội đồng. / The dossier already has a council."]
    if council.meeting_at and council.meeting_due:
        day = timezone.localtime(council.meeting_at).date()
        if day > council.meeting_due:
            problems["meeting_at"] = [
                f"Hội đồng họp trong 30 ngày từ khi thành lập (chậm nhất {council.meeting_due:%d/%m/%Y}). / "
                f"The council meets within 30 days of its formation (by {council.meeting_due:%d/%m/%Y})."
            ]
    return problems


def validate_council_members(
    council: Any, user: Any, field: str, rows: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """Conflicts excluded as in part 1; a member drawn from the database names an expert, any
    other member a name; a vote only from a member present; the 3-member measuring group."""
    problems: dict[str, list[str]] = {}
    if field == "measuring_group":
        if rows and len(rows) != rules.MEASURING_GROUP:
            problems["measuring_group"] = [
                f"Tổ chuyên gia có 3 thành viên (đang có {len(rows)}). / "
                f"The measuring group has 3 members ({len(rows)})."
            ]
        return problems
    if field != "members":
        return problems
    parties = parties_of(council.dossier) if council.dossier_id else Parties()
    seen: set[int] = set()
    for index, row in enumerate(rows):
        expert = row.get("expert")
        if row.get("group") == rules.EXPERT_DATABASE and expert is None:
            problems[f"members.{index}.expert"] = [
                "Chọn chuyên gia trong cơ sở dữ liệu. / Pick the expert from the database."
            ]
        if expert is None and not (row.get("full_name") or "").strip():
            problems[f"members.{index}.full_name"] = ["Ghi họ tên. / Give the name."]
        if row.get("vote") and not row.get("present"):
            problems[f"members.{index}.vote"] = [
                "Chỉ thành viên có mặt bỏ phiếu. / Only a member present votes."
            ]
        if expert is None:
            continue
        if expert.pk in seen:
            problems[f"members.{index}.expert"] = ["Chuyên gia đã có trong hội đồng. / Already a member."]
        seen.add(expert.pk)
        reasons = conflicts(expert_card(expert), parties)
        if reasons:
            problems[f"members.{index}.expert"] = [
                f"{expert.full_name}: xung đột lợi ích. / conflict of interest. " + " ".join(reasons)
            ]
    return problems


def before_council_save(council: Any, user: Any, created: bool) -> None:
    if council.formed_on:
        council.meeting_due = rules.meeting_due(council.formed_on)


def council_composed(council: Any, user: Any) -> str | None:
    return " ".join(rules.composition_problems(_members(council))) or None


def on_council_formed(council: Any, user: Any, transition: Any, payload: dict) -> None:
    council.formed_on = _today()
    council.meeting_due = rules.meeting_due(council.formed_on)


def meeting_in_time(council: Any, user: Any) -> str | None:
    if council.meeting_due and _today() > council.meeting_due:
        return rules.late_message(council.meeting_due, "họp hội đồng", "hold the meeting")
    return None


def council_quorum(council: Any, user: Any) -> str | None:
    return " ".join(rules.quorum(_members(council))) or None


def votes_cast(council: Any, user: Any) -> str | None:
    waiting = [
        row.full_name or str(row.expert) for row in council.members.all() if row.present and not row.vote
    ]
    if waiting:
        return "Chưa bỏ phiếu / Not voted yet: " + ", ".join(waiting) + "."
    return None


def on_council_concluded(council: Any, user: Any, transition: Any, payload: dict) -> None:
    """The rating of the members present rates the dossier and the contract; "Đạt" and
    "Xuất sắc" open the 30 working days of revisions, "Không đạt" ends the contract as failed."""
    votes = [row.vote for row in council.members.all() if row.present]
    tally = rules.rate(votes)
    council.rating = tally.rating
    council.tally = tally.as_dict()
    dossier = _model("AcceptanceDossier").objects.select_for_update().get(pk=council.dossier_id)
    today = _today()
    dossier.rating = tally.rating
    dossier.rated_on = today
    if tally.rating == rules.FAIL:
        dossier.state = "failed"
        dossier.step_due = None
        _contract_to(dossier, "failed", user, rating=tally.rating)
    else:
        dossier.state = "revising"
        dossier.step_due = rules.revision_due(today)
        contract = _model("Contract").objects.select_for_update().get(pk=dossier.contract_id)
        contract.rating = tally.rating
        save_derived("Contract", contract, f"{council.number}: {tally.rating}", user)
    save_derived("AcceptanceDossier", dossier, f"{council.number}: {tally.rating}", user)


# --- the registered result ----------------------------------------------------------------


def validate_result(result: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if result.contract_id and _stored(result) is None:
        if _model("TaskResult").objects.filter(contract_id=result.contract_id).exists():
            problems["contract"] = ["Nhiệm vụ đã có kết quả đăng ký. / The task already has a result."]
        elif result.contract.state not in ("in_acceptance", "completed"):
            problems["contract"] = [
                "Đăng ký kết quả sau khi nghiệm thu. / A result is registered after the acceptance."
            ]
    if not has_role_permission(user, _entity("TaskResult"), "change"):
        stored = _stored(result)
        for name in ("registration_no", "registered_on"):
            value = getattr(result, name)
            if value and value != (getattr(stored, name) if stored is not None else None):
                problems[name] = [STAFF_ONLY]
    return problems


def after_result_save(result: Any, user: Any, created: bool) -> None:
    grant_to_host(result, user, created)


def registration_written(result: Any, user: Any) -> str | None:
    if not (result.registration_no or "").strip() or not result.registered_on:
        return "Ghi số và ngày đăng ký kết quả. / Give the registration's number and date."
    return None
