"""About 300 tasks over the last six months, in every status, so that the board,
the KPIs and the reminders are alive on first run. Deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Count

from modules.engine import registry, services, workdays
from modules.org.roles import MINISTRY_LEADER, PROVINCIAL_OFFICER, SPECIALIST, UNIT_HEAD

TARGET = 300

SUBJECTS = (
    "Báo cáo tình hình thực hiện chuyển đổi số",
    "Tổng hợp số liệu đổi mới sáng tạo",
    "Rà soát thủ tục hành chính lĩnh vực KH&CN",
    "Xây dựng kế hoạch ứng dụng trí tuệ nhân tạo",
    "Đánh giá kết quả nhiệm vụ KH&CN cấp tỉnh",
    "Chuẩn bị hồ sơ Hội nghị giao ban",
    "Góp ý dự thảo Nghị định về quỹ phát triển KH&CN",
    "Báo cáo tiến độ giải ngân vốn đầu tư công",
    "Triển khai Nghị quyết 57-NQ/TW",
    "Kiểm tra an toàn bức xạ tại cơ sở y tế",
    "Cập nhật cơ sở dữ liệu quốc gia về KH&CN",
    "Tổ chức Ngày Khoa học và Công nghệ Việt Nam",
    "Thống kê doanh nghiệp khoa học và công nghệ",
    "Đề xuất đặt hàng nhiệm vụ KH&CN năm sau",
)
SIGNERS = ("Bộ trưởng", "Thứ trưởng", "Chánh Văn phòng")


def seed(out: Any) -> None:
    task_model = registry.model_for("tasks.Task")
    existing = task_model.objects.count()
    if existing >= TARGET:
        out.write(f"Demo tasks: {existing} present, nothing added.")
        return
    people = _people()
    leaders = people[MINISTRY_LEADER]
    units = sorted({unit for role in (SPECIALIST, PROVINCIAL_OFFICER) for unit in people[role]})
    if not leaders or not units:
        out.write("Demo tasks: no leaders or units yet (run the organisation's seed first).")
        return
    rng = random.Random(2026)
    today = workdays.today()
    with transaction.atomic():
        for i in range(existing, TARGET):
            _one_task(i, rng, today, leaders, units, people)
    counts = dict(task_model.objects.order_by().values_list("status").annotate(n=Count("id")))
    out.write(f"Demo tasks: {TARGET - existing} added; by status: {counts}")


def _people() -> dict[str, Any]:
    """Users by role; for doers and heads, by unit id."""
    person_model = registry.model_for("org.Person")
    result: dict[str, Any] = {MINISTRY_LEADER: [], SPECIALIST: {}, PROVINCIAL_OFFICER: {}, UNIT_HEAD: {}}
    rows = person_model.objects.select_related("user").prefetch_related("roles").order_by("id")
    for person in rows:
        for role in person.roles.all():
            if role.name == MINISTRY_LEADER:
                result[MINISTRY_LEADER].append(person.user)
            elif role.name in result:
                result[role.name].setdefault(person.owner_unit_id, []).append(person.user)
    return result


def _one_task(i: int, rng: random.Random, today: dt.date, leaders: list, units: list, people: dict) -> None:
    unit_id = units[i % len(units)]
    doers = people[SPECIALIST].get(unit_id) or people[PROVINCIAL_OFFICER].get(unit_id) or []
    heads = people[UNIT_HEAD].get(unit_id) or []
    leader = rng.choice(leaders)
    assigned_on = today - dt.timedelta(days=rng.randint(0, 182))
    deadline = None if rng.random() < 0.08 else workdays.add_working_days(assigned_on, rng.randint(5, 45))
    task = registry.model_for("tasks.Task")(
        owner_unit_id=unit_id,
        title=f"{rng.choice(SUBJECTS)} (đợt {i // len(SUBJECTS) + 1})",
        content="Nhiệm vụ mẫu để thử nghiệm nền tảng. / A demo task.",
        source_kind=rng.choice(("document", "document", "meeting")),
        source_number=f"{100 + i}/TB-BKHCN",
        source_date=assigned_on,
        source_signer=rng.choice(SIGNERS),
        assigned_by=leader,
        assignee=rng.choice(doers) if doers else (heads[0] if heads else None),
        deadline=deadline,
        priority=rng.choice(("normal", "normal", "normal", "high", "urgent")),
        is_key=rng.random() < 0.15,
    )
    _choose_outcome(task, rng, today)
    entity = registry.entity_by_label("tasks.Task")
    services.save_record(entity, leader, task, created=True, expected_version=None)
    if task.state == "in_progress" and task.assignee is not None and rng.random() < 0.6:
        update = registry.model_for("tasks.TaskUpdate")(
            task=task,
            owner_unit_id=unit_id,
            percent=rng.choice((10, 25, 40, 60, 80)),
            note="Đang triển khai.",
        )
        services.save_record(
            registry.entity_by_label("tasks.TaskUpdate"),
            task.assignee,
            update,
            created=True,
            expected_version=None,
        )


def _choose_outcome(task: Any, rng: random.Random, today: dt.date) -> None:
    roll = rng.random()
    if roll < 0.04:
        task.state = "cancelled"
        return
    if roll < 0.08:
        task.state = "paused"
        return
    if task.deadline is None:
        if rng.random() < 0.5:
            done_on = today - dt.timedelta(days=rng.randint(0, 20))
            task.state, task.completed_on, task.progress = "done", max(done_on, task.source_date), 100
        return
    past_due = task.deadline < today
    if (past_due and rng.random() < 0.72) or (not past_due and rng.random() < 0.3):
        late = past_due and rng.random() < 0.25
        if late:
            done_on = task.deadline + dt.timedelta(days=rng.randint(1, 15))
        else:
            span = max((min(task.deadline, today) - task.source_date).days, 0)
            done_on = task.source_date + dt.timedelta(days=rng.randint(0, span))
        task.state, task.completed_on, task.progress = "done", min(done_on, today), 100
