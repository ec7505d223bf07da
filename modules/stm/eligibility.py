"""Who may apply: the host organisation's and the principal investigator's bars.

domain.md §7.2 (TT 20/2023/TT-BKHCN): the host organisation is barred if it has not registered
or deposited past results, has not filed an application report, has not submitted its acceptance
dossier within 30 days of a contract ending, has not repaid funds, or was suspended within the
last year; the principal investigator needs a degree and 5 years in the field, must not lead
another national task, and a suspension bars them for 3 years. Pure functions of the facts, so
every bar is tested on its own; each failure is a reason with a code and a bilingual message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

ACCEPTANCE_DAYS = 30  # §7.2: acceptance dossier within 30 days of the contract's end
ORG_SUSPENSION_YEARS = 1  # §7.2: suspended within the last year
PI_SUSPENSION_YEARS = 3  # §7.2: a suspension bars the investigator for 3 years
PI_FIELD_YEARS = 5  # §7.2: five years in the field
DEGREES_ADMITTED = ("bachelor", "master", "doctor")  # "a degree": university level or above


@dataclass(frozen=True)
class Reason:
    code: str
    message: str  # "Vietnamese. / English."

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class OrganisationFacts:
    results_unregistered: bool = False
    application_report_missing: bool = False
    contract_ended_on: dt.date | None = None
    acceptance_submitted_on: dt.date | None = None
    funds_unrepaid: bool = False
    suspended_on: dt.date | None = None


@dataclass(frozen=True)
class InvestigatorFacts:
    degree: str = ""
    in_field_since: dt.date | None = None
    leads_national_task: bool = False
    suspended_on: dt.date | None = None


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def organisation_reasons(facts: OrganisationFacts, on: dt.date) -> list[Reason]:
    """The organisation's bars on day `on` (the notice's deadline), in the rule's order."""
    reasons: list[Reason] = []
    if facts.results_unregistered:
        reasons.append(
            Reason(
                "ORG_RESULTS_UNREGISTERED",
                "Tổ chức chưa đăng ký, giao nộp kết quả nhiệm vụ trước. / "
                "The organisation has not registered or deposited past results.",
            )
        )
    if facts.application_report_missing:
        reasons.append(
            Reason(
                "ORG_APPLICATION_REPORT_MISSING",
                "Tổ chức chưa nộp báo cáo ứng dụng kết quả. / "
                "The organisation has not filed its application report.",
            )
        )
    if facts.contract_ended_on is not None:
        due = facts.contract_ended_on + dt.timedelta(days=ACCEPTANCE_DAYS)
        # a bar while the dossier is outstanding past the 30 days; once filed, it is lifted
        if facts.acceptance_submitted_on is None and on > due:
            reasons.append(
                Reason(
                    "ORG_ACCEPTANCE_LATE",
                    f"Tổ chức không nộp hồ sơ nghiệm thu trong 30 ngày sau khi hợp đồng kết thúc "
                    f"(hạn {_d(due)}). / The acceptance dossier was not filed within 30 days of the "
                    f"contract's end (due {_d(due)}).",
                )
            )
    if facts.funds_unrepaid:
        reasons.append(
            Reason(
                "ORG_FUNDS_UNREPAID",
                "Tổ chức chưa hoàn trả kinh phí theo quy định. / The organisation has not repaid funds.",
            )
        )
    if facts.suspended_on is not None:
        until = facts.suspended_on + relativedelta(years=ORG_SUSPENSION_YEARS)
        if on < until:
            reasons.append(
                Reason(
                    "ORG_SUSPENDED",
                    f"Tổ chức bị đình chỉ ngày {_d(facts.suspended_on)}, chưa quá 1 năm (đến {_d(until)}). / "
                    f"The organisation was suspended on {_d(facts.suspended_on)}, less than a year ago "
                    f"(until {_d(until)}).",
                )
            )
    return reasons


def investigator_reasons(facts: InvestigatorFacts, on: dt.date) -> list[Reason]:
    """The principal investigator's bars on day `on`, in the rule's order."""
    reasons: list[Reason] = []
    if facts.degree not in DEGREES_ADMITTED:
        reasons.append(
            Reason(
                "PI_NO_DEGREE",
                "Chủ nhiệm chưa có trình độ đại học trở lên. / "
                "The principal investigator has no university degree.",
            )
        )
    if facts.in_field_since is None or on < facts.in_field_since + relativedelta(years=PI_FIELD_YEARS):
        reasons.append(
            Reason(
                "PI_FIELD_YEARS",
                "Chủ nhiệm chưa đủ 5 năm làm việc trong lĩnh vực của nhiệm vụ. / "
                "The principal investigator has fewer than 5 years in the task's field.",
            )
        )
    if facts.leads_national_task:
        reasons.append(
            Reason(
                "PI_LEADS_NATIONAL_TASK",
                "Chủ nhiệm đang chủ trì một nhiệm vụ cấp quốc gia khác. / "
                "The principal investigator leads another national task.",
            )
        )
    if facts.suspended_on is not None:
        until = facts.suspended_on + relativedelta(years=PI_SUSPENSION_YEARS)
        if on < until:
            reasons.append(
                Reason(
                    "PI_SUSPENDED",
                    f"Chủ nhiệm bị đình chỉ ngày {_d(facts.suspended_on)}, chưa quá 3 năm "
                    f"(đến {_d(until)}). / "
                    f"The principal investigator was suspended on {_d(facts.suspended_on)}, less than "
                    f"three years ago (until {_d(until)}).",
                )
            )
    return reasons
