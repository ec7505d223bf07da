"""Building S&T part 2 records (issue 19: contracts, acceptance) through the engine's write path."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from modules.engine import services
from tests.stm_helpers import E, add_pi, applicant, fire, make_expert, register_org

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
START = dt.date(2027, 1, 4)  # a Monday
END = dt.date(2027, 9, 30)  # a Thursday
DOSSIER_PARTS = (
    "self_assessment",
    "full_report",
    "summary_report",
    "products_report",
    "spending_report",
    "logbooks",
)


def pdf(name: str = "file") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", PDF_BYTES, content_type="application/pdf")


def host(username: str = "vien", name: str = "Viện Công nghệ thông tin") -> tuple[Any, Any, Any]:
    """An applicant account, its organisation and its principal investigator."""
    user = applicant(username)
    organisation = register_org(user, name)
    return user, organisation, add_pi(user, organisation)


def make_contract(officer: Any, organisation: Any, pi: Any, **values: Any) -> Any:
    data = {
        "title": "Nền tảng dữ liệu KH&CN tỉnh",
        "task_type": "tech",
        "science_field": "102",
        "organisation": organisation.pk,
        "investigator": pi.pk,
        "start_on": START,
        "end_on": END,
        "state_budget": 1_000_000_000,
        "contract_file": pdf("contract"),
    } | values
    return services.create_record(E("Contract"), officer, data)


def signed_contract(officer: Any, organisation: Any, pi: Any, **values: Any) -> Any:
    return fire(officer, make_contract(officer, organisation, pi, **values), "Contract", "sign")


def make_acceptance(user: Any, contract: Any, **values: Any) -> Any:
    data = {"contract": contract.pk} | {part: pdf(part) for part in DOSSIER_PARTS} | values
    return services.create_record(E("AcceptanceDossier"), user, data)


def council_rows(experts: list[Any], present: int = 9, votes: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Six members from the expert database (chair first) and three from the ministry, the users
    and the ordering body; the first `present` are present and vote `votes` in order."""
    rows: list[dict[str, Any]] = []
    for i, expert in enumerate(experts[:6]):
        rows.append({"expert": expert.pk, "group": "expert_db", "role": "chair" if i == 0 else "member"})
    for name, group in (
        ("Đại diện Bộ", "ministry"),
        ("Đại diện sử dụng", "user"),
        ("Bên đặt hàng", "ordering_body"),
    ):
        rows.append({"full_name": name, "group": group, "role": "member"})
    for i, row in enumerate(rows):
        row["present"] = i < present
        row["vote"] = votes[i] if i < len(votes) else ""
    return rows


def experts(officer: Any, count: int = 6) -> list[Any]:
    return [
        make_expert(officer, f"Chuyên gia nghiệm thu {i}", organisation=f"Viện {i}") for i in range(count)
    ]


__all__ = ["council_rows", "experts", "host", "make_acceptance", "make_contract", "pdf", "signed_contract"]
