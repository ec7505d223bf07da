"""Rules plugged into the contract, its tranches, disbursements, progress reports, inspections and
change requests (issue 19, part 2). The host organisation's group is granted each row it may see
or act on when the row is written, so it reads its own contract by every route, like part 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from modules.engine import object_grants, registry, services, workdays
from modules.engine.access import has_role_permission

from . import contract_rules
from .hooks import organisation_group

OPEN_STATES = ("active", "in_acceptance")  # a contract under way
REPORTING_STATES = ("submitted", "reviewed")  # a periodic report counts once filed
HOST_ACTIONS = {  # what the host organisation's group may do on each kind of row
    "Contract": ("view",),
    "ContractTranche": ("view",),
    "Disbursement": ("view",),
    "ContractInspection": ("view",),
    "ProgressReport": ("view", "change", "transition:submit"),
    "ContractChange": ("view", "change", "transition:submit"),
    "AcceptanceDossier": (
        "view",
        "change",
        "transition:submit",
        "transition:complete",
        "transition:submit_revision",
    ),
    "TaskResult": ("view", "change"),
}


def _entity(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def _model(name: str) -> Any:
    return registry.model_for(f"stm.{name}")


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _stored(instance: Any) -> Any:
    return type(instance)._default_manager.filter(pk=instance.pk).first() if instance.pk else None


def vnd(amount: Decimal | int) -> str:
    """Money the Vietnamese way: 1.500.000."""
    return f"{amount:,.0f}".replace(",", ".")


def host_of(row: Any) -> int | None:
    """The host organisation a row belongs to (through its contract)."""
    if type(row).__name__ == "Contract":
        return row.organisation_id
    contract = getattr(row, "contract", None)
    return contract.organisation_id if contract is not None else None


def grant_to_host(row: Any, user: Any, created: bool) -> None:
    """On create, the host organisation's group gets its actions on the row."""
    if not created:
        return
    org_id = host_of(row)
    if org_id is not None:
        name = type(row).__name__
        object_grants.grant_group(_entity(name), organisation_group(org_id), row, HOST_ACTIONS[name])


def save_derived(entity_name: str, row: Any, reason: str, user: Any = None) -> Any:
    """Write a row's derived values through the write path (history, version, live event)."""
    return services.save_record(
        _entity(entity_name),
        user,
        row,
        created=False,
        expected_version=row.version,
        reason=reason,
        by_transition=True,
    )


# --- contracts ----------------------------------------------------------------------------


def validate_contract(contract: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name in ("start_on", "end_on", "signed_on"):
        if contract_rules.out_of_range(getattr(contract, name)):
            problems[name] = [contract_rules.OUT_OF_RANGE]
    if problems:
        return problems
    if contract.start_on and contract.end_on and contract.end_on <= contract.start_on:
        problems["end_on"] = ["Ngày kết thúc phải sau ngày bắt đầu. / The end date follows the start date."]
    if (
        contract.investigator_id
        and contract.organisation_id
        and (contract.investigator.organisation_id != contract.organisation_id)
    ):
        problems["investigator"] = [
            "Chủ nhiệm phải thuộc tổ chức chủ trì. / The investigator belongs to the host organisation."
        ]
    if contract.spending_mode == "partial":
        if not contract.lump_sum_budget:
            problems["lump_sum_budget"] = [
                "Khoán chi từng phần: ghi phần kinh phí được khoán. / "
                "Partial lump sum: give the lump-sum part."
            ]
        elif contract.state_budget is not None and contract.lump_sum_budget > contract.state_budget:
            problems["lump_sum_budget"] = [
                "Phần khoán chi không vượt kinh phí ngân sách nhà nước. / "
                "The lump-sum part cannot exceed the state budget."
            ]
    elif contract.lump_sum_budget:
        problems["lump_sum_budget"] = [
            "Khoán chi đến sản phẩm cuối cùng: toàn bộ kinh phí được khoán, để trống ô này. / "
            "Whole lump sum: the whole budget is a lump sum; leave this empty."
        ]
    if contract.dossier_id:
        dossier = contract.dossier
        if dossier.state != "approved":
            problems["dossier"] = [
                "Chỉ ký hợp đồng với hồ sơ đã được phê duyệt. / Only an approved dossier gets a contract."
            ]
        elif contract.organisation_id and dossier.organisation_id != contract.organisation_id:
            problems["organisation"] = [
                "Tổ chức chủ trì khác với hồ sơ trúng tuyển. / Not the selected dossier's host organisation."
            ]
        elif (
            _model("Contract").objects.filter(dossier_id=contract.dossier_id).exclude(pk=contract.pk).exists()
        ):
            problems["dossier"] = ["Hồ sơ này đã có hợp đồng. / This dossier already has a contract."]
    return problems


def reports_filed(contract: Any) -> int:
    if not contract.pk:
        return 0
    return (
        _model("ProgressReport")
        .objects.filter(contract_id=contract.pk, kind="periodic", state__in=REPORTING_STATES)
        .count()
    )


def before_contract_save(contract: Any, user: Any, created: bool) -> None:
    """Every deadline that follows from the dates, recomputed on each save: a change that moves
    the end moves the acceptance dossier's due date and the report schedule with it."""
    if contract.start_on and contract.end_on:
        contract.duration_months = contract_rules.duration_months(contract.start_on, contract.end_on)
        dates = contract_rules.deadlines(contract.start_on, contract.end_on, reports_filed(contract))
        contract.acceptance_due = dates["acceptance_due"]
        contract.next_report_due = dates["next_report_due"] if contract.state in ("draft", "active") else None


def after_contract_save(contract: Any, user: Any, created: bool) -> None:
    grant_to_host(contract, user, created)


def contract_may_sign(contract: Any, user: Any) -> str | None:
    if not contract.contract_file:
        return "Đính kèm hợp đồng đã ký. / Attach the signed contract."
    return None


def on_signed(contract: Any, user: Any, transition: Any, payload: dict) -> None:
    if not contract.signed_on:
        contract.signed_on = workdays.today()


def refresh_contract(contract_id: int, reason: str, user: Any = None) -> None:
    """Re-derive a contract's report schedule and disbursed total after a child row changed."""
    contract = _model("Contract").objects.select_for_update().get(pk=contract_id)
    disbursed = _model("Disbursement").objects.filter(contract_id=contract_id).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal(0)
    before = (contract.next_report_due, contract.disbursed)
    contract.disbursed = disbursed
    before_contract_save(contract, user, False)
    if (contract.next_report_due, contract.disbursed) != before:
        save_derived("Contract", contract, reason, user)


# --- tranches and disbursements -----------------------------------------------------------


def validate_tranche(tranche: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    contract = tranche.contract if tranche.contract_id else None
    if contract is None:
        return problems
    if tranche.amount is not None:
        others = _model("ContractTranche").objects.filter(contract_id=contract.pk).exclude(
            pk=tranche.pk
        ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if others + tranche.amount > contract.state_budget:
            problems["amount"] = [
                f"Tổng các đợt vượt kinh phí ngân sách nhà nước ({vnd(contract.state_budget)} đồng). / "
                f"The tranches exceed the state budget ({vnd(contract.state_budget)} VND)."
            ]
        if tranche.pk and tranche.amount < (tranche.disbursed or 0):
            problems["amount"] = ["Ít hơn số đã cấp. / Less than already disbursed."]
    if tranche.due_on and contract.end_on and tranche.due_on > contract.end_on:
        problems["due_on"] = [
            f"Mốc phải trong thời hạn hợp đồng (đến {_d(contract.end_on)}). / "
            f"A milestone falls within the contract (until {_d(contract.end_on)})."
        ]
    return problems


def validate_disbursement(payment: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if payment.amount is not None and payment.amount <= 0:
        problems["amount"] = ["Số tiền phải lớn hơn 0. / The amount is positive."]
    if not (payment.tranche_id and payment.contract_id):
        return problems
    tranche = payment.tranche
    if tranche.contract_id != payment.contract_id:
        problems["tranche"] = ["Đợt không thuộc hợp đồng này. / The tranche belongs to another contract."]
        return problems
    if payment.contract.state not in OPEN_STATES:
        problems["contract"] = [
            "Chỉ cấp kinh phí cho hợp đồng đang thực hiện. / Only a contract under way is paid."
        ]
    paid = _model("Disbursement").objects.filter(tranche_id=tranche.pk).exclude(pk=payment.pk).aggregate(
        s=Sum("amount")
    )["s"] or Decimal(0)
    if payment.amount is not None and paid + payment.amount > tranche.amount:
        left = tranche.amount - paid
        problems["amount"] = [
            f"Vượt kinh phí của đợt: còn {vnd(left)} đồng. / Exceeds the tranche: {vnd(left)} VND left."
        ]
    return problems


def after_disbursement_save(payment: Any, user: Any, created: bool) -> None:
    grant_to_host(payment, user, created)
    tranche = _model("ContractTranche").objects.select_for_update().get(pk=payment.tranche_id)
    tranche.disbursed = _model("Disbursement").objects.filter(tranche_id=tranche.pk).aggregate(
        s=Sum("amount")
    )["s"] or Decimal(0)
    save_derived("ContractTranche", tranche, f"disbursement {payment.pk}", user)
    refresh_contract(payment.contract_id, f"disbursement {payment.pk}", user)


# --- progress reports ---------------------------------------------------------------------


def validate_report(report: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if report.contract_id and not report.pk and report.contract.state not in OPEN_STATES:
        problems["contract"] = [
            "Hợp đồng chưa ký hoặc đã kết thúc. / The contract is not signed or has ended."
        ]
    if report.kind == "on_request" and not report.due_on:
        problems["due_on"] = ["Báo cáo đột xuất cần hạn nộp. / A report on request needs a due date."]
    if report.kind == "on_request" and not has_role_permission(user, _entity("ProgressReport"), "change"):
        stored = _stored(report)
        if stored is None or stored.due_on != report.due_on:
            problems["due_on"] = [
                "Chỉ đơn vị quản lý yêu cầu báo cáo đột xuất. / Only the managing unit asks for a report."
            ]
    if report.review_note and not has_role_permission(user, _entity("ProgressReport"), "change"):
        stored = _stored(report)
        if stored is None or stored.review_note != report.review_note:
            problems["review_note"] = ["Chỉ đơn vị quản lý ghi ý kiến. / Only the managing unit reviews."]
    return problems


def before_report_save(report: Any, user: Any, created: bool) -> None:
    """A six-monthly report is due on the contract's next report date, unless one is given."""
    if created and report.kind == "periodic" and not report.due_on:
        report.due_on = report.contract.next_report_due


def after_report_save(report: Any, user: Any, created: bool) -> None:
    grant_to_host(report, user, created)
    if report.kind == "periodic":
        refresh_contract(report.contract_id, f"report {report.number}", user)


def on_report_submitted(report: Any, user: Any, transition: Any, payload: dict) -> None:
    report.submitted_at = timezone.now()
    report.late = bool(report.due_on and timezone.localdate() > report.due_on)


def review_written(report: Any, user: Any) -> str | None:
    if not (report.review_note or "").strip():
        return "Ghi ý kiến xem xét trước. / Write the review first."
    return None


def on_report_reviewed(report: Any, user: Any, transition: Any, payload: dict) -> None:
    report.reviewed_on = workdays.today()


# --- change requests ----------------------------------------------------------------------


def validate_change(change: Any, user: Any) -> dict[str, list[str]]:
    """Each kind names its new value, and the value must make sense against the contract."""
    problems: dict[str, list[str]] = {}
    contract = change.contract if change.contract_id else None
    if contract is None:
        return problems
    needed = "Ghi giá trị mới. / Give the new value."
    if change.kind == "extension":
        if not change.new_end_on:
            problems["new_end_on"] = [needed]
        elif contract_rules.out_of_range(change.new_end_on):
            problems["new_end_on"] = [contract_rules.OUT_OF_RANGE]
        elif change.new_end_on <= contract.end_on:
            problems["new_end_on"] = [
                f"Gia hạn phải sau ngày kết thúc hiện tại ({_d(contract.end_on)}). / "
                f"An extension ends after the current end ({_d(contract.end_on)})."
            ]
    elif change.kind == "budget":
        if change.new_state_budget is None and change.new_other_budget is None:
            problems["new_state_budget"] = [needed]
        elif change.new_state_budget is not None and change.new_state_budget < (contract.disbursed or 0):
            problems["new_state_budget"] = [
                "Kinh phí mới ít hơn số đã cấp. / The new budget is less than already disbursed."
            ]
    elif change.kind == "investigator":
        if not change.new_investigator_id:
            problems["new_investigator"] = [needed]
        elif change.new_investigator_id == contract.investigator_id:
            problems["new_investigator"] = ["Đây là chủ nhiệm hiện tại. / This is the current investigator."]
        elif change.new_investigator.organisation_id != contract.organisation_id:
            problems["new_investigator"] = [
                "Chủ nhiệm mới phải thuộc tổ chức chủ trì. / "
                "The new investigator belongs to the host organisation."
            ]
    elif change.kind == "content" and not (change.new_objectives or "").strip():
        problems["new_objectives"] = [needed]
    if not change.pk and contract.state not in OPEN_STATES:
        problems["contract"] = ["Hợp đồng không còn điều chỉnh được. / The contract can no longer change."]
    return problems


def after_change_save(change: Any, user: Any, created: bool) -> None:
    grant_to_host(change, user, created)


def change_contract_open(change: Any, user: Any) -> str | None:
    if change.contract.state not in OPEN_STATES:
        return "Hợp đồng không còn điều chỉnh được. / The contract can no longer change."
    return None


def _value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def on_change_approved(change: Any, user: Any, transition: Any, payload: dict) -> None:
    """Apply the approved change to the contract through the write path: the contract's history
    keeps its earlier values (and the change keeps them too, in `before`), and the deadlines
    derived from its dates (report schedule, acceptance dossier due) move with it."""
    contract = _model("Contract").objects.select_for_update().get(pk=change.contract_id)
    filed = reports_filed(contract)
    dates_before = contract_rules.deadlines(contract.start_on, contract.end_on, filed)
    before: dict[str, Any] = {}
    for new_field, field in contract_rules.CHANGE_FIELDS[change.kind]:
        value = getattr(change, new_field)
        if value is None or value == "":
            continue
        before[field.removesuffix("_id")] = _value(getattr(contract, field))
        setattr(contract, field, value)
    change.before = before
    change.decided_on = workdays.today()
    save_derived("Contract", contract, f"{change.number}: {change.get_kind_display()}", user)
    dates_after = contract_rules.deadlines(contract.start_on, contract.end_on, filed)
    change.moved = contract_rules.moved(dates_before, dates_after)
