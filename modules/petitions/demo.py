"""About fifty petitions of this year, in every state, most answered (the seed: 286 received in
2025, most answered). Through the engine's write path, each step replayed at its own time
(`modules/engine/replay.py`). Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from modules.engine import registry, replay, services, workdays
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
    # drawn first, then filed in date order, so that numbers run with the days
    plan = [
        (today - dt.timedelta(days=rng.randint(3, 300)), state) for state, count in PLAN for _ in range(count)
    ]
    with transaction.atomic():
        for received, state in sorted(plan, key=lambda item: item[0]):
            _petition(model, admin, handler_unit, state, received, rng)
    out.write(f"Demo petitions: {model.objects.count()}.")


def _petition(model: Any, admin: Any, unit: Any, state: str, received: dt.date, rng: random.Random) -> None:
    """One petition's life, each step replayed at its own time through the real code."""
    kind, subject, proposal = rng.choice(SUBJECTS)
    name, address = rng.choice(PEOPLE)
    moment = replay.on(received, 9)
    with replay.at(moment):
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
        petition = services.save_record(entity(), None, petition, created=True, expected_version=None)

    def go(when: dt.datetime, name: str, comment: str = "", values: dict[str, Any] | None = None) -> None:
        if values:
            with replay.at(when):
                row = model.objects.get(pk=petition.pk)
                services.update_record(entity(), admin, row.pk, values, row.version)
        replay.fire_at(when, "petitions.Petition", admin, petition.pk, name, comment)

    moment = replay.after(moment, rng.randint(1, 4), rng.randint(9, 16))
    if state == "received":
        return
    if state == "not_accepted":
        go(moment, "reject", "Nội dung là khiếu nại, không thuộc phạm vi kiến nghị theo Nghị định 20/2008.")
        return
    if state == "forwarded":
        go(moment, "forward", "Thuộc thẩm quyền Bộ Y tế.", {"forwarded_to": "Bộ Y tế"})
        return
    deadline = workdays.add_working_days(received, 15)
    go(moment, "accept", values={"assigned_unit": unit.pk, "answer_deadline": deadline})
    if state == "handling":
        return
    answer = {code: True for code, _vi, _en in rules.CRITERIA} | {
        "review_notes": "Đã rà soát theo 6 tiêu chí tại Điều 14 Nghị định 20/2008.",
        "answer": f"Bộ ghi nhận kiến nghị và sẽ {proposal[0].lower()}{proposal[1:]}",
    }
    moment = replay.after(moment, rng.randint(3, 18), 16)
    go(moment, "answer", values=answer)
    if state != "published":
        return
    moment = replay.after(moment, 1, 10)
    go(moment, "publish")
    if rng.random() < 0.6:  # the petitioner's feedback, as give_feedback saves it
        with replay.at(replay.after(moment, rng.randint(1, 5), 20)):
            row = model.objects.get(pk=petition.pk)
            row.satisfaction = rng.choice(("very_satisfied", "satisfied", "satisfied", "unsatisfied"))
            services.save_record(
                entity(), None, row, created=False, expected_version=row.version, reason="feedback"
            )
