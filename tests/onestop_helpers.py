"""Procedures and dossiers for tests, through the engine's write path."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection

from modules.engine import registry, services

COMPONENTS = (
    {
        "name": "Đơn đề nghị đăng ký chuyển giao công nghệ",
        "copy_kind": "original",
        "count": 1,
        "required": True,
    },
    {"name": "Hợp đồng chuyển giao công nghệ", "copy_kind": "either", "count": 1, "required": True},
    {"name": "Giấy tờ về tư cách pháp lý", "copy_kind": "copy", "count": 1, "required": False},
)


def entity(label: str) -> Any:
    return registry.entity_by_label(label)


def make_procedure(org: Any, days: int = 15, **values: Any) -> Any:
    data = {
        "code": "1.004474",
        "name": "Đăng ký chuyển giao công nghệ",
        "field": "Chuyển giao công nghệ",
        "legal_basis": "Luật Chuyển giao công nghệ 2017; Nghị định 76/2018/NĐ-CP",
        "fee": 0,
        "processing_days": days,
        "components": [dict(c) for c in COMPONENTS],
        "steps": [
            {"name": "Thẩm định hồ sơ", "unit": org.department.pk, "working_days": days - 5},
            {"name": "Trình ký", "unit": org.office.pk, "working_days": 3},
        ],
    } | values
    return services.create_record(entity("onestop.Procedure"), org.admin, data)


def applicant(procedure: Any, **values: Any) -> dict[str, Any]:
    return {
        "procedure": procedure.pk,
        "channel": "counter",
        "applicant_kind": "organisation",
        "applicant_name": "Công ty CP Công nghệ Sao Mai",
        "applicant_id": "0101234567",
        "address": "18 Hoàng Quốc Việt, Cầu Giấy, Hà Nội",
        "phone": "0912 345 678",
        "email": "lienhe@saomai.vn",
        "components": [
            {"name": c["name"], "copy_kind": c["copy_kind"], "count": 1, "provided": True} for c in COMPONENTS
        ],
    } | values


def fire(user: Any, dossier: Any, name: str, comment: str = "") -> Any:
    dossier.refresh_from_db()
    return services.fire_transition(
        entity("onestop.Dossier"), user, dossier.pk, name, dossier.version, comment
    )


def returned(clerk: Any, admin: Any, procedure: Any) -> Any:
    """A dossier received, handled through every step and returned today."""
    from modules.onestop.api import receive

    dossier = fire(clerk, receive(clerk, applicant(procedure)), "start")
    dossier = fire(admin, fire(admin, dossier, "advance"), "process")
    return fire(clerk, dossier, "return_result")


def receive_concurrently(clerk: Any, procedure: Any, threads: int = 6, each: int = 3) -> list[Any]:
    """Dossiers received by `threads` clerks' requests at once (`each` apiece), started together.

    For the rules that must hold under a race: codes and register numbers given once, none skipped.
    """
    from modules.onestop.api import receive

    rows: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(each):
                row = receive(clerk, applicant(procedure, applicant_name=f"Người nộp {i}-{n}"))
                with lock:
                    rows.append(row)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    started = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join(timeout=120)
    assert not errors, errors
    return rows
