"""Reminder sources of part 2 (issue 19): a six-monthly or requested report due, a milestone due,
a contract's end near, the acceptance dossier due 30 days after the end, and each step of the
acceptance (validity check, missing items, publication, council, revisions, recognition).

The reminders module does the rest (rules in the admin, inbox, email, `myReminders`): a rule names
one of these keys and when to remind. The host organisation's accounts are reminded of what they
owe (reports, dossier, missing items, revisions), the managing unit's heads of their own steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.engine import registry
from modules.reminders.sources import Message, ReminderSource, deadline_phrase

from .hooks import organisation_group
from .reminder_source import _heads

APPLICANT_STEPS = ("incomplete", "revising")  # what the host organisation owes during the acceptance
STEP_LABELS = {
    "submitted": ("kiểm tra tính hợp lệ hồ sơ nghiệm thu", "check the acceptance dossier"),
    "incomplete": ("nộp bổ sung hồ sơ nghiệm thu", "supply the missing items"),
    "valid": ("công khai hồ sơ nghiệm thu", "publish the acceptance dossier"),
    "published": ("thành lập hội đồng nghiệm thu", "form the acceptance council"),
    "revising": ("nộp hồ sơ hoàn thiện sau nghiệm thu", "submit the revised dossier"),
    "awaiting_recognition": ("ra quyết định công nhận kết quả", "issue the recognition decision"),
}


def _model(name: str) -> Any:
    return registry.model_for(f"stm.{name}")


def _host_accounts(organisation_id: int) -> list[Any]:
    return list(organisation_group(organisation_id).user_set.filter(is_active=True))


def _people(kind: str, organisation_id: int, unit_id: int, host_owes: bool) -> list[Any]:
    if kind == "responsible":
        return _host_accounts(organisation_id) if host_owes else _heads(unit_id)
    if kind == "unit_head":
        return _heads(unit_id)
    return []


def _message(
    number: str, what: tuple[str, str], title: str, due: dt.date, today: dt.date, url: str
) -> Message:
    when_vi, when_en = deadline_phrase(today, due)
    return Message(
        title=f"{number}: {what[0]} / {what[1]} — {when_vi}",
        body=f"{title}\n{when_vi} / {when_en}.",
        url=url,
    )


def _contract_url(contract: Any) -> str:
    return f"/admin/stm/contract/{contract.pk}/change/"


def _active_contracts() -> Any:
    return _model("Contract").objects.filter(state="active").order_by("id")


def _contract_source(key: str, label: tuple[str, str], field: str, what: tuple[str, str], host: bool) -> Any:
    return ReminderSource(
        key=key,
        label_vi=label[0],
        label_en=label[1],
        open_items=lambda: _active_contracts().filter(**{f"{field}__isnull": False}),
        deadline_of=lambda contract: getattr(contract, field),
        priority_of=lambda contract: "normal",
        is_key=lambda contract: False,
        recipients=lambda contract, kind: _people(
            kind, contract.organisation_id, contract.owner_unit_id, host
        ),
        message=lambda contract, trigger, today: _message(
            contract.number, what, contract.title, getattr(contract, field), today, _contract_url(contract)
        ),
    )


REPORT_DUE = _contract_source(
    "stm.Contract.report",
    ("Báo cáo định kỳ hợp đồng KH&CN", "S&T contract reports"),
    "next_report_due",
    ("nộp báo cáo định kỳ 6 tháng", "file the six-monthly report"),
    True,
)
CONTRACT_END = _contract_source(
    "stm.Contract.end",
    ("Hợp đồng KH&CN sắp kết thúc", "S&T contracts ending"),
    "end_on",
    ("hợp đồng kết thúc", "the contract ends"),
    True,
)
ACCEPTANCE_DUE = _contract_source(
    "stm.Contract.acceptance",
    ("Hạn nộp hồ sơ nghiệm thu", "Acceptance dossiers due"),
    "acceptance_due",
    (
        "nộp hồ sơ nghiệm thu (30 ngày sau khi kết thúc)",
        "file the acceptance dossier (30 days after the end)",
    ),
    True,
)

REQUESTED_REPORT = ReminderSource(
    key="stm.ProgressReport",
    label_vi="Báo cáo tiến độ chưa nộp",
    label_en="Progress reports not filed",
    open_items=lambda: (
        _model("ProgressReport")
        .objects.filter(state="draft", due_on__isnull=False, contract__state="active")
        .select_related("contract")
        .order_by("id")
    ),
    deadline_of=lambda report: report.due_on,
    priority_of=lambda report: "high" if report.kind == "on_request" else "normal",
    is_key=lambda report: False,
    recipients=lambda report, kind: _people(
        kind, report.contract.organisation_id, report.owner_unit_id, True
    ),
    message=lambda report, trigger, today: _message(
        report.number or report.contract.number,
        ("nộp báo cáo tiến độ", "file the progress report"),
        report.contract.title,
        report.due_on,
        today,
        f"/admin/stm/progressreport/{report.pk}/change/",
    ),
)

MILESTONE_DUE = ReminderSource(
    key="stm.ContractTranche",
    label_vi="Mốc tiến độ hợp đồng KH&CN",
    label_en="S&T contract milestones",
    open_items=lambda: (
        _model("ContractTranche")
        .objects.filter(done_on__isnull=True, contract__state="active")
        .select_related("contract")
        .order_by("id")
    ),
    deadline_of=lambda tranche: tranche.due_on,
    priority_of=lambda tranche: "normal",
    is_key=lambda tranche: False,
    recipients=lambda tranche, kind: _people(
        kind, tranche.contract.organisation_id, tranche.owner_unit_id, True
    ),
    message=lambda tranche, trigger, today: _message(
        tranche.contract.number,
        (f"mốc {tranche.seq}: {tranche.title}", f"milestone {tranche.seq}: {tranche.title}"),
        tranche.contract.title,
        tranche.due_on,
        today,
        _contract_url(tranche.contract),
    ),
)

ACCEPTANCE_STEPS = ReminderSource(
    key="stm.AcceptanceDossier",
    label_vi="Các bước nghiệm thu nhiệm vụ KH&CN",
    label_en="S&T acceptance steps",
    open_items=lambda: (
        _model("AcceptanceDossier")
        .objects.filter(state__in=tuple(STEP_LABELS), step_due__isnull=False)
        .select_related("contract")
        .order_by("id")
    ),
    deadline_of=lambda dossier: dossier.step_due,
    priority_of=lambda dossier: "high",
    is_key=lambda dossier: False,
    recipients=lambda dossier, kind: _people(
        kind, dossier.contract.organisation_id, dossier.owner_unit_id, dossier.state in APPLICANT_STEPS
    ),
    message=lambda dossier, trigger, today: _message(
        dossier.number,
        STEP_LABELS[dossier.state],
        dossier.contract.title,
        dossier.step_due,
        today,
        f"/admin/stm/acceptancedossier/{dossier.pk}/change/",
    ),
)

SOURCES = (REPORT_DUE, CONTRACT_END, ACCEPTANCE_DUE, REQUESTED_REPORT, MILESTONE_DUE, ACCEPTANCE_STEPS)
