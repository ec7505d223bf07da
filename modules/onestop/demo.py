"""Ten S&T procedures and about 500 dossiers of the last four months, in every status.

Dossiers go through the engine's write path and their real transitions (receipt,
hand-overs, supplements, re-scheduling, processing, return), so codes, timelines and
tracking sheets are as real as a clerk's; only the times are back-dated, since the demo
replays the past. Deterministic and idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from modules.engine import access, registry, services, workdays
from modules.org.demo_data import demo_phone
from modules.org.roles import ONESTOP_CLERK

from . import rules

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
        for i in range(TARGET - model.objects.count()):
            _dossier(procedures, clerk, admin, rng, i)
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


def _dossier(procedures: list[Any], clerk: Any, admin: Any, rng: random.Random, index: int) -> None:
    entity = registry.entity_by_label("onestop.Dossier")
    procedure = rng.choice(procedures)
    name, kind, id_number, address = rng.choice(APPLICANTS)
    today = timezone.localdate()
    day = today - dt.timedelta(days=rng.randint(0, DAYS_BACK))
    while not workdays.is_working_day(day):
        day -= dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59))))
    model = registry.model_for(entity)
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
    dossier._numbered_at = received
    dossier = services.save_record(entity, clerk, dossier, created=True, expected_version=None)
    component = dossier.components.model
    component.objects.bulk_create(
        component(parent=dossier, name=n, copy_kind=k, count=1, provided=True, position=i)
        for i, (n, k, _r) in enumerate(COMPONENTS)
    )
    outcome = _pick(rng)

    def go(name: str, user: Any = clerk, comment: str = "") -> Any:
        current = model.objects.get(pk=dossier.pk)
        return services.fire_transition(entity, user, current.pk, name, current.version, comment)

    if outcome == "refused":
        go("refuse", comment="Hồ sơ không thuộc thẩm quyền giải quyết của Bộ.")
        return _backdate(model, dossier.pk, received, None)
    dossier = go("accept")
    promised = rules.promised_date(received, procedure.processing_days)
    if outcome == "withdrawn":
        go("withdraw", comment="Tổ chức đề nghị rút hồ sơ.")
        return _backdate(model, dossier.pk, received, promised)
    go("start")
    if outcome == "supplement":
        go("request_supplement", admin, "Đề nghị bổ sung tài liệu thuyết minh.")
        return _backdate(model, dossier.pk, received, promised)
    if outcome == "payment":
        go("request_payment", admin)
        return _backdate(model, dossier.pk, received, promised)
    if outcome == "stopped":
        go("stop", admin, "Tổ chức không bổ sung hồ sơ trong thời hạn.")
        return _backdate(model, dossier.pk, received, promised)
    if outcome == "processing":
        if rng.random() < 0.5:
            go("advance", admin)
        return _backdate(model, dossier.pk, received, promised)
    go("advance", admin)
    go("process", admin)
    if outcome != "processed":
        go("return_result")
    finished = (
        promised + dt.timedelta(days=rng.randint(1, 6))
        if outcome == "late"
        else promised - dt.timedelta(days=rng.randint(0, 4))
    )
    finished = min(max(finished, received.date()), today)
    _backdate(model, dossier.pk, received, promised, finished, rescheduled=outcome == "rescheduled")


def _pick(rng: random.Random) -> str:
    roll, edge = rng.random(), 0.0
    for outcome, share in OUTCOMES:
        edge += share
        if roll < edge:
            return outcome
    return "returned"


def _backdate(
    model: Any,
    pk: int,
    received: dt.datetime,
    promised: dt.date | None,
    finished: dt.date | None = None,
    rescheduled: bool = False,
) -> None:
    """Put the replayed dossier back in time: receipt, promise, finish, and its classification."""
    row = model.objects.get(pk=pk)
    updates: dict[str, Any] = {"receipt_date": received.date(), "created_at": received}
    if row.received_at is not None:
        updates["received_at"] = received
    if promised is not None:
        updates["promised_date"] = promised
        updates["original_promised_date"] = promised
        if rescheduled:
            updates["promised_date"] = workdays.add_working_days(promised, 5)
            updates["rescheduled"] = True
            updates["reschedule_reason"] = "Cần lấy ý kiến của bộ, ngành liên quan."
    finished_at = None
    if finished is not None:
        finished_at = timezone.make_aware(dt.datetime.combine(finished, dt.time(15, 30)))
        updates["finished_at"] = finished_at
    elif row.finished_at is not None:
        updates["finished_at"] = received + dt.timedelta(days=1)
        finished_at = updates["finished_at"]
    updates["classification"] = rules.classify(
        row.state,
        updates.get("promised_date", row.promised_date),
        timezone.localtime(finished_at).date() if finished_at else None,
        row.supplement_count or 0,
        timezone.localdate(),
    )
    model.objects.filter(pk=pk).update(**updates)
    spacing = dt.timedelta(hours=3)
    for i, entry in enumerate(row.timeline.order_by("position", "id")):
        entry.at = received + spacing * i
        entry.save(update_fields=["at"])
