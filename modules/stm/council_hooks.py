"""Rules of the expert pool, the council and its ballots (domain.md §7.5-7.6)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import object_grants, registry, workdays
from modules.engine.access import has_role_permission
from modules.engine.ballots import Seat, quorum_problems
from modules.engine.factory import child_model_name

from . import councils, scoring
from .hooks import FILED_STATES

PAPERS_WORKING_DAYS = 7  # §7.5: papers 7 working days before the meeting
QUESTIONS_WORKING_DAYS = 5  # §7.5: questions 5 working days before


def _model(name: str) -> Any:
    return registry.model_for(f"stm.{name}")


def expert_card(expert: Any, load: int = 0) -> councils.ExpertCard:
    declared = tuple(expert.conflicts.values_list("organisation", "relative_name")) if expert.pk else ()
    return councils.ExpertCard(
        id=expert.pk or 0,
        name=expert.full_name,
        field=expert.science_field,
        organisation=expert.organisation,
        load=load,
        title=expert.academic_title,
        relatives=tuple(name for _, name in declared if name),
        declared=tuple(org for org, _ in declared if org),
    )


def parties_of(notice: Any) -> councils.Parties:
    """The applicants, their teams, host and partner organisations of the notice's dossiers.

    Read as plain values, not model instances: a proposal runs this each time, and the ~1,500
    instance objects (dossiers, organisations, investigators, team and partner rows) it used to
    build were what pushed the garbage collector into its full passes (bench/councils.py)."""
    dossiers = _model("SelectionDossier").objects.filter(notice=notice, state__in=FILED_STATES)
    entity = registry.entity_by_label("stm.SelectionDossier")
    team = registry.classes_for(entity)[child_model_name(entity, entity.field("team"))]
    partners = registry.classes_for(entity)[child_model_name(entity, entity.field("partners"))]
    people: list[str] = []
    organisations: list[str] = []
    for investigator, organisation in dossiers.values_list("investigator__full_name", "organisation__name"):
        people.append(investigator)
        organisations.append(organisation)
    for full_name, organisation in team.objects.filter(parent__in=dossiers).values_list(
        "full_name", "organisation_name"
    ):
        people.append(full_name)
        organisations.append(organisation)
    organisations += partners.objects.filter(parent__in=dossiers).values_list("name", flat=True)
    return councils.Parties.of(people, organisations)


# --- experts ------------------------------------------------------------------------------


def before_expert_save(expert: Any, user: Any, created: bool) -> None:
    """One pool across provinces: every unit's experts are seen by the others."""
    expert.is_shared = True


# --- councils -----------------------------------------------------------------------------


def validate_council_members(
    council: Any, user: Any, field: str, rows: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """7-9 members, one chair, one vice-chair, one secretary, two reviewers; each conflicted
    member refused with the reason (hand-added ones included)."""
    if field != "members":
        return {}
    problems: dict[str, list[str]] = {}
    parties = parties_of(council.notice) if council.notice_id else councils.Parties()
    seen: set[int] = set()
    for index, row in enumerate(rows):
        expert = row.get("expert")
        if expert is None:
            continue
        if expert.pk in seen:
            problems[f"members.{index}.expert"] = ["Chuyên gia đã có trong hội đồng. / Already a member."]
        seen.add(expert.pk)
        reasons = councils.conflicts(expert_card(expert), parties)
        if reasons:
            problems[f"members.{index}.expert"] = [
                f"{expert.full_name}: xung đột lợi ích. / conflict of interest. " + " ".join(reasons)
            ]
    if rows:
        count = len(rows)
        if not councils.MIN_MEMBERS <= count <= councils.MAX_MEMBERS:
            problems["members"] = [
                f"Hội đồng có 7 đến 9 thành viên (đang có {count}). / A council has 7 to 9 members ({count})."
            ]
        roles = [row.get("role") for row in rows]
        wanted = {"chair": 1, "vice_chair": 1, "secretary": 1, "reviewer": 2}
        labels = {code: (vi, en) for code, vi, en in councils.ROLES}
        for role, number in wanted.items():
            if roles.count(role) != number:
                vi, en = labels[role]
                problems.setdefault("members", []).append(
                    f"Cần đúng {number} {vi} (đang có {roles.count(role)}). / "
                    f"Exactly {number} {en.lower()} needed ({roles.count(role)})."
                )
    return problems


def validate_council(council: Any, user: Any) -> dict[str, list[str]]:
    """Papers go out at least 7 working days before the meeting (§7.5)."""
    if council.meeting_at and council.papers_sent_on:
        due = workdays.subtract_working_days(
            timezone.localtime(council.meeting_at).date(), PAPERS_WORKING_DAYS
        )
        if council.papers_sent_on > due:
            return {
                "papers_sent_on": [
                    f"Tài liệu phải gửi trước ít nhất 7 ngày làm việc (chậm nhất {due:%d/%m/%Y}). / "
                    f"Papers go out at least 7 working days before the meeting (by {due:%d/%m/%Y})."
                ]
            }
    return {}


def before_council_save(council: Any, user: Any, created: bool) -> None:
    if council.meeting_at:
        day = timezone.localtime(council.meeting_at).date()
        council.papers_due = workdays.subtract_working_days(day, PAPERS_WORKING_DAYS)
        council.questions_due = workdays.subtract_working_days(day, QUESTIONS_WORKING_DAYS)


def council_has_members(council: Any, user: Any) -> str | None:
    count = council.members.count()
    if not councils.MIN_MEMBERS <= count <= councils.MAX_MEMBERS:
        return f"Hội đồng có 7 đến 9 thành viên (đang có {count}). / A council has 7 to 9 members ({count})."
    return None


def quorum_met(council: Any, user: Any) -> str | None:
    """Scoring opens only with the quorum (§7.5)."""
    seats = [Seat(row.role, row.present) for row in council.members.all()]
    problems = quorum_problems(seats, councils.SELECTION_QUORUM)
    return " ".join(problems) or None


# --- ballots ------------------------------------------------------------------------------


def validate_ballot(ballot: Any, user: Any) -> dict[str, list[str]]:
    council = ballot.council
    problems: dict[str, list[str]] = {}
    if council.state != "scoring":
        problems["council"] = ["Hội đồng chưa mở chấm điểm. / Scoring is not open."]
    seat = council.members.filter(expert_id=ballot.expert_id).first()
    if seat is None or not seat.present:
        problems["expert"] = ["Chỉ thành viên có mặt được chấm. / Only a member present scores."]
    if ballot.pk:
        problems["scores"] = ["Phiếu đã bỏ không sửa được. / A cast ballot is not changed."]
    # a member casts their own; the managing unit's staff may transcribe a paper ballot
    own = ballot.expert_id and ballot.expert.account_id == getattr(user, "pk", None)
    if not own and not has_role_permission(user, registry.entity_by_label("stm.Ballot"), "view"):
        problems["expert"] = [
            "Mỗi thành viên chỉ chấm phiếu của mình. / A member casts their own ballot only."
        ]
    if ballot.dossier_id and ballot.dossier.notice_id != council.notice_id:
        problems["dossier"] = ["Hồ sơ không thuộc hội đồng này. / Not a dossier of this council."]
    if ballot.dossier_id and ballot.dossier.state != "valid":
        problems["dossier"] = ["Chỉ chấm hồ sơ hợp lệ. / Only valid dossiers are scored."]
    if ballot.dossier_id:
        grid_problems = scoring.ballot_problems(ballot.dossier.notice.task_type, ballot.scores or {})
        for code, message in grid_problems.items():
            problems.setdefault("scores", []).append(f"{code}: {message}")
    return problems


def before_ballot_save(ballot: Any, user: Any, created: bool) -> None:
    ballot.total = sum((ballot.scores or {}).values())
    if created:
        ballot.cast_at = timezone.now()


def after_ballot_save(ballot: Any, user: Any, created: bool) -> None:
    """Secret from the other members: the member alone is granted their ballot."""
    if created and ballot.expert.account_id:
        object_grants.grant_user(
            registry.entity_by_label("stm.Ballot"), ballot.expert.account, ballot, ("view",)
        )


def after_expert_save(expert: Any, user: Any, created: bool) -> None:
    """Experts keep their own profile up to date: their account may view and change it."""
    if expert.account_id:
        object_grants.grant_user(
            registry.entity_by_label("stm.Expert"), expert.account, expert, ("view", "change")
        )


def after_council_save(council: Any, user: Any, created: bool) -> None:
    """The council's secretary alone reads its members' contact details; each member with an
    account reads the council and the valid dossiers it judges (to score them), nothing more."""
    expert_ids = list(council.members.values_list("expert_id", flat=True))
    if council.secretary_id:
        contact = registry.entity_by_label("stm.ExpertContact")
        for row in _model("ExpertContact").objects.filter(expert_id__in=expert_ids):
            object_grants.grant_user(contact, council.secretary, row, ("view",))
    accounts = [
        account
        for account in _model("Expert")
        .objects.filter(pk__in=expert_ids, account__isnull=False)
        .select_related("account")
    ]
    if not accounts:
        return
    council_entity = registry.entity_by_label("stm.Council")
    dossier_entity = registry.entity_by_label("stm.SelectionDossier")
    dossiers = list(_model("SelectionDossier").objects.filter(notice_id=council.notice_id, state="valid"))
    for expert in accounts:
        object_grants.grant_user(council_entity, expert.account, council, ("view",))
        for dossier in dossiers:
            object_grants.grant_user(dossier_entity, expert.account, dossier, ("view",))
