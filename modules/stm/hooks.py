"""S&T task rules plugged into the generated entities: validation, eligibility, deadlines, grants."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import object_grants, registry, workdays
from modules.engine.access import has_role_permission

from . import eligibility, rules
from .roles import ORG_GROUP, STM_APPLICANT

NATIONAL_KINDS = ("ministry", "ministry_unit")  # a notice of these units is a national task's
# the winner's steps after the council (§7.7-7.9) and their deadlines in plain days (rules.step_due)
STEP_DAYS = {"selected": 20, "appraisal": 10, "finalising": 15, "awaiting_approval": 15}
PUBLISHED_DAYS = 60  # §7.10: the approved result is published for at least 60 days
WINNER_STATES = (*STEP_DAYS, "approved", "cancelled")
FILED_STATES = ("submitted", "valid", "invalid", "not_selected", *WINNER_STATES)  # dossiers on file
LOCKED_STATES = (
    "submitted",
    "valid",
    "invalid",
    "not_selected",
    "withdrawn",
    "replaced",
    "awaiting_approval",
    "approved",
    "cancelled",
)
ORG_BARS = (
    "results_unregistered",
    "application_report_missing",
    "contract_ended_on",
    "acceptance_submitted_on",
    "funds_unrepaid",
    "suspended_on",
    "excellent_national_task_on",
)
PI_BARS = ("suspended_on", "national_task_until")
STAFF_ONLY = "Chỉ cơ quan quản lý cập nhật thông tin này. / Only the managing body updates this information."


def _entity(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def _model(name: str) -> Any:
    return registry.model_for(f"stm.{name}")


def _is_applicant(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.groups.filter(name=STM_APPLICANT).exists())


def _stored(instance: Any) -> Any:
    return type(instance)._default_manager.filter(pk=instance.pk).first() if instance.pk else None


def _staff_only_fields(
    instance: Any, user: Any, entity_name: str, names: tuple[str, ...]
) -> dict[str, list[str]]:
    """Facts only the managing body keeps (an organisation's bars): refused from anyone else."""
    if has_role_permission(user, _entity(entity_name), "change"):
        return {}
    stored = _stored(instance)
    blank = type(instance)()
    before = stored if stored is not None else blank
    return {name: [STAFF_ONLY] for name in names if getattr(instance, name) != getattr(before, name)}


# --- organisations and investigators ------------------------------------------------------


def validate_organisation(org: Any, user: Any) -> dict[str, list[str]]:
    return _staff_only_fields(org, user, "HostOrganisation", ORG_BARS)


def organisation_group(org_id: Any) -> Any:
    return object_grants.party_group(ORG_GROUP, org_id)


def after_organisation_save(org: Any, user: Any, created: bool) -> None:
    """The organisation is its group: whoever registers it from outside joins it."""
    if not created:
        return
    group = organisation_group(org.pk)
    object_grants.grant_group(_entity("HostOrganisation"), group, org, ("view", "change"))
    if _is_applicant(user):
        object_grants.join(group, user)


def validate_investigator(pi: Any, user: Any) -> dict[str, list[str]]:
    return _staff_only_fields(pi, user, "PrincipalInvestigator", PI_BARS)


def after_investigator_save(pi: Any, user: Any, created: bool) -> None:
    if created:
        group = organisation_group(pi.organisation_id)
        object_grants.grant_group(_entity("PrincipalInvestigator"), group, pi, ("view", "change"))


# --- calls for proposals and proposals ----------------------------------------------------


def validate_call(call: Any, user: Any) -> dict[str, list[str]]:
    if call.deadline and call.state == "draft" and call.deadline <= timezone.now():
        return {"deadline": ["Hạn nộp đã qua. / The deadline has passed."]}
    return {}


def on_call_published(call: Any, user: Any, transition: Any, payload: dict) -> None:
    call.published_at = timezone.now()


def call_open(proposal: Any, user: Any) -> str | None:
    call = proposal.call
    if call.state != "open":
        return "Đợt kêu gọi không mở. / The call is not open."
    if not rules.before_deadline(timezone.now(), call.deadline):
        return rules.late_message(call.deadline)
    return None


def on_received(record: Any, user: Any, transition: Any, payload: dict) -> None:
    """The receipt time is the system's timestamp (§7.3), never the applicant's."""
    record.received_at = timezone.now()


def after_proposal_save(proposal: Any, user: Any, created: bool) -> None:
    if created:
        group = organisation_group(proposal.organisation_id)
        object_grants.grant_group(
            _entity("TaskProposal"), group, proposal, ("view", "change", "transition:submit")
        )


# --- notices ------------------------------------------------------------------------------


def validate_notice(notice: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if notice.kind == "direct" and not notice.direct_organisation_id:
        problems["direct_organisation"] = [
            "Thông báo giao trực tiếp phải nêu tổ chức được giao. / "
            "A direct-assignment notice names the organisation."
        ]
    if notice.kind == "selection" and notice.direct_organisation_id:
        problems["direct_organisation"] = [
            "Thông báo tuyển chọn không nêu trước tổ chức. / A selection notice names no organisation."
        ]
    if notice.first_notice_id and not notice.second_reason:
        problems["second_reason"] = ["Chọn lý do thông báo lần hai. / Choose why the notice is repeated."]
    if notice.first_notice_id and notice.first_notice_id == notice.pk:
        problems["first_notice"] = ["Không thể là chính thông báo này. / Not this notice itself."]
    return problems


def before_notice_save(notice: Any, user: Any, created: bool) -> None:
    if notice.deadline:
        notice.opening_due = rules.opening_due(notice.deadline)


def first_notice_facts(first: Any) -> dict[str, bool]:
    """What the first notice's dossiers say: none filed, all invalid, results cancelled."""
    states = list(
        _model("SelectionDossier")
        .objects.filter(notice=first, state__in=FILED_STATES)
        .values_list("state", flat=True)
    )
    return {
        "no_dossiers": not states and first.state in ("opened", "results_cancelled"),
        "all_invalid": bool(states) and all(s == "invalid" for s in states),
        "results_cancelled": first.state == "results_cancelled",
    }


def notice_may_publish(notice: Any, user: Any) -> str | None:
    now = timezone.now()
    problem = rules.publication_problem(now, notice.deadline)
    if problem is None and notice.first_notice_id:
        first = notice.first_notice
        problem = rules.second_notice_problem(
            now, first.deadline, notice.second_reason, first_notice_facts(first)
        )
    return problem


def on_notice_published(notice: Any, user: Any, transition: Any, payload: dict) -> None:
    notice.published_at = timezone.now()


def after_deadline(record: Any, user: Any) -> str | None:
    """Opening (and judging validity) only once the deadline has passed."""
    notice = getattr(record, "notice", record)
    if rules.before_deadline(timezone.now(), notice.deadline):
        return (
            "Chưa hết hạn nộp hồ sơ, chưa mở được. / The deadline has not passed: nothing can be opened yet."
        )
    return None


def is_national(notice: Any) -> bool:
    return notice.owner_unit.kind in NATIONAL_KINDS


# --- dossiers -----------------------------------------------------------------------------


def validate_dossier(dossier: Any, user: Any) -> dict[str, list[str]]:
    problems = _staff_only_fields(
        dossier,
        user,
        "SelectionDossier",
        ("appraisal_members", "appraisal_present", "paper_evidence", "paper_received_at"),
    )
    notice = dossier.notice if dossier.notice_id else None
    if (
        notice is not None
        and notice.kind == "direct"
        and dossier.organisation_id != notice.direct_organisation_id
    ):
        problems["organisation"] = [
            "Nhiệm vụ giao trực tiếp cho tổ chức khác. / "
            "This task is assigned directly to another organisation."
        ]
    if dossier.investigator_id and dossier.investigator.organisation_id != dossier.organisation_id:
        problems["investigator"] = [
            "Chủ nhiệm phải thuộc tổ chức chủ trì. / The investigator belongs to the host organisation."
        ]
    old = dossier.replaces if dossier.replaces_id else None
    if old is not None and (
        old.notice_id != dossier.notice_id
        or old.organisation_id != dossier.organisation_id
        or old.state != "submitted"
    ):
        problems["replaces"] = [
            "Chỉ thay hồ sơ đã nộp của cùng tổ chức, cùng thông báo. / "
            "Only a submitted dossier of the same organisation and notice can be replaced."
        ]
    return problems


def dossier_reasons(dossier: Any) -> list[eligibility.Reason]:
    """Each bar the organisation or the investigator meets, on the receipt day (or today)."""
    moment = dossier.received_at or timezone.now()
    on = timezone.localtime(moment).date()
    org = dossier.organisation
    reasons = eligibility.organisation_reasons(
        eligibility.OrganisationFacts(
            results_unregistered=org.results_unregistered,
            application_report_missing=org.application_report_missing,
            contract_ended_on=org.contract_ended_on,
            acceptance_submitted_on=org.acceptance_submitted_on,
            funds_unrepaid=org.funds_unrepaid,
            suspended_on=org.suspended_on,
        ),
        on,
    )
    pi = dossier.investigator
    leads = bool(pi.national_task_until and pi.national_task_until >= on) or (
        _model("SelectionDossier")
        .objects.filter(investigator=pi, state="selected", notice__owner_unit__kind__in=NATIONAL_KINDS)
        .exclude(pk=dossier.pk)
        .exists()
    )
    if not leads:  # the national list of tasks in progress, sent down by the national database
        from .national_list import led_by

        leads = led_by(pi, on) is not None
    reasons += eligibility.investigator_reasons(
        eligibility.InvestigatorFacts(
            degree=pi.degree,
            in_field_since=pi.in_field_since,
            leads_national_task=leads,
            suspended_on=pi.suspended_on,
        ),
        on,
    )
    # what the organisation's and the investigator's contracts show (part 2: acceptance, refunds)
    from .standing import investigator_reasons as pi_standing
    from .standing import merge
    from .standing import organisation_reasons as org_standing

    return merge(reasons, org_standing(org.pk, on) + pi_standing(pi.pk, on, NATIONAL_KINDS))


def before_dossier_save(dossier: Any, user: Any, created: bool) -> None:
    """Eligibility is judged and explained while the dossier is open to judgement; each of the
    winner's steps gets its deadline in days when it starts (`rules.step_due`, §7.7-7.9)."""
    stored = _stored(dossier)
    if stored is None or stored.state != dossier.state:
        days = STEP_DAYS.get(dossier.state)
        dossier.step_due = rules.step_due(workdays.today(), days) if days else None
    if dossier.state in ("draft", "submitted"):
        reasons = dossier_reasons(dossier)
        dossier.eligibility = [r.as_dict() for r in reasons]
        dossier.eligible = not reasons
    ordered = dossier.notice.ordered_task
    dossier.proposed_the_task = bool(ordered and ordered.proposed_by_id == dossier.organisation_id)


def after_dossier_save(dossier: Any, user: Any, created: bool) -> None:
    if created:
        group = organisation_group(dossier.organisation_id)
        object_grants.grant_group(
            _entity("SelectionDossier"),
            group,
            dossier,
            (
                "view",
                "change",
                "transition:submit",
                "transition:withdraw",
                "transition:submit_revision",
                "transition:finalise",
            ),
        )


def before_notice_deadline(dossier: Any, user: Any) -> str | None:
    """Submit, withdraw, replace: only while the notice is published and before its deadline."""
    notice = dossier.notice
    if notice.state != "published":
        return "Thông báo không còn nhận hồ sơ. / The notice no longer takes dossiers."
    if not rules.before_deadline(timezone.now(), notice.deadline):
        return rules.late_message(notice.deadline)
    return None


def on_dossier_submitted(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """Receipt at the system's time; a replacement takes the place of the dossier it replaces."""
    dossier.channel = "online"
    dossier.received_at = dossier.recorded_at = timezone.now()
    replace_submitted(dossier, user)


def replace_submitted(dossier: Any, user: Any) -> None:
    """The dossier a new receipt replaces (same organisation and notice) becomes "replaced"."""
    from modules.engine import services

    old = (
        _model("SelectionDossier")
        .objects.select_for_update()
        .filter(pk=dossier.replaces_id, state="submitted")
        .first()
    )
    if old is not None:
        old.state = "replaced"
        services.save_record(
            _entity("SelectionDossier"),
            user,
            old,
            created=False,
            expected_version=old.version,
            reason=f"replaced: {dossier.pk}",
            by_transition=True,
        )


def step_in_time(dossier: Any, user: Any) -> str | None:
    """The 20-day revision and the 15-day final dossier: late, the managing unit may cancel (§7.11)."""
    if dossier.step_due and workdays.today() > dossier.step_due:
        due = dossier.step_due.strftime("%d/%m/%Y")
        return (
            f"Đã quá hạn nộp ({due}); cơ quan quản lý có thể huỷ kết quả. / "
            f"Past the deadline ({due}); the managing unit may cancel the result."
        )
    return None


def revision_attached(dossier: Any, user: Any) -> str | None:
    if not dossier.revision_file:
        return "Đính kèm hồ sơ hoàn thiện (B2-8-GTHĐ). / Attach the revised dossier (B2-8-GTHĐ)."
    return None


def final_attached(dossier: Any, user: Any) -> str | None:
    if not dossier.final_file:
        return "Đính kèm hồ sơ sau thẩm định (B3-3). / Attach the final dossier (B3-3)."
    return None


def appraisal_quorum(dossier: Any, user: Any) -> str | None:
    """The budget appraisal group: 5 members, quorum 4 (§7.8)."""
    from fractions import Fraction

    from modules.engine.ballots import QuorumRule, Seat, quorum_problems

    members = dossier.appraisal_members or 0
    present = dossier.appraisal_present or 0
    if members != 5:
        return "Tổ thẩm định có 5 thành viên. / The appraisal group has 5 members."
    seats = [Seat("member", k < present) for k in range(members)]
    return " ".join(quorum_problems(seats, QuorumRule(fraction=Fraction(4, 5)))) or None


def on_approved(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """Published for at least 60 days from the approval (§7.10)."""
    import datetime as dt

    dossier.published_until = workdays.today() + dt.timedelta(days=PUBLISHED_DAYS)


def eligible_only(dossier: Any, user: Any) -> str | None:
    if not dossier.eligible:
        return (
            "Hồ sơ có lý do không đủ điều kiện, đánh dấu không hợp lệ. / "
            "The dossier has eligibility failures: mark it invalid."
        )
    return None
