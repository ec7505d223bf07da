"""Ten S&T procedures and about 500 dossiers of the last four months, in every status.

Dossiers go through the engine's write path and their real transitions (receipt,
hand-overs, supplements, re-scheduling, processing, return), each step replayed at its
own past time (`modules/engine/replay.py`), so codes, timelines, tracking sheets and
their verdicts are as real as a clerk's. Deterministic and idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from modules.engine import access, registry, replay, services, workdays
from modules.org.demo_data import demo_phone
from modules.org.roles import ONESTOP_CLERK

from .api import reschedule
from .jobs import refresh_classifications

TARGET = 500
DAYS_BACK = 120

PROCEDURES = (
    ("1.004474", "Đăng ký chuyển giao công nghệ", "Chuyển giao công nghệ", 15, 0, "CUDCN"),
    ("1.004480", "Cấp Giấy phép chuyển giao công nghệ", "Chuyển giao công nghệ", 30, 0, "CUDCN"),
    (
        "1.008371",
        "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        "Hoạt động KH&CN",
        15,
        0,
        "CTTKHCN",
    ),
    (
        "1.008379",
        "Thay đổi, bổ sung nội dung Giấy chứng nhận đăng ký hoạt động KH&CN",
        "Hoạt động KH&CN",
        10,
        0,
        "CTTKHCN",
    ),
    (
        "1.003942",
        "Cấp Giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán y tế)",
        "Năng lượng nguyên tử",
        20,
        2_000_000,
        "KHXHTN",
    ),
    ("1.003955", "Cấp Chứng chỉ nhân viên bức xạ", "Năng lượng nguyên tử", 10, 200_000, "KHXHTN"),
    (
        "1.008945",
        "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước",
        "Hoạt động KH&CN",
        10,
        0,
        "CTTKHCN",
    ),
    (
        "1.005227",
        "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "Phát triển tiềm lực KH&CN",
        15,
        0,
        "CUDCN",
    ),
    (
        "1.011427",
        "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
        "Tiêu chuẩn đo lường chất lượng",
        5,
        150_000,
        "PC",
    ),
    ("1.000347", "Chỉ định tổ chức đánh giá sự phù hợp", "Tiêu chuẩn đo lường chất lượng", 20, 0, "PC"),
)
COMPONENTS = (
    ("Đơn đề nghị theo mẫu", "original", True),
    ("Bản sao giấy tờ về tư cách pháp lý của tổ chức, cá nhân", "copy", True),
    ("Tài liệu thuyết minh, hồ sơ kỹ thuật", "either", True),
    ("Văn bản ủy quyền (nếu có)", "original", False),
)
APPLICANTS = (
    ("Công ty CP Công nghệ Sao Mai", "organisation", "0101234567", "18 Hoàng Quốc Việt, Cầu Giấy, Hà Nội"),
    ("Viện Nghiên cứu Cơ khí", "organisation", "0100105014", "4 Phạm Văn Đồng, Cầu Giấy, Hà Nội"),
    ("Bệnh viện Đa khoa tỉnh Nghệ An", "organisation", "2900325170", "Đại lộ Lê Nin, TP. Vinh, Nghệ An"),
    ("Công ty TNHH Giải pháp Số Đà Nẵng", "organisation", "0401786543", "56 Bạch Đằng, Hải Châu, Đà Nẵng"),
    ("Trường Đại học Bách khoa TP.HCM", "organisation", "0301234561", "268 Lý Thường Kiệt, Quận 10, TP.HCM"),
    ("Nguyễn Văn Minh", "person", "001088012345", "25 Kim Mã, Ba Đình, Hà Nội"),
    ("Trần Thị Lan", "person", "079190054321", "12 Nguyễn Huệ, Quận 1, TP.HCM"),
    ("Phạm Quốc Huy", "person", "038095001122", "7 Lê Lợi, TP. Thanh Hóa"),
)
# outcome -> share (the rest are returned on time)
OUTCOMES = (
    ("refused", 0.04),
    ("withdrawn", 0.03),
    ("stopped", 0.02),
    ("supplement", 0.07),
    ("payment", 0.03),
    ("processing", 0.16),
    ("processed", 0.07),
    ("late", 0.10),
    ("rescheduled", 0.05),
)


def seed(out: Any) -> None:
    model = registry.model_for("onestop.Dossier")
    if model.objects.count() >= TARGET:
        out.write("Demo dossiers: present, nothing added.")
        return
    clerk = get_user_model().objects.filter(groups__name=ONESTOP_CLERK, is_active=True).order_by("id").first()
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    if clerk is None or admin is None:
        out.write("Demo dossiers: no one-stop clerk yet (run the organisation's seed first).")
        return
    rng = random.Random(61)
    with transaction.atomic():
        procedures = _procedures(admin)
        today = timezone.localdate()
        receipts = [_draw(procedures, rng, today) for _ in range(TARGET - model.objects.count())]
        for receipt in sorted(receipts, key=lambda r: r.received):
            _dossier(receipt, clerk, admin, rng)
        refresh_classifications()  # as of the real today: what the scheduler would do next
    counts = dict(sorted(_count_by_state(model).items()))
    out.write(f"Demo dossiers: {sum(counts.values())} in all; by status: {counts}")


def _count_by_state(model: Any) -> dict[str, int]:
    from django.db.models import Count

    return {row["state"]: row["n"] for row in model.objects.values("state").annotate(n=Count("id"))}


def _procedures(admin: Any) -> list[Any]:
    model = registry.model_for("onestop.Procedure")
    units = registry.model_for("org.Unit").objects
    office = units.filter(code="VP").first()
    made = []
    for code, name, field, days, fee, unit_code in PROCEDURES:
        existing = model.objects.filter(code=code).first()
        if existing:
            made.append(existing)
            continue
        unit = units.filter(code=unit_code).first() or office
        values = {
            "code": code,
            "name": name,
            "field": field,
            "legal_basis": "Luật Khoa học và Công nghệ 2013; Nghị định 61/2018/NĐ-CP",
            "fee": fee,
            "processing_days": days,
            "components": [{"name": n, "copy_kind": k, "count": 1, "required": r} for n, k, r in COMPONENTS],
            "steps": [
                {"name": "Thẩm định hồ sơ", "unit": unit.pk, "working_days": max(1, days - 4)},
                {"name": "Trình lãnh đạo ký duyệt", "unit": office.pk, "working_days": 2},
            ],
        }
        made.append(services.create_record(registry.entity_by_label("onestop.Procedure"), admin, values))
    return made


RUNNING = ("supplement", "payment", "processing")  # still open today: received recently


@dataclass(frozen=True)
class Receipt:
    received: dt.datetime
    procedure: Any
    applicant: tuple[str, str, str, str]
    outcome: str


def _draw(procedures: list[Any], rng: random.Random, today: dt.date) -> Receipt:
    """Who comes, for what, when, and how it ends: drawn first, so that dossiers can be
    received in time order and their codes run with the days."""
    procedure = rng.choice(procedures)
    applicant = rng.choice(APPLICANTS)
    outcome = _pick(rng)
    # open dossiers were received lately; finished ones early enough to have finished by now
    finished_by_now = (procedure.processing_days + 15) * 7 // 5 + 7
    back = (0, 25) if outcome in RUNNING else (finished_by_now, DAYS_BACK)
    day = today - dt.timedelta(days=rng.randint(*back))
    while not workdays.is_working_day(day):
        day -= dt.timedelta(days=1)
    return Receipt(replay.on(day, rng.randint(7, 16), rng.randint(0, 59)), procedure, applicant, outcome)


def _dossier(receipt: Receipt, clerk: Any, admin: Any, rng: random.Random) -> None:
    """One dossier's life, each step replayed at its own time through the real code."""
    entity = registry.entity_by_label("onestop.Dossier")
    model = registry.model_for(entity)
    received, procedure, outcome = receipt.received, receipt.procedure, receipt.outcome
    name, kind, id_number, address = receipt.applicant

    later = replay.after

    def go(when: dt.datetime, name: str, user: Any = clerk, comment: str = "") -> Any:
        return replay.fire_at(when, "onestop.Dossier", user, pk, name, comment)

    with replay.at(received):
        dossier = model(procedure=procedure)
        services.apply_values(
            entity,
            clerk,
            dossier,
            {
                "channel": rng.choice(("counter", "counter", "online", "postal", "kiosk")),
                "applicant_kind": kind,
                "applicant_name": name,
                "applicant_id": id_number,
                "address": address,
                "phone": demo_phone(rng),
                "email": "",
            },
        )
        dossier.owner_unit_id = access.directory().unit_id_of(clerk)
        dossier = services.save_record(entity, clerk, dossier, created=True, expected_version=None)
        component = dossier.components.model
        component.objects.bulk_create(
            component(parent=dossier, name=n, copy_kind=k, count=1, provided=True, position=i)
            for i, (n, k, _r) in enumerate(COMPONENTS)
        )
    pk = dossier.pk
    moment = received + dt.timedelta(minutes=10)
    if outcome == "refused":
        go(moment, "refuse", comment="Hồ sơ không thuộc thẩm quyền giải quyết của Bộ.")
        return
    dossier = go(moment, "accept")
    if outcome == "withdrawn":
        go(later(moment, rng.randint(1, 3), 10), "withdraw", comment="Tổ chức đề nghị rút hồ sơ.")
        return
    moment = later(moment, 0, 14)
    dossier = go(moment, "start")
    if outcome in ("supplement", "payment", "stopped"):
        moment = later(moment, rng.randint(1, 2), 9)
        if outcome == "payment":
            go(moment, "request_payment", admin)
            return
        if outcome == "stopped":
            go(moment, "stop", admin, "Tổ chức không bổ sung hồ sơ trong thời hạn.")
            return
        go(moment, "request_supplement", admin, "Đề nghị bổ sung tài liệu thuyết minh.")
        return
    promised = dossier.promised_date
    first, *_, last = list(procedure.steps.order_by("position", "id"))
    if outcome == "processing":
        advance_at = later(moment, rng.randint(1, first.working_days), 10)
        if rng.random() < 0.5 and advance_at < timezone.now():
            go(advance_at, "advance", admin)
        return
    # Each step takes about the days it is allowed; a late dossier's first step overruns.
    took = first.working_days + rng.randint(5, 9) if outcome == "late" else rng.randint(1, first.working_days)
    moment = later(moment, took, rng.randint(8, 16))
    go(moment, "advance", admin)
    if outcome == "rescheduled":  # Mẫu 04, at least a day before the promised date
        moment = max(later(moment, 0, 17), replay.on(workdays.subtract_working_days(promised, 2), 9))
        with replay.at(moment):
            current = model.objects.get(pk=pk)
            reason = "Cần lấy ý kiến của bộ, ngành liên quan."
            reschedule(admin, pk, current.version, workdays.add_working_days(promised, 5), reason)
        moment = later(moment, rng.randint(3, 6), rng.randint(9, 15))
    else:
        moment = later(moment, rng.randint(1, last.working_days), rng.randint(9, 15))
    go(moment, "process", admin)
    if outcome != "processed":
        go(later(moment, 0 if rng.random() < 0.85 else 1, 16), "return_result")


def _pick(rng: random.Random) -> str:
    roll, edge = rng.random(), 0.0
    for outcome, share in OUTCOMES:
        edge += share
        if roll < edge:
            return outcome
    return "returned"
