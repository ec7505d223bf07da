"""Part 2 of the S&T demo (issue 19): part 1's winners carried through their steps, a contract,
tranches and disbursements, six-monthly reports and, for the earliest, the acceptance (dossier,
validity check, publication, council of nine, votes, revisions, recognition or "Không đạt"), each
replayed at its own time through the real write paths (`engine/replay.py`).

Small on purpose: only the winners of the councils part 1 closed (a dozen or so), so `make run`
spends a few seconds here. Idempotent: skipped once a contract exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, replay, services
from modules.org import demo_data
from modules.org.roles import UNIT_HEAD

from . import acceptance_rules, councils, results
from .acceptance_hooks import parties_of

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOSSIER_PARTS = (
    "self_assessment",
    "full_report",
    "summary_report",
    "products_report",
    "spending_report",
    "logbooks",
)
ACCEPTANCE_LEAD_DAYS = 45  # a contract ended this long ago has had time for its acceptance
SHORT_CONTRACTS = 4
FAILED = 2  # the second acceptance is rated "Không đạt": the refund and the restriction are recorded


def E(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def _pdf(name: str) -> ContentFile:
    return ContentFile(PDF, name=f"{name}.pdf")


def _head(unit: Any) -> Any:
    """The Department's director (the demo organisation's, or one made for the pilot)."""
    person_model = registry.model_for("org.Person")
    person = person_model.objects.filter(owner_unit=unit, roles__name=UNIT_HEAD, user__isnull=False).first()
    if person is not None:
        return person.user
    username = f"stm{unit.province_code or unit.pk}_gd"
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "email": f"{username}@{demo_data.EMAIL_DOMAIN}"}
    )
    if created:
        user.set_password(demo_data.DEMO_PASSWORD)
        user.save()
        group = Group.objects.get_or_create(name=UNIT_HEAD)[0]
        person = person_model.objects.create(
            user=user, full_name=f"Giám đốc Sở — {unit.short_name or unit.name}", owner_unit=unit
        )
        person.roles.add(group)
        user.groups.add(group)
    return user


def _applicant(org: Any) -> Any:
    from .hooks import organisation_group

    return organisation_group(org.pk).user_set.order_by("id").first()


def seed(out: Any) -> None:
    contract_model = registry.model_for("stm.Contract")
    if contract_model.objects.exists():
        out.write(f"Demo S&T contracts: {contract_model.objects.count()} present, nothing added.")
        return
    rng = random.Random(19)
    now = timezone.now()
    made = {"contracts": 0, "reports": 0, "acceptances": 0}
    closed = registry.model_for("stm.Council").objects.filter(state="closed").order_by("id")
    with transaction.atomic():
        for council in closed:
            winner_id = results.tally(council).winner
            if winner_id is None:
                continue
            dossier = registry.model_for("stm.SelectionDossier").objects.get(pk=winner_id)
            if dossier.state != "valid":
                continue
            closed_at = council.updated_at
            approved_at = _winner_steps(dossier, council, closed_at, now)
            if approved_at is None:
                continue
            _contract_life(rng, dossier, approved_at, now, made)
    out.write(
        f"Demo S&T contracts: {made['contracts']} contracts, {made['reports']} progress reports, "
        f"{made['acceptances']} acceptances."
    )


def _winner_steps(dossier: Any, council: Any, closed_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """Selected the day after the meeting, then revision, appraisal, final dossier and approval."""
    officer = council.created_by
    user = _applicant(dossier.organisation)
    head = _head(dossier.owner_unit)
    steps = [closed_at + dt.timedelta(days=d) for d in (1, 6, 9, 14, 19)]
    if steps[-1] > now or user is None:
        return None
    replay.fire_at(steps[0], "stm.SelectionDossier", officer, dossier.pk, "select")
    _update_at(steps[1], "SelectionDossier", user, dossier.pk, {"revision_file": _pdf("hoan-thien")})
    replay.fire_at(steps[1], "stm.SelectionDossier", user, dossier.pk, "submit_revision")
    _update_at(
        steps[2], "SelectionDossier", officer, dossier.pk, {"appraisal_members": 5, "appraisal_present": 5}
    )
    replay.fire_at(steps[2], "stm.SelectionDossier", officer, dossier.pk, "appraise")
    _update_at(steps[3], "SelectionDossier", user, dossier.pk, {"final_file": _pdf("sau-tham-dinh")})
    replay.fire_at(steps[3], "stm.SelectionDossier", user, dossier.pk, "finalise")
    replay.fire_at(steps[4], "stm.SelectionDossier", head, dossier.pk, "approve")
    return steps[4]


def _update_at(moment: dt.datetime, entity: str, user: Any, pk: Any, values: dict[str, Any]) -> Any:
    with replay.at(moment):
        version = registry.model_for(f"stm.{entity}").objects.values_list("version", flat=True).get(pk=pk)
        return services.update_record(E(entity), user, pk, values, version)


def _contract_life(
    rng: random.Random, dossier: Any, approved_at: dt.datetime, now: dt.datetime, made: dict
) -> None:
    officer = dossier.notice.created_by
    user = _applicant(dossier.organisation)
    head = _head(dossier.owner_unit)
    signed_at = approved_at + dt.timedelta(days=10)
    if signed_at > now:
        return
    start = timezone.localtime(signed_at).date()
    # the four earliest winners got short contracts (the longest that has ended in time), so the
    # demo shows acceptances, one of them "Không đạt"; the rest run on for 18 months
    months = 18
    if made["contracts"] < SHORT_CONTRACTS:
        fits = [
            m
            for m in (12, 9, 6, 4)
            if start + relativedelta(months=m, days=ACCEPTANCE_LEAD_DAYS) <= now.date()
        ]
        months = fits[0] if fits else 18
    end = start + relativedelta(months=months) - dt.timedelta(days=1)
    budget = int(dossier.state_budget)
    with replay.at(signed_at):
        contract = services.create_record(
            E("Contract"),
            officer,
            {
                "dossier": dossier.pk,
                "task_code": f"{dossier.owner_unit.province_code}.{start:%Y}.{dossier.pk:03}",
                "title": dossier.title,
                "task_type": dossier.notice.task_type,
                "science_field": dossier.notice.ordered_task.science_field,
                "ordering_party": dossier.owner_unit.name,
                "organisation": dossier.organisation_id,
                "investigator": dossier.investigator_id,
                "start_on": start,
                "end_on": end,
                "state_budget": budget,
                "other_budget": budget // 10,
                "spending_mode": "whole",
                "objectives": dossier.objectives or "Làm chủ quy trình công nghệ.",
                "products": [{"name": "Báo cáo tổng hợp kết quả", "kind": "III", "quantity": 1}],
                "contract_file": _pdf("hop-dong"),
            },
        )
        contract = services.fire_transition(E("Contract"), officer, contract.pk, "sign", contract.version)
        first = services.create_record(
            E("ContractTranche"),
            officer,
            {
                "contract": contract.pk,
                "seq": 1,
                "title": "Tạm ứng",
                "due_on": start,
                "amount": budget * 6 // 10,
            },
        )
        second = services.create_record(
            E("ContractTranche"),
            officer,
            {
                "contract": contract.pk,
                "seq": 2,
                "title": "Hoàn thành sản phẩm",
                "due_on": end,
                "amount": budget - budget * 6 // 10,
            },
        )
    made["contracts"] += 1
    _pay_at(signed_at + dt.timedelta(days=5), officer, contract, first)
    report_due = contract.next_report_due
    if report_due is not None and replay.on(report_due, 9) <= now:
        _report(officer, user, contract, report_due, rng)
        made["reports"] += 1
    elif start + relativedelta(months=2) < min(end, now.date()):  # a report on request, mid-term
        _report(officer, user, contract, start + relativedelta(months=2), rng, requested=True)
        made["reports"] += 1
    ended = replay.on(end, 17)
    if ended + dt.timedelta(days=ACCEPTANCE_LEAD_DAYS) > now:
        return
    _pay_at(ended - dt.timedelta(days=20), officer, contract, second)
    made["acceptances"] += 1
    _acceptance(rng, officer, user, head, contract, ended, now, fail=made["acceptances"] == FAILED)


def _pay_at(moment: dt.datetime, officer: Any, contract: Any, tranche: Any) -> None:
    with replay.at(moment):
        services.create_record(
            E("Disbursement"),
            officer,
            {
                "contract": contract.pk,
                "tranche": tranche.pk,
                "amount": tranche.amount,
                "paid_on": timezone.localdate(),
                "reference": f"UNC-{contract.pk:04}-{tranche.seq}",
            },
        )


def _report(
    officer: Any, user: Any, contract: Any, due: dt.date, rng: random.Random, requested: bool = False
) -> None:
    filed = replay.on(due, 10) - dt.timedelta(days=rng.randint(0, 3))
    with replay.at(filed - dt.timedelta(days=14)):
        report = services.create_record(
            E("ProgressReport"),
            officer if requested else user,
            {"contract": contract.pk, "kind": "on_request", "due_on": due}
            if requested
            else {"contract": contract.pk},
        )
    _update_at(
        filed,
        "ProgressReport",
        user,
        report.pk,
        {
            "period_end": due,
            "work_done": "Hoàn thành khảo sát, thiết kế thí nghiệm.",
            "products_achieved": "Báo cáo khảo sát; bản thiết kế.",
            "spent": int(contract.state_budget) * rng.randint(25, 45) // 100,
        },
    )
    replay.fire_at(filed, "stm.ProgressReport", user, report.pk, "submit")
    reviewed = filed + dt.timedelta(days=7)
    _update_at(reviewed, "ProgressReport", officer, report.pk, {"review_note": "Đúng tiến độ, đạt yêu cầu."})
    replay.fire_at(reviewed, "stm.ProgressReport", officer, report.pk, "review")


def _acceptance(rng, officer, user, head, contract, ended, now, *, fail: bool) -> None:
    filed = ended + dt.timedelta(days=10)
    with replay.at(filed):
        dossier = services.create_record(
            E("AcceptanceDossier"),
            user,
            {"contract": contract.pk} | {part: _pdf(part) for part in DOSSIER_PARTS},
        )
    replay.fire_at(filed, "stm.AcceptanceDossier", user, dossier.pk, "submit")
    valid = replay.after(filed, 2, 9)
    replay.fire_at(valid, "stm.AcceptanceDossier", officer, dossier.pk, "accept")
    published = replay.after(valid, 1, 9)
    replay.fire_at(published, "stm.AcceptanceDossier", officer, dossier.pk, "publish")
    formed = replay.after(published, 5, 9)
    with replay.at(formed):
        dossier.refresh_from_db()
        cards = results.expert_cards(officer, contract.science_field or "102", formed.date())
        parties = parties_of(dossier)
        pool = [c for c in cards if not councils.conflicts(c, parties)]
        pool.sort(key=lambda c: (c.load, c.id))
        if len(pool) < acceptance_rules.FROM_EXPERT_DATABASE:
            return
        votes = (
            [acceptance_rules.FAIL] * 4 + [acceptance_rules.PASS] * 5
            if fail
            else [
                rng.choice((acceptance_rules.EXCELLENT, acceptance_rules.EXCELLENT, acceptance_rules.PASS))
                for _ in range(9)
            ]
        )
        rows = [
            {
                "expert": card.id,
                "group": "expert_db",
                "role": "chair" if k == 0 else "member",
                "present": True,
            }
            for k, card in enumerate(pool[:6])
        ] + [
            {"full_name": name, "group": group, "role": "member", "present": True}
            for name, group in (
                ("Đại diện Sở KH&CN", "ministry"),
                ("Đại diện đơn vị ứng dụng", "user"),
                ("Đại diện bên đặt hàng", "ordering_body"),
            )
        ]
        council = services.create_record(
            E("AcceptanceCouncil"),
            officer,
            {"dossier": dossier.pk, "title": f"Hội đồng nghiệm thu {contract.number}", "members": rows},
        )
    replay.fire_at(formed, "stm.AcceptanceCouncil", officer, council.pk, "form")
    meeting = replay.after(formed, 5, 8)
    replay.fire_at(meeting, "stm.AcceptanceCouncil", officer, council.pk, "open_meeting")
    for row, vote in zip(rows, votes, strict=True):
        row["vote"] = vote
    _update_at(meeting, "AcceptanceCouncil", officer, council.pk, {"members": rows})
    replay.fire_at(meeting + dt.timedelta(hours=2), "stm.AcceptanceCouncil", officer, council.pk, "conclude")
    if fail:
        recorded = replay.after(meeting, 5, 9)
        refund = int(contract.state_budget) * 3 // 10
        until = timezone.localtime(recorded).date() + relativedelta(years=2)
        _update_at(
            recorded,
            "AcceptanceDossier",
            officer,
            dossier.pk,
            {"refund_due": refund, "restricted_until": until},
        )
        replay.fire_at(recorded, "stm.AcceptanceDossier", head, dossier.pk, "record_failure")
        return
    revised = replay.after(meeting, 8, 10)
    if revised > now:
        return
    _update_at(revised, "AcceptanceDossier", user, dossier.pk, {"revision_file": _pdf("hoan-thien")})
    replay.fire_at(revised, "stm.AcceptanceDossier", user, dossier.pk, "submit_revision")
    decided = replay.after(revised, 4, 14)
    if decided > now:
        return
    number = f"{contract.pk:03}/QĐ-SKHCN"
    _update_at(decided, "AcceptanceDossier", officer, dossier.pk, {"decision_number": number})
    replay.fire_at(decided, "stm.AcceptanceDossier", head, dossier.pk, "recognise")
    registered = decided + dt.timedelta(days=12)
    if registered > now:
        return
    with replay.at(registered):
        result = services.create_record(
            E("TaskResult"),
            user,
            {
                "contract": contract.pk,
                "title": contract.title,
                "summary": "Quy trình công nghệ đã được hoàn thiện và chuyển giao.",
                "application": "Chuyển giao cho doanh nghiệp trong tỉnh.",
            },
        )
    _update_at(
        registered,
        "TaskResult",
        officer,
        result.pk,
        {"registration_no": f"{contract.pk:04}/ĐKKQ", "registered_on": registered.date()},
    )
    replay.fire_at(registered, "stm.TaskResult", officer, result.pk, "register")
