"""Secret S&T tasks (domain.md §7.13, TT 20/2023): assigned directly (S&T Law 2013 Art. 30),
filed with the commitment forms B1-7, B1-8 and B1-9, led by an investigator of Vietnamese
nationality only.

Kept apart like the documents module's secret register: `SecretTask` gives no role a right to
view, change or move it (`definition_secret.py`), so the engine's one rule
(`access.scoped_queryset`) admits only object grants, on every route (lists, by id, search,
the admin and its export, the register's XLSX and PDF, files, live events):

- whoever records it keeps it (view, change, every step);
- the organisation it is assigned to: its group may view it, add its files and file it;
- the readers the keeper names (`readers`, an assignee link granting "view").
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import object_grants, registry
from modules.engine.display import display_name
from modules.engine.registers import Column, Register

from .hooks import organisation_group

KEEPER = ("view", "change", "transition:file", "transition:approve", "transition:cancel")
ORGANISATION = ("view", "change", "transition:file")
COMMITMENTS = (
    ("commitment_b17", "B1-7"),
    ("commitment_b18", "B1-8"),
    ("commitment_b19", "B1-9"),
)
STATES = {"draft": "Đang lập", "filed": "Đã nộp hồ sơ", "approved": "Đã phê duyệt", "cancelled": "Đã huỷ"}


def _entity() -> Any:
    return registry.entity_by_label("stm.SecretTask")


def validate(task: Any, user: Any) -> dict[str, list[str]]:
    if (
        task.investigator_id
        and task.organisation_id
        and task.investigator.organisation_id != task.organisation_id
    ):
        return {
            "investigator": [
                "Chủ nhiệm phải thuộc tổ chức được giao. / "
                "The investigator belongs to the assigned organisation."
            ]
        }
    return {}


def after_save(task: Any, user: Any, created: bool) -> None:
    """The keeper and the assigned organisation are granted the task; nobody else by role."""
    if not created:
        return
    if getattr(user, "pk", None) and not user.is_superuser:
        object_grants.grant_user(_entity(), user, task, KEEPER)
    object_grants.grant_group(_entity(), organisation_group(task.organisation_id), task, ORGANISATION)


def may_file(task: Any, user: Any) -> str | None:
    """§7.13: the three commitment forms attached; an investigator of Vietnamese nationality only."""
    missing = [code for name, code in COMMITMENTS if not getattr(task, name)]
    problems = []
    if missing:
        joined = ", ".join(missing)
        problems.append(f"Đính kèm mẫu cam kết {joined}. / Attach the commitment forms {joined}.")
    if not task.investigator_vietnamese_only:
        problems.append(
            "Chủ nhiệm nhiệm vụ mật chỉ mang quốc tịch Việt Nam. / "
            "A secret task's investigator holds Vietnamese nationality only."
        )
    return " ".join(problems) or None


def on_filed(task: Any, user: Any, transition: Any, payload: dict) -> None:
    task.filed_at = timezone.now()


REGISTER = Register(
    name="secret-tasks",
    title_vi="Sổ theo dõi nhiệm vụ KH&CN mật",
    title_en="Register of secret S&T tasks",
    entity="stm.SecretTask",
    date_field="created_at",
    columns=(
        Column("Số / Number", lambda t: t.number, 0.8),
        Column("Tên nhiệm vụ / Title", lambda t: t.title, 2.5),
        Column("Tổ chức chủ trì / Organisation", lambda t: t.organisation.name, 1.6),
        Column("Chủ nhiệm / Investigator", lambda t: t.investigator.full_name, 1.2),
        Column("Nộp hồ sơ / Filed", lambda t: t.filed_at, 1.0),
        Column(
            "Người lập / Recorded by", lambda t: display_name(t.created_by) if t.created_by_id else "", 1.2
        ),
        Column("Tình trạng / State", lambda t: STATES.get(t.state, t.state), 0.9),
    ),
    ordering=("id",),
    select_related=("organisation", "investigator", "created_by"),
)
