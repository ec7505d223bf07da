"""The backfill of the demo (issue 19): Bình Dương's Department (province 79, a pilot of seed 003)
imports about 200 past tasks from a spreadsheet written here, through the importer itself, as its
clerk would. Deterministic; once (skipped when the unit has backfilled tasks).

`rows(count, seed)` is also the bench's generator (`bench/stm_import.py`).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import User

from modules.engine import registry

from . import backfill, backfill_sheet

PROVINCE = "79"
CLERK = "stm79_1"  # one of the Department's two officers (demo.py)
COUNT = 200
TOPICS = (
    "Nghiên cứu chọn tạo giống",
    "Ứng dụng công nghệ cao trong sản xuất",
    "Xây dựng mô hình",
    "Nghiên cứu giải pháp",
    "Đánh giá hiện trạng và đề xuất",
    "Phát triển sản phẩm",
)
SUBJECTS = (
    "lúa chịu mặn",
    "cà phê đặc sản",
    "nuôi tôm tuần hoàn",
    "xử lý nước thải chăn nuôi",
    "du lịch cộng đồng",
    "truy xuất nguồn gốc nông sản",
    "năng lượng mặt trời cho thuỷ lợi",
    "cảnh báo sạt lở đất",
    "bảo tồn dược liệu",
    "chuyển đổi số doanh nghiệp nhỏ",
)
HOSTS = (
    ("Trường Đại học Thủ Dầu Một", "3700012345"),
    ("Viện Khoa học Nông nghiệp miền Nam", "0300123456"),
    ("Trung tâm Ứng dụng tiến bộ KH&CN Bình Dương", "3700098765"),
    ("Công ty cổ phần Công nghệ Sinh học Phương Nam", "3701234567"),
    ("Hợp tác xã Nông nghiệp Công nghệ cao Tân Uyên", ""),
    ("Trường Đại học Quốc tế Miền Đông", "3700554433"),
)
PEOPLE = ("Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Quốc", "Võ Thanh", "Huỳnh Ngọc", "Đặng Hữu", "Bùi Thị")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Sơn")
FIELDS = ("102", "106", "401", "402", "405", "501", "207", "202")
TYPES = ("tech", "tech", "tech", "social", "project", "scheme")


def rows(count: int = COUNT, seed: int = 19, today: dt.date | None = None) -> list[dict[str, Any]]:
    """`count` past tasks of one province, as a clerk would type them (dd/mm/yyyy, 1.500.000)."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    out = []
    for n in range(count):
        start = dt.date(today.year - 10, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 9))
        months = rng.choice((12, 18, 24, 24, 30, 36))
        end = start + dt.timedelta(days=months * 30)
        budget = rng.randrange(3, 40) * 100_000_000
        host, tax = rng.choice(HOSTS)
        if end >= today:
            status, rating, accepted = "active", None, None
        else:
            status = rng.choices(("completed", "failed", "terminated"), (90, 6, 4))[0]
            accepted = end + dt.timedelta(days=rng.randrange(45, 200)) if status != "terminated" else None
            if accepted and accepted >= today:
                status, accepted = "active", None
            rating = {"completed": rng.choice(("pass", "pass", "pass", "excellent")), "failed": "fail"}.get(
                status
            )
        registered = accepted + dt.timedelta(days=rng.randrange(10, 90)) if status == "completed" else None
        if registered and registered >= today:
            registered = None
        out.append(
            {
                "task_code": f"BD-{start.year}-{n + 1:04d}",
                "title": f"{rng.choice(TOPICS)} {rng.choice(SUBJECTS)} tại Bình Dương",
                "task_type": rng.choice(TYPES),
                "science_field": rng.choice(FIELDS),
                "organisation": host,
                "tax_code": tax,
                "investigator": f"{rng.choice(PEOPLE)} {rng.choice(GIVEN)}",
                "degree": rng.choice(("doctor", "doctor", "master")),
                "in_field_since": f"01/09/{start.year - rng.randrange(6, 20)}",
                "signed_on": start.strftime("%d/%m/%Y"),
                "start_on": start.strftime("%d/%m/%Y"),
                "end_on": end.strftime("%d/%m/%Y"),
                "state_budget": f"{budget:,}".replace(",", "."),
                "other_budget": rng.choice((0, 0, budget // 5)),
                "disbursed": budget if status in ("completed", "failed") else budget // 2,
                "spending_mode": "whole",
                "status": status,
                "accepted_on": accepted.strftime("%d/%m/%Y") if accepted else None,
                "rating": rating,
                "result_title": f"Báo cáo kết quả nhiệm vụ BD-{start.year}-{n + 1:04d}"
                if registered
                else None,
                "registration_no": f"{registered.year}-{n + 1:04d}/ĐKKQ" if registered else None,
                "registered_on": registered.strftime("%d/%m/%Y") if registered else None,
            }
        )
    return out


def seed(out: Any) -> None:
    unit = (
        registry.model_for("org.Unit").objects.filter(kind="provincial_dost", province_code=PROVINCE).first()
    )
    clerk = User.objects.filter(username=CLERK).first()
    if unit is None or clerk is None:
        out.write("Demo S&T backfill: Bình Dương's Department or its officer is missing, nothing imported.")
        return
    contracts = registry.model_for("stm.Contract").objects.filter(owner_unit=unit, backfilled=True)
    if contracts.exists():
        out.write(f"Demo S&T backfill: {contracts.count()} past tasks present, nothing added.")
        return
    data = backfill_sheet.write_template(rows())
    report = backfill.import_file(clerk, unit, data, f"hoi-to-{PROVINCE}.xlsx")
    if report.ok:
        out.write(
            f"Demo S&T backfill: {report.created} past tasks imported from a spreadsheet ({unit.name})."
        )
    else:
        out.write(
            f"Demo S&T backfill refused: {report.error_rows} rows with errors, first {report.errors[:1]}."
        )
