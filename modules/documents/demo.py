"""A year of documents (issue 17): incoming documents registered by the Office's clerk, a share
directed by a leader (with a deadline: a task in the lead unit), assigned and handled; outgoing
documents drafted, approved by the Minister, released with their number, a few recalled; a few
scans rendered from PDFs (turned a little, speckled, 200 dpi) and read by OCR when Tesseract is
installed. Every step runs through the real code at its own past time (`engine/replay.py`).

Sized down for `make run` (400 incoming, 200 outgoing: about a minute); the issue's year of
2,000 and 1,000 (24 scans) with `manage.py seed_demo --full` (or `ONEMST_DEMO_DOCUMENTS=full`).
Idempotent.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from modules.engine import demo as engine_demo
from modules.engine import ocr, registry, replay, services, workdays

from . import routing, specimens

ISSUERS = (
    ("BỘ TÀI CHÍNH", "BTC"),
    ("BỘ NỘI VỤ", "BNV"),
    ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BGDĐT"),
    ("BỘ Y TẾ", "BYT"),
    ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "UBND"),
    ("VĂN PHÒNG CHÍNH PHỦ", "VPCP"),
)
TYPES = (
    ("quyet_dinh", "QĐ", "QUYẾT ĐỊNH"),
    ("cong_van", "", ""),
    ("ke_hoach", "KH", "KẾ HOẠCH"),
    ("thong_bao", "TB", "THÔNG BÁO"),
    ("bao_cao", "BC", "BÁO CÁO"),
    ("giay_moi", "GM", "GIẤY MỜI"),
)
SUBJECTS = (
    "Triển khai chương trình đổi mới sáng tạo quốc gia",
    "Góp ý dự thảo Nghị định về quản lý nhiệm vụ khoa học và công nghệ",
    "Phân bổ dự toán ngân sách sự nghiệp khoa học năm {y}",
    "Tổ chức hội nghị chuyển đổi số ngành khoa học và công nghệ",
    "Báo cáo tình hình thực hiện tiêu chuẩn, đo lường, chất lượng",
    "Đề xuất đặt hàng nhiệm vụ khoa học cấp quốc gia năm {y}",
    "Kiểm tra an toàn bức xạ tại các cơ sở y tế",
    "Hướng dẫn xác định doanh nghiệp khoa học và công nghệ",
)
SIGNERS = ("Nguyễn Văn Thắng", "Trần Thị Lan", "Lê Minh Hoàng", "Phạm Quốc Bảo", "Đỗ Thu Hà")


FULL = (2000, 1000, 24)  # the issue's "about 2,000 incoming and 1,000 outgoing" a year; scans


def sizes() -> tuple[int, int, int]:
    """(incoming, outgoing, scans)."""
    if os.environ.get("ONEMST_DEMO_DOCUMENTS") == "full":
        return FULL
    return engine_demo.sized(small=(40, 20, 1), quick=(400, 200, 6), full=FULL)


def _people() -> dict[str, Any] | None:
    person = registry.model_for("org.Person").objects.select_related("user", "owner_unit")
    office = person.filter(owner_unit__code="VP", roles__name="specialist").order_by("id").first()
    leader = person.filter(roles__name="ministry_leader").order_by("id").first()
    heads = {p.owner_unit.code: p for p in person.filter(roles__name="unit_head").order_by("id")}
    if not (office and leader and heads):
        return None
    return {"clerk": office.user, "leader": leader.user, "heads": heads}


def seed(out: Any) -> None:
    incoming = registry.model_for("documents.IncomingDocument")
    if incoming.objects.exists():
        out.write("Demo documents: present, nothing added.")
        return
    people = _people()
    if people is None:
        out.write("Demo documents: no organisation yet.")
        return
    n_in, n_out, n_scans = sizes()
    rng = random.Random(30)
    today = workdays.today()
    days = sorted(today - dt.timedelta(days=rng.randint(1, 364)) for _ in range(n_in))
    scans = set(rng.sample(range(n_in), n_scans))
    with transaction.atomic():
        for index, day in enumerate(days):
            _incoming(people, day, rng, scan=index in scans)
    out_days = sorted(today - dt.timedelta(days=rng.randint(1, 364)) for _ in range(n_out))
    with transaction.atomic():
        for day in out_days:
            _outgoing(people, day, rng)
    out.write(f"Demo documents: {n_in} incoming, {n_out} outgoing, {n_scans} scans.")


def _spec(day: dt.date, rng: random.Random) -> dict[str, Any]:
    issuer, short = rng.choice(ISSUERS)
    code, abbr, title = rng.choice(TYPES)
    number = f"{rng.randint(1, 3000):02d}"
    subject = rng.choice(SUBJECTS).format(y=day.year)
    return {
        "agency": (issuer,),
        "number_symbol": f"{number}/{abbr}-{short}" if abbr else f"{number}/{short}-KHTC",
        "place": "Hà Nội",
        "date": day,
        "type_title": title,
        "subject": subject if title else f"V/v {subject[0].lower()}{subject[1:]}",
        "body": "Căn cứ chức năng, nhiệm vụ được giao, cơ quan đề nghị các đơn vị phối hợp thực hiện.",
        "signer_title": ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        "signer": rng.choice(SIGNERS),
        "expected_type": code,
    }


def _incoming(people: dict[str, Any], day: dt.date, rng: random.Random, scan: bool) -> None:
    entity = registry.entity_by_label("documents.IncomingDocument")
    spec = _spec(day - dt.timedelta(days=rng.randint(1, 4)), rng)
    # most are registered the day they arrive; a few the next working day or later (the late report)
    late = rng.random()
    registered = day if late < 0.8 else workdays.add_working_days(day, 1 if late < 0.95 else 3)
    values = {
        "arrival_date": replay.on(day, rng.randint(8, 16)),
        "issuer_name": spec["agency"][0],
        "number_symbol": spec["number_symbol"],
        "issued_date": spec["date"],
        "doc_type": spec["expected_type"],
        "subject": spec["subject"],
        "signer": spec["signer"],
        "urgency": rng.choice(("normal",) * 8 + ("khan", "thuong_khan", "hoa_toc")),
        "channel": "paper" if scan or rng.random() < 0.5 else "electronic",
    }
    if scan:  # a real scan: rendered, turned, speckled, 200 dpi
        image = specimens.scan(specimens.render_pdf(spec), dpi=200, rotate=rng.uniform(-1, 1), noise=0.001)
        pdf = specimens.scan_pdf(image)
        values["scan"] = SimpleUploadedFile(
            f"scan-{spec['number_symbol'].replace('/', '-')}.pdf", pdf, content_type="application/pdf"
        )
        if not ocr.available():
            values.pop("scan")
    with replay.at(replay.on(registered, 17)):
        doc = services.create_record(entity, people["clerk"], values)
    roll = rng.random()
    if roll < 0.2:
        return  # still waiting for a direction
    heads = people["heads"]
    unit_code = rng.choice([c for c in heads if not c.startswith("SKHCN")] or list(heads))
    lead = heads[unit_code]
    moment = replay.after(replay.on(registered, 17), rng.randint(0, 2), 10)
    deadline = workdays.add_working_days(moment.date(), rng.randint(5, 20)) if roll < 0.55 else None
    with replay.at(moment):
        doc = routing.direct(
            entity,
            people["leader"],
            doc.pk,
            _version(doc),
            lead_unit=lead.owner_unit,
            deadline=deadline,
            instructions="Giao đơn vị chủ trì nghiên cứu, đề xuất.",
        )
    if roll < 0.4:
        return
    moment = replay.after(moment, 1, 9)
    handler = (
        registry.model_for("org.Person")
        .objects.filter(owner_unit=lead.owner_unit, roles__name__in=("specialist", "provincial_officer"))
        .order_by("id")
        .first()
    )
    if handler is None:
        return
    with replay.at(moment):
        doc = routing.assign(entity, lead.user, doc.pk, _version(doc), handler=handler.user)
    if roll < 0.7:
        return
    with replay.at(replay.after(moment, rng.randint(1, 6), 15)):
        routing.finish(entity, handler.user, doc.pk, _version(doc), note="Đã xử lý, báo cáo lãnh đạo.")


def _version(doc: Any) -> int:
    return type(doc).objects.values_list("version", flat=True).get(pk=doc.pk)


def _outgoing(people: dict[str, Any], day: dt.date, rng: random.Random) -> None:
    entity = registry.entity_by_label("documents.OutgoingDocument")
    code, _abbr, _title = rng.choice(TYPES)
    values = {
        "doc_type": code,
        "agency_code": "BKHCN",
        "drafting_unit_code": "VP",
        "subject": rng.choice(SUBJECTS).format(y=day.year),
        "signer": people["leader"].pk,
        "recipients": "Như trên; Lưu: VT, VP.",
        "urgency": rng.choice(("normal",) * 6 + ("khan",)),
    }
    with replay.at(replay.on(day, 9)):
        doc = services.create_record(entity, people["clerk"], values)
    label = "documents.OutgoingDocument"
    replay.fire_at(replay.on(day, 10), label, people["clerk"], doc.pk, "submit")
    if rng.random() < 0.1:
        return  # still in review
    replay.fire_at(replay.on(day, 14), label, people["leader"], doc.pk, "approve")
    replay.fire_at(replay.on(day, 16), label, people["clerk"], doc.pk, "release")
    if rng.random() < 0.02:
        replay.fire_at(
            replay.after(replay.on(day, 16), 1, 9),
            label,
            people["leader"],
            doc.pk,
            "recall",
            "Phát hành nhầm, thu hồi để sửa.",
        )
