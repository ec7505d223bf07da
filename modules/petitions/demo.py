"""About fifty petitions of this year, in every state, most answered (the seed: 286 received in
2025, most answered). Through the engine's write path; times back-dated. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, services, workdays
from modules.org.demo_data import demo_phone

from . import rules
from .api import entity, receiving_unit_id

TARGET = 50
SUBJECTS = (
    ("unsuited", "Thủ tục cấp phép X-quang còn yêu cầu bản giấy", "Cho phép nộp hồ sơ điện tử có chữ ký số."),
    (
        "slow_application",
        "Chậm cấp Giấy chứng nhận doanh nghiệp KH&CN",
        "Công khai thời hạn từng bước xử lý.",
    ),
    (
        "inconsistent",
        "Quy định về đánh giá sự phù hợp chưa thống nhất giữa hai thông tư",
        "Hợp nhất hai thông tư.",
    ),
    ("initiative", "Đề xuất cơ chế thử nghiệm có kiểm soát cho công nghệ mới", "Ban hành quy định sandbox."),
    ("proposed_fix", "Biểu mẫu đăng ký chuyển giao công nghệ quá dài", "Rút gọn biểu mẫu còn 2 trang."),
    ("other", "Cổng dịch vụ công không nhận tệp dung lượng lớn", "Nâng giới hạn tệp lên 50 MB."),
)
PEOPLE = (
    ("Công ty CP Công nghệ Sao Mai", "18 Hoàng Quốc Việt, Cầu Giấy, Hà Nội"),
    ("Nguyễn Thị Thu Hà", "12 Lê Lợi, TP. Huế"),
    ("Hiệp hội Doanh nghiệp KH&CN Việt Nam", "70 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội"),
    ("Trần Quốc Bảo", "45 Nguyễn Văn Linh, Hải Châu, Đà Nẵng"),
)
# final state -> share of the fifty
PLAN = (
    ("received", 6),
    ("not_accepted", 3),
    ("forwarded", 5),
    ("handling", 8),
    ("answered", 6),
    ("published", 22),
)


def seed(out: Any) -> None:
    model = registry.model_for(entity())
    if model.objects.count() >= TARGET:
        out.write("Demo petitions: present, nothing added.")
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    unit_model = registry.model_for("org.Unit")
    handler_unit = unit_model.objects.filter(code="PC").first() or unit_model.objects.first()
    if admin is None or handler_unit is None:
        out.write("Demo petitions: no organisation yet.")
        return
    rng = random.Random(2008)
    today = workdays.today()
    with transaction.atomic():
        for state, count in PLAN:
            for _ in range(count):
                _petition(model, admin, handler_unit, state, today, rng)
    out.write(f"Demo petitions: {model.objects.count()}.")


def _petition(model: Any, admin: Any, unit: Any, state: str, today: dt.date, rng: random.Random) -> None:
    kind, subject, proposal = rng.choice(SUBJECTS)
    name, address = rng.choice(PEOPLE)
    received = today - dt.timedelta(days=rng.randint(3, 300))
    petition = model()
    services.apply_values(
        entity(),
        None,
        petition,
        {
            "content_type": kind,
            "channel": rng.choice(("online", "online", "in_person", "post", "hotline")),
            "petitioner_name": name,
            "address": address,
            "phone": demo_phone(rng),
            "subject": subject,
            "content": f"{subject}. Đề nghị Bộ xem xét, tháo gỡ để giảm chi phí tuân thủ cho tổ chức, "
            "cá nhân.",
            "proposal": proposal,
        },
    )
    petition.owner_unit_id = receiving_unit_id()
    petition._numbered_at = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
    petition = services.save_record(entity(), None, petition, created=True, expected_version=None)
    start = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
    model.objects.filter(pk=petition.pk).update(created_at=start)  # replayed from its day of receipt

    def go(name: str, comment: str = "") -> Any:
        row = model.objects.get(pk=petition.pk)
        return services.fire_transition(entity(), admin, row.pk, name, row.version, comment)

    def change(values: dict[str, Any]) -> None:
        row = model.objects.get(pk=petition.pk)
        services.update_record(entity(), admin, row.pk, values, row.version)

    deadline = workdays.add_working_days(received, 15)
    if state == "not_accepted":
        go("reject", "Nội dung là khiếu nại, không thuộc phạm vi kiến nghị theo Nghị định 20/2008.")
    elif state == "forwarded":
        change({"forwarded_to": "Bộ Y tế"})
        go("forward", "Thuộc thẩm quyền Bộ Y tế.")
    elif state != "received":
        change({"assigned_unit": unit.pk, "answer_deadline": deadline})
        go("accept")
        if state in ("answered", "published"):
            change(
                {code: True for code, _vi, _en in rules.CRITERIA}
                | {
                    "review_notes": "Đã rà soát theo 6 tiêu chí tại Điều 14 Nghị định 20/2008.",
                    "answer": f"Bộ ghi nhận kiến nghị và sẽ {proposal[0].lower()}{proposal[1:]}",
                }
            )
            go("answer")
            if state == "published":
                go("publish")
    start = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
    updates: dict[str, Any] = {
        "created_at": start,
        "forward_deadline": workdays.add_working_days(received, 5),
    }
    row = model.objects.get(pk=petition.pk)
    if row.answered_at:
        answered = received + dt.timedelta(days=rng.randint(5, 30))
        answered = min(answered, today)
        updates["answered_at"] = timezone.make_aware(dt.datetime.combine(answered, dt.time(16)))
        updates["answered_on_time"] = answered <= deadline
        updates["answer_deadline"] = deadline
    if row.published_at:
        updates["published_at"] = updates["answered_at"] + dt.timedelta(days=1)
        if rng.random() < 0.6:
            updates["satisfaction"] = rng.choice(("very_satisfied", "satisfied", "satisfied", "unsatisfied"))
    model.objects.filter(pk=row.pk).update(**updates)
