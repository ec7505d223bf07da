"""What past contracts say about an organisation and an investigator applying again (domain.md §7.2,
read from part 2's records): results recognised but not registered, an acceptance dossier not
filed within 30 days of a contract's end, a refund due after "Không đạt" and not repaid, and the
restriction on future applications recorded with it (TT 11/2014). Part 1's eligibility check
(`hooks.dossier_reasons`) adds these reasons to the ones its own facts give; the codes are the
same where the bar is the same, so a bar is named once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.engine import registry

from .eligibility import Reason


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _contracts() -> Any:
    return registry.model_for("stm.Contract").objects


def _numbers(rows: Any) -> str:
    return ", ".join(r.number or r.title for r in rows[:3])


def organisation_reasons(organisation_id: int, on: dt.date) -> list[Reason]:
    """The organisation's bars on day `on` that its contracts show, in §7.2's order."""
    reasons: list[Reason] = []
    contracts = _contracts().filter(organisation_id=organisation_id)
    unregistered = list(
        contracts.filter(state="completed", accepted_on__lte=on)
        .exclude(
            pk__in=registry.model_for("stm.TaskResult")
            .objects.filter(state="registered")
            .values("contract_id")
        )
        .order_by("accepted_on", "id")
    )
    if unregistered:
        reasons.append(
            Reason(
                "ORG_RESULTS_UNREGISTERED",
                f"Tổ chức chưa đăng ký kết quả nhiệm vụ đã được công nhận ({_numbers(unregistered)}). / "
                f"The organisation has not registered the results of a recognised task "
                f"({_numbers(unregistered)}).",
            )
        )
    late = list(contracts.filter(state="active", acceptance_due__lt=on).order_by("acceptance_due", "id"))
    if late:
        due = late[0].acceptance_due
        reasons.append(
            Reason(
                "ORG_ACCEPTANCE_LATE",
                f"Tổ chức không nộp hồ sơ nghiệm thu trong 30 ngày sau khi hợp đồng {_numbers(late)} "
                f"kết thúc (hạn {_d(due)}). / The acceptance dossier of contract {_numbers(late)} "
                f"was not filed within 30 days of its end (due {_d(due)}).",
            )
        )
    unpaid = list(contracts.filter(refund_due__gt=0, refunded_on__isnull=True).order_by("id"))
    if unpaid:
        reasons.append(
            Reason(
                "ORG_FUNDS_UNREPAID",
                f"Tổ chức chưa hoàn trả kinh phí của nhiệm vụ không đạt ({_numbers(unpaid)}). / "
                f"The organisation has not repaid the funds of a task not accepted ({_numbers(unpaid)}).",
            )
        )
    restricted = list(contracts.filter(restricted_until__gte=on).order_by("-restricted_until"))
    if restricted:
        until = restricted[0].restricted_until
        reasons.append(
            Reason(
                "ORG_RESTRICTED",
                f"Tổ chức bị hạn chế đăng ký đến {_d(until)} do nhiệm vụ {_numbers(restricted)} nghiệm thu "
                f"không đạt. / The organisation may not apply until {_d(until)}: task "
                f"{_numbers(restricted)} was not accepted.",
            )
        )
    return reasons


def investigator_reasons(investigator_id: int, on: dt.date, national_kinds: tuple[str, ...]) -> list[Reason]:
    """The investigator's bars from contracts: leading a national task under way, a restriction."""
    reasons: list[Reason] = []
    contracts = _contracts().filter(investigator_id=investigator_id)
    leading = list(
        contracts.filter(state__in=("active", "in_acceptance"), owner_unit__kind__in=national_kinds)
        .filter(start_on__lte=on)
        .order_by("id")
    )
    if leading:
        reasons.append(
            Reason(
                "PI_LEADS_NATIONAL_TASK",
                f"Chủ nhiệm đang chủ trì nhiệm vụ cấp quốc gia khác ({_numbers(leading)}). / "
                f"The principal investigator leads another national task ({_numbers(leading)}).",
            )
        )
    restricted = list(contracts.filter(restricted_until__gte=on).order_by("-restricted_until"))
    if restricted:
        until = restricted[0].restricted_until
        reasons.append(
            Reason(
                "PI_RESTRICTED",
                f"Chủ nhiệm bị hạn chế đăng ký đến {_d(until)} do nhiệm vụ {_numbers(restricted)} nghiệm thu "
                f"không đạt. / The principal investigator may not apply until {_d(until)}: task "
                f"{_numbers(restricted)} was not accepted.",
            )
        )
    return reasons


def merge(first: list[Reason], more: list[Reason]) -> list[Reason]:
    """Part 1's reasons, then the contracts' ones whose code is not named yet."""
    codes = {r.code for r in first}
    return first + [r for r in more if r.code not in codes]
