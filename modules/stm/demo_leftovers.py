"""Demo of part 1's last rules (issue 18), in one pilot Department, replayed at its own times:

- the advisory council's ranking of a call's proposals (five members' ballots, one proposal
  below 70 left unranked), the two best approved;
- a selection notice with one dossier filed online and one on paper (postmark, recorded by the
  clerk two days later: its receipt PDF prints both times);
- the online winner missing its 20-day revision, cancelled by the scheduler's job the day after,
  and the cancellation notice recorded within its 7 days (§7.11);
- a secret task (§7.13) visible only to its keeper, the Department's head named as reader and the
  assigned organisation.

Small on purpose (a dozen writes): `make run` barely notices it. Idempotent: skipped once a
secret task exists. Uses the accounts, organisations and experts part 1's demo made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, replay, services

from . import cancellation, proposal_ranking
from .demo_contracts import _head

PROVINCE = "79"  # Bình Dương
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# each proposal's ballot on the technology grid (§7.6): two good, one fair (about 73), one below 70;
# the five members differ on the content score by a point (SPREAD), well within 20 % of the mean
BALLOTS = ((11, 21, 14, 14, 14, 14), (10, 20, 13, 13, 13, 13), (9, 17, 12, 12, 11, 12), (6, 12, 9, 8, 9, 10))
SPREAD = (0, 1, -1, 1, 0)
CRITERIA = ("overview", "content", "products", "applicability", "plan", "capacity")


def E(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def _pdf(name: str) -> ContentFile:
    return ContentFile(PDF, name=f"{name}.pdf")


def _applicants(count: int, when: dt.datetime) -> list[tuple[Any, Any, Any]]:
    """Part 1's demo organisations and investigators that no bar stops at `when` (part 2's demo
    leaves some with a failed acceptance or a task in progress): (account, organisation, PI)."""
    from .hooks import dossier_reasons, organisation_group

    dossier_model = registry.model_for("stm.SelectionDossier")
    result = []
    for org in registry.model_for("stm.HostOrganisation").objects.order_by("id"):
        pi = (
            registry.model_for("stm.PrincipalInvestigator")
            .objects.filter(organisation=org, degree="doctor", in_field_since__lte=dt.date(2015, 1, 1))
            .first()
        )
        user = organisation_group(org.pk).user_set.order_by("id").first()
        if pi is None or user is None:
            continue
        with replay.at(when):
            barred = dossier_reasons(dossier_model(organisation=org, investigator=pi))
        if not barred:
            result.append((user, org, pi))
        if len(result) == count:
            break
    return result


def seed(out: Any) -> None:
    if registry.model_for("stm.SecretTask").objects.exists():
        return
    unit = (
        registry.model_for("org.Unit").objects.filter(kind="provincial_dost", province_code=PROVINCE).first()
    )
    officer = (
        registry.model_for("org.Person")
        .objects.filter(owner_unit=unit, user__username=f"stm{PROVINCE}_1")
        .first()
    )
    start = replay.on(timezone.localdate() - dt.timedelta(days=150), 9)  # 09:00: a whole day's steps
    applicants = _applicants(5, start)
    experts = list(registry.model_for("stm.Expert").objects.order_by("id")[:5])
    if unit is None or officer is None or len(applicants) < 5 or len(experts) < 5:
        out.write("Demo S&T (part 1 leftovers): part 1's demo is missing, nothing added.")
        return
    officer = officer.user
    with transaction.atomic():
        ranked = _ranking(officer, applicants[:4], experts, start)
        _selection(officer, applicants[:2], start + dt.timedelta(days=10))
        _secret(officer, _head(unit), applicants[4], start + dt.timedelta(days=20))
    out.write(
        f"Demo S&T (part 1 leftovers): a call ranked ({ranked} ranked of 4), a paper dossier with its "
        "receipt, a cancelled winner and its notice, a secret task."
    )


def _ranking(officer: Any, applicants: list, experts: list, start: dt.datetime) -> int:
    deadline = start + dt.timedelta(days=20)
    with replay.at(start):
        call = services.create_record(
            E("ProposalCall"),
            officer,
            {
                "title": "Kêu gọi đề xuất nhiệm vụ KH&CN (hội đồng tư vấn xếp hạng)",
                "science_field": "102",
                "priorities": "Chuyển đổi số trong quản lý nhà nước.",
                "deadline": deadline,
            },
        )
    replay.fire_at(start, "stm.ProposalCall", officer, call.pk, "publish")
    proposals = []
    for i, (user, org, _) in enumerate(applicants):
        when = start + dt.timedelta(days=3 + i, hours=2)
        with replay.at(when):
            proposal = services.create_record(
                E("TaskProposal"),
                user,
                {
                    "call": call.pk,
                    "organisation": org.pk,
                    "title": f"Nền tảng số phục vụ quản lý nhiệm vụ KH&CN — phương án {i + 1}",
                    "task_type": "tech",
                    "urgency": "Đáp ứng yêu cầu chuyển đổi số của tỉnh.",
                    "objectives": "Làm chủ nền tảng.",
                    "estimated_budget": (12 + i) * 100_000_000,
                    "duration_months": 24,
                },
            )
        proposals.append(replay.fire_at(when, "stm.TaskProposal", user, proposal.pk, "submit"))
    scored = deadline + dt.timedelta(days=7)
    with replay.at(scored):
        for proposal, ballots in zip(proposals, BALLOTS, strict=True):
            proposal.refresh_from_db()
            rows = [
                {
                    "expert": e.pk,
                    "scores": dict(zip(CRITERIA, ballots, strict=True)) | {"content": ballots[1] + d},
                }
                for e, d in zip(experts, SPREAD, strict=True)
            ]
            services.update_record(
                E("TaskProposal"), officer, proposal.pk, {"assessments": rows}, proposal.version
            )
        placed = proposal_ranking.rank_call(officer, call.pk)
    decided = scored + dt.timedelta(days=2)
    for row in placed:
        name, comment = ("approve", "") if row.rank in (1, 2) else ("reject", "Xếp hạng thấp hơn.")
        replay.fire_at(decided, "stm.TaskProposal", officer, row.key.pk, name, comment)
    return sum(1 for row in placed if row.rank is not None)


def _selection(officer: Any, applicants: list, start: dt.datetime) -> None:
    """One dossier online, one on paper; the winner misses its revision and is cancelled."""
    deadline = start + dt.timedelta(days=31)
    with replay.at(start):
        task = services.create_record(
            E("OrderedTask"),
            officer,
            {
                "title": "Hệ thống giám sát chất lượng nước sông Sài Gòn",
                "task_type": "tech",
                "science_field": "102",
            },
        )
        notice = services.create_record(
            E("SelectionNotice"),
            officer,
            {
                "kind": "selection",
                "ordered_task": task.pk,
                "title": task.title,
                "task_type": "tech",
                "deadline": deadline,
                "content": "Thông báo tuyển chọn tổ chức, cá nhân chủ trì.",
            },
        )
    replay.fire_at(start, "stm.SelectionNotice", officer, notice.pk, "publish")
    values = {
        "notice": notice.pk,
        "title": task.title,
        "duration_months": 24,
        "objectives": "Quan trắc tự động.",
    }
    (online_user, online_org, online_pi), (_, paper_org, paper_pi) = applicants
    filed = start + dt.timedelta(days=12, hours=3)
    with replay.at(filed):
        online = services.create_record(
            E("SelectionDossier"),
            online_user,
            values
            | {"organisation": online_org.pk, "investigator": online_pi.pk, "state_budget": 1_500_000_000},
        )
    online = replay.fire_at(filed, "stm.SelectionDossier", online_user, online.pk, "submit")
    # posted on the deadline's day, opened by the clerk two days later: in time by its postmark
    recorded = deadline + dt.timedelta(days=2)
    with replay.at(recorded):
        paper = services.create_record(
            E("SelectionDossier"),
            officer,
            values
            | {
                "organisation": paper_org.pk,
                "investigator": paper_pi.pk,
                "state_budget": 1_700_000_000,
                "paper_evidence": "postmark",
                "paper_received_at": deadline + dt.timedelta(hours=6),
            },
        )
    paper = replay.fire_at(recorded, "stm.SelectionDossier", officer, paper.pk, "receive_paper")
    opened = deadline + dt.timedelta(days=3)
    for dossier in (online, paper):
        replay.fire_at(opened, "stm.SelectionDossier", officer, dossier.pk, "accept")
    replay.fire_at(opened, "stm.SelectionNotice", officer, notice.pk, "open")
    winner = replay.fire_at(
        opened + dt.timedelta(days=7), "stm.SelectionDossier", officer, online.pk, "select"
    )
    replay.fire_at(opened + dt.timedelta(days=7), "stm.SelectionDossier", officer, paper.pk, "not_select")
    # the revision never comes: the scheduler cancels the day after its 20th day, 00:05
    day = winner.step_due + dt.timedelta(days=1)
    with replay.at(timezone.make_aware(dt.datetime.combine(day, dt.time(0, 5)))):
        cancellation.cancel_if_overdue(winner.pk, day)
    replay.fire_at(
        replay.on(day + dt.timedelta(days=3), 10),
        "stm.SelectionDossier",
        officer,
        winner.pk,
        "notify_cancellation",
    )


def _secret(officer: Any, head: Any, applicant: tuple, when: dt.datetime) -> None:
    user, org, pi = applicant
    with replay.at(when):
        task = services.create_record(
            E("SecretTask"),
            officer,
            {
                "title": "Nghiên cứu giải pháp bảo mật hạ tầng thông tin trọng yếu của tỉnh",
                "task_type": "tech",
                "science_field": "102",
                "organisation": org.pk,
                "investigator": pi.pk,
                "investigator_vietnamese_only": True,
                "state_budget": 2_400_000_000,
                "duration_months": 24,
                "readers": [head.pk],
                "commitment_b17": _pdf("b17"),
            },
        )
    filed = when + dt.timedelta(days=5, hours=3)
    with replay.at(filed):
        services.update_record(
            E("SecretTask"),
            user,
            task.pk,
            {"commitment_b18": _pdf("b18"), "commitment_b19": _pdf("b19")},
            task.version,
        )
    replay.fire_at(filed, "stm.SecretTask", user, task.pk, "file")
