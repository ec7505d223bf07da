"""Building S&T selection records for tests through the engine's write path."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from modules.engine import registry, services
from modules.stm.roles import STM_APPLICANT

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN)  # a Monday: notices are published at T0
DEADLINE = T0 + dt.timedelta(days=30)  # the earliest deadline the 30-day rule allows


def E(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def applicant(username: str) -> Any:
    """An account from outside the Ministry: no unit, the applicant role only."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password="pass12345")
    user.groups.add(Group.objects.get_or_create(name=STM_APPLICANT)[0])
    return user


def register_org(user: Any, name: str, **values: Any) -> Any:
    return services.create_record(E("HostOrganisation"), user, {"name": name, "tax_code": "0100"} | values)


def add_pi(user: Any, org: Any, name: str = "Nguyễn Văn An", **values: Any) -> Any:
    data = {
        "full_name": name,
        "organisation": org.pk,
        "degree": "doctor",
        "science_field": "102",
        "in_field_since": dt.date(2012, 9, 1),
    } | values
    return services.create_record(E("PrincipalInvestigator"), user, data)


def ordered_task(officer: Any, **values: Any) -> Any:
    data = {"title": "Nền tảng dữ liệu KH&CN tỉnh", "task_type": "tech", "science_field": "102"} | values
    return services.create_record(E("OrderedTask"), officer, data)


def make_notice(officer: Any, deadline: dt.datetime = DEADLINE, **values: Any) -> Any:
    task = values.pop("ordered_task", None) or ordered_task(officer)
    data = {
        "kind": "selection",
        "ordered_task": task.pk,
        "title": task.title,
        "task_type": "tech",
        "deadline": deadline,
    } | values
    return services.create_record(E("SelectionNotice"), officer, data)


def fire(user: Any, record: Any, entity: str, name: str, comment: str = "") -> Any:
    record.refresh_from_db()
    return services.fire_transition(E(entity), user, record.pk, name, record.version, comment)


def publish(officer: Any, notice: Any) -> Any:
    return fire(officer, notice, "SelectionNotice", "publish")


def make_dossier(user: Any, notice: Any, org: Any, pi: Any, **values: Any) -> Any:
    data = {
        "notice": notice.pk,
        "organisation": org.pk,
        "investigator": pi.pk,
        "title": notice.title,
        "state_budget": 2_000_000_000,
    } | values
    return services.create_record(E("SelectionDossier"), user, data)


def expert_account(username: str) -> Any:
    from django.contrib.auth.models import Group, User

    from modules.stm.roles import STM_EXPERT

    user = User.objects.create_user(username=username, password="pass12345")
    user.groups.add(Group.objects.get_or_create(name=STM_EXPERT)[0])
    return user


def make_expert(
    officer: Any, name: str, field: str = "102", organisation: str = "Viện Toán học", **values: Any
) -> Any:
    data = {"full_name": name, "science_field": field, "organisation": organisation} | values
    return services.create_record(E("Expert"), officer, data)


def seat_rows(experts: list[Any], present: tuple[bool, ...] | None = None) -> list[dict[str, Any]]:
    """Chair, vice-chair, secretary, two reviewers, then members, in the experts' order."""
    roles = ["chair", "vice_chair", "secretary", "reviewer", "reviewer"] + ["member"] * (len(experts) - 5)
    present = present or (True,) * len(experts)
    return [
        {"expert": e.pk, "role": role, "present": here}
        for e, role, here in zip(experts, roles, present, strict=True)
    ]


def full_tech_ballot(minus: int = 0, **override: int) -> dict[str, int]:
    """A technology-topic ballot: full marks less `minus` points, taken one at a time in turn from
    each criterion still above zero (so no criterion is zeroed before the others)."""
    ballot = {"overview": 12, "content": 24, "products": 16, "applicability": 16, "plan": 16, "capacity": 16}
    order = ("capacity", "plan", "applicability", "products", "overview", "content")
    left = minus
    while left > 0 and any(ballot.values()):
        for code in order:
            if left and ballot[code]:
                ballot[code] -= 1
                left -= 1
    return ballot | override


def build_meeting(org: Any, dossiers: int = 2) -> dict[str, Any]:
    """Province A's notice with valid dossiers (Alice's, then Bob's), nine experts with accounts
    kept by provinces A and B, and one expert working for Alice's organisation."""
    import time_machine

    alice, bob = applicant("alice"), applicant("bob")
    org_a = register_org(alice, "Viện Công nghệ thông tin")
    org_b = register_org(bob, "Công ty Phần mềm Bình Minh")
    after = DEADLINE + dt.timedelta(days=1)
    with time_machine.travel(T0, tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a))
        d_a = fire(
            alice, make_dossier(alice, notice, org_a, add_pi(alice, org_a)), "SelectionDossier", "submit"
        )
        filed = [d_a]
        if dossiers > 1:
            d_b = make_dossier(
                bob, notice, org_b, add_pi(bob, org_b, "Trần Thị Bình"), state_budget=1_500_000_000
            )
            filed.append(fire(bob, d_b, "SelectionDossier", "submit"))
    with time_machine.travel(after, tick=False):
        for dossier in filed:
            fire(org.officer_a, dossier, "SelectionDossier", "accept")
    experts = [
        make_expert(
            org.officer_b if i % 2 else org.officer_a, f"Chuyên gia {i}", account=expert_account(f"cg{i}").pk
        )
        for i in range(9)
    ]
    conflicted = make_expert(org.officer_b, "Lê Văn Cường", organisation="Viện Công nghệ Thông tin")
    result = {"notice": notice, "experts": experts, "conflicted": conflicted, "after": after, "a": filed[0]}
    if dossiers > 1:
        result["b"] = filed[1]
    return result


def make_council(
    org: Any, meeting: dict[str, Any], rows: list[dict[str, Any]] | None = None, **values: Any
) -> Any:
    data = {
        "notice": meeting["notice"].pk,
        "title": "Hội đồng tuyển chọn nhiệm vụ nền tảng dữ liệu",
        "meeting_at": meeting["after"] + dt.timedelta(days=14),
        "secretary": org.officer_a.pk,
        "members": rows if rows is not None else seat_rows(meeting["experts"]),
    } | values
    return services.create_record(E("Council"), org.officer_a, data)


def cast(expert: Any, council: Any, dossier: Any, scores: dict[str, int]) -> Any:
    return services.create_record(
        E("Ballot"),
        expert.account,
        {"council": council.pk, "dossier": dossier.pk, "expert": expert.pk, "scores": scores},
    )


SELECTED_AT = DEADLINE + dt.timedelta(days=21)  # Wednesday 21/04/2027, 09:00


def select_winner(org: Any, username: str = "vien") -> tuple[Any, Any]:
    """Province A's notice with one dossier, valid and selected at SELECTED_AT: (applicant, dossier)."""
    import time_machine

    user = applicant(username)
    hostorg = register_org(user, "Viện Công nghệ thông tin")
    pi = add_pi(user, hostorg)
    with time_machine.travel(T0, tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a))
        dossier = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
    with time_machine.travel(DEADLINE + dt.timedelta(days=1), tick=False):
        fire(org.officer_a, dossier, "SelectionDossier", "accept")
    with time_machine.travel(SELECTED_AT, tick=False):
        dossier = fire(org.officer_a, dossier, "SelectionDossier", "select")
    return user, dossier


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def attach(user: Any, record: Any, field: str, entity: str = "SelectionDossier") -> Any:
    """Upload a small PDF into `field` of `record` through the write path."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    record.refresh_from_db()
    upload = SimpleUploadedFile(f"{field}.pdf", PDF_BYTES, content_type="application/pdf")
    return services.update_record(E(entity), user, record.pk, {field: upload}, record.version)
