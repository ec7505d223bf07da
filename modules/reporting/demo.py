"""Two regimes (monthly S&T activity, quarterly innovation) with a year of past periods
(twelve months, four quarters) for all 34 provincial Departments: most reports accepted
on time, some late, returned or missing, and the current period open with drafts.
Deterministic and idempotent.

Everything goes through the engine's write path (values, submit, return, accept), so
history, numbering, quality checks and events are as real as a user's. Only the
submission and acceptance times are back-dated, since the demo replays the past.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, replay, services, workdays
from modules.org.roles import REPORT_REVIEWER

from . import periods, submissions
from .api import return_with_comments
from .submissions import Entry, TableCell

PAST_PERIODS = {"monthly": 12, "quarterly": 4}  # a year of each, and the current period

MONTHLY = {
    "code": "BC-KHCN-THANG",
    "name": "Báo cáo tháng tình hình hoạt động KH&CN của Sở KH&CN",
    "frequency": "monthly",
    "content": "Tình hình thực hiện nhiệm vụ KH&CN, giải ngân kinh phí, sở hữu trí tuệ và "
    "phát triển doanh nghiệp KH&CN trên địa bàn.",
    "deadline_rule": "day_of_month",
    "deadline_day": 20,
}
QUARTERLY = {
    "code": "BC-DMST-QUY",
    "name": "Báo cáo quý về đổi mới sáng tạo và doanh nghiệp KH&CN",
    "frequency": "quarterly",
    "content": "Hỗ trợ doanh nghiệp đổi mới sáng tạo, khởi nghiệp và doanh nghiệp KH&CN.",
    "deadline_rule": "working_days_after_cutoff",
    "deadline_working_days": 5,
}


def _ind(section: str, code: str, label: str, kind: str = "number", unit: str = "", **more: Any) -> dict:
    return {"section": section, "code": code, "label_vi": label, "kind": kind, "unit": unit} | more


MONTHLY_INDICATORS = (
    _ind(
        "I. Nhiệm vụ KH&CN đang thực hiện",
        "TASKS_NATIONAL",
        "Nhiệm vụ KH&CN cấp quốc gia",
        unit="nhiệm vụ",
        label_en="National-level S&T tasks",
        required=True,
        min_value=0,
        aliases="Đề tài, dự án cấp nhà nước",
    ),
    _ind(
        "I. Nhiệm vụ KH&CN đang thực hiện",
        "TASKS_PROVINCIAL",
        "Nhiệm vụ KH&CN cấp tỉnh",
        unit="nhiệm vụ",
        label_en="Provincial S&T tasks",
        required=True,
        min_value=0,
    ),
    _ind(
        "I. Nhiệm vụ KH&CN đang thực hiện",
        "TASKS_BASE",
        "Nhiệm vụ KH&CN cấp cơ sở",
        unit="nhiệm vụ",
        label_en="Grassroots S&T tasks",
        min_value=0,
    ),
    _ind(
        "I. Nhiệm vụ KH&CN đang thực hiện",
        "TASKS_TOTAL",
        "Tổng số nhiệm vụ KH&CN",
        unit="nhiệm vụ",
        label_en="All S&T tasks",
        formula="TASKS_NATIONAL + TASKS_PROVINCIAL + TASKS_BASE",
        formula_mode="compute",
    ),
    _ind(
        "II. Kinh phí sự nghiệp KH&CN",
        "BUDGET_ALLOCATED",
        "Kinh phí được giao trong năm",
        "money",
        "triệu đồng",
        label_en="Budget allocated this year",
        required=True,
        min_value=0,
    ),
    _ind(
        "II. Kinh phí sự nghiệp KH&CN",
        "BUDGET_SPENT",
        "Kinh phí đã giải ngân lũy kế",
        "money",
        "triệu đồng",
        label_en="Budget spent to date",
        required=True,
        min_value=0,
    ),
    _ind(
        "II. Kinh phí sự nghiệp KH&CN",
        "BUDGET_RATE",
        "Tỷ lệ giải ngân",
        "percent",
        "%",
        label_en="Disbursement rate",
        formula="BUDGET_SPENT / BUDGET_ALLOCATED * 100",
        formula_mode="compute",
    ),
    _ind(
        "III. Sở hữu trí tuệ",
        "PATENT_APPS",
        "Số đơn đăng ký sáng chế",
        unit="đơn",
        label_en="Patent applications filed",
        min_value=0,
    ),
    _ind(
        "III. Sở hữu trí tuệ",
        "UTILITY_APPS",
        "Số đơn đăng ký giải pháp hữu ích",
        unit="đơn",
        label_en="Utility solution applications filed",
        min_value=0,
    ),
    _ind(
        "III. Sở hữu trí tuệ",
        "IP_TOTAL",
        "Tổng số đơn sáng chế và giải pháp hữu ích",
        unit="đơn",
        label_en="Patents and utility solutions filed",
        formula="PATENT_APPS + UTILITY_APPS",
        formula_mode="compute",
    ),
    _ind(
        "IV. Doanh nghiệp",
        "ST_ENTERPRISES",
        "Số doanh nghiệp KH&CN",
        unit="doanh nghiệp",
        label_en="S&T enterprises",
        required=True,
        min_value=0,
    ),
    _ind(
        "IV. Doanh nghiệp",
        "INNOVATION_SUPPORTED",
        "Doanh nghiệp được hỗ trợ đổi mới sáng tạo",
        unit="doanh nghiệp",
        label_en="Enterprises given innovation support",
        min_value=0,
    ),
    _ind(
        "V. Đánh giá chung",
        "ASSESSMENT",
        "Tự đánh giá mức độ hoàn thành kế hoạch",
        "choice",
        label_en="Self-assessment",
        options="Vượt kế hoạch; Đạt kế hoạch; Chưa đạt kế hoạch",
    ),
    _ind(
        "V. Đánh giá chung",
        "NOTES",
        "Khó khăn, vướng mắc và kiến nghị",
        "text",
        label_en="Difficulties, proposals",
    ),
)
QUARTERLY_INDICATORS = (
    _ind(
        "I. Doanh nghiệp KH&CN",
        "ST_ENTERPRISES",
        "Số doanh nghiệp KH&CN",
        unit="doanh nghiệp",
        label_en="S&T enterprises",
        required=True,
        min_value=0,
    ),
    _ind(
        "I. Doanh nghiệp KH&CN",
        "NEW_ST_ENTERPRISES",
        "Doanh nghiệp KH&CN được cấp giấy chứng nhận trong quý",
        unit="doanh nghiệp",
        label_en="New S&T enterprise certificates",
        min_value=0,
    ),
    _ind(
        "II. Hỗ trợ đổi mới sáng tạo",
        "INNOVATION_SUPPORTED",
        "Doanh nghiệp được hỗ trợ đổi mới sáng tạo",
        unit="doanh nghiệp",
        label_en="Enterprises given innovation support",
        required=True,
        min_value=0,
    ),
    _ind(
        "II. Hỗ trợ đổi mới sáng tạo",
        "SUPPORT_BUDGET",
        "Kinh phí hỗ trợ đổi mới sáng tạo",
        "money",
        "triệu đồng",
        label_en="Innovation support budget",
        min_value=0,
    ),
    _ind(
        "II. Hỗ trợ đổi mới sáng tạo",
        "STARTUPS_BY_FIELD",
        "Dự án khởi nghiệp được hỗ trợ theo lĩnh vực",
        "table",
        label_en="Start-up projects supported, by field",
        options="Lĩnh vực; Số dự án; Kinh phí (triệu đồng)",
    ),
    _ind(
        "III. Hồ sơ", "REPORT_FILE", "Báo cáo thuyết minh (tệp)", "file", label_en="Narrative report (file)"
    ),
)
FIELDS = (
    "Công nghệ thông tin",
    "Nông nghiệp công nghệ cao",
    "Y dược",
    "Năng lượng tái tạo",
    "Du lịch thông minh",
)
RETURN_COMMENTS = (
    ("BUDGET_SPENT", "Kinh phí giải ngân chưa khớp với báo cáo tài chính quý."),
    ("TASKS_PROVINCIAL", "Số nhiệm vụ cấp tỉnh chưa gồm các nhiệm vụ chuyển tiếp."),
    ("INNOVATION_SUPPORTED", "Đề nghị bổ sung danh sách doanh nghiệp được hỗ trợ."),
)


def seed(out: Any) -> None:
    regimes = registry.model_for("reporting.Regime").objects
    if regimes.filter(code=MONTHLY["code"]).exists():
        out.write("Demo reports: present, nothing added.")
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    office = registry.model_for("org.Unit").objects.filter(code="VP").first()
    if admin is None or office is None:
        out.write("Demo reports: no administrator or office yet (run the organisation's seed first).")
        return
    reviewer = (
        get_user_model().objects.filter(groups__name=REPORT_REVIEWER, is_active=True).order_by("id").first()
        or admin
    )
    rng = random.Random(2026)
    made = 0
    for spec, indicators in ((MONTHLY, MONTHLY_INDICATORS), (QUARTERLY, QUARTERLY_INDICATORS)):
        with transaction.atomic():
            year_ago = workdays.today() - dt.timedelta(days=400)
            with replay.at(replay.on(year_ago, 9)):  # the regime is older than its periods
                regime = _regime(admin, office, spec, indicators)
            made += _history(regime, admin, reviewer, rng)
    submissions.refresh_timeliness()  # as of the real today: unsent reports are now missing
    out.write(f"Demo reports: 2 regimes, {made} submissions across the periods.")


def _regime(admin: Any, office: Any, spec: dict, indicators: tuple[dict, ...]) -> Any:
    regime = services.create_record(
        registry.entity_by_label("reporting.Regime"),
        admin,
        spec
        | {"reporting_unit_kind": "provincial_dost", "receiving_unit": office.pk, "deviation_threshold": 60},
    )
    form_entity = registry.entity_by_label("reporting.ReportForm")
    form = services.create_record(
        form_entity,
        admin,
        {"regime": regime.pk, "title": f"Biểu số liệu — {spec['name']}", "indicators": list(indicators)},
    )
    services.fire_transition(form_entity, admin, form.pk, "publish", form.version)
    return regime


def _history(regime: Any, admin: Any, reviewer: Any, rng: random.Random) -> int:
    today = workdays.today()
    current = periods.current_window(regime.frequency, today, regime.cutoff_day)
    past = PAST_PERIODS[regime.frequency]
    # the current period and the `past` ones before it that open (March and September fold into
    # Q1 and Q3: a monthly regime opens no period for them)
    windows, walked = [], current
    while len(windows) < past + 1:
        if periods.folded_into(regime, walked.index) is None:
            windows.insert(0, walked)
        walked = periods.previous_window(regime.frequency, walked, regime.cutoff_day)
    count = 0
    bases: dict[int, dict[str, float]] = {}
    for step, window in enumerate(windows):
        with replay.at(replay.on(window.cutoff_from, 8)):  # it opens as its data window starts
            period = periods.open_period(regime, window.year, window.index, admin)
        is_current = window == current
        for sub in (
            registry.model_for("reporting.Submission")
            .objects.filter(period=period)
            .select_related("owner_unit")
        ):
            base = bases.setdefault(sub.owner_unit_id, _base(rng))
            _play(sub, period, base, step, past, is_current, admin, reviewer, rng)
            count += 1
    return count


def _base(rng: random.Random) -> dict[str, float]:
    size = rng.uniform(0.4, 3.0)  # Hà Nội and TP.HCM are not Bắc Kạn
    return {"size": size, "national": rng.randint(1, 6) * size, "provincial": rng.randint(10, 40) * size}


def _values(regime: Any, base: dict[str, float], step: int, rng: random.Random) -> list[Entry]:
    s = base["size"]
    grow = 1 + step * 0.02
    if regime.frequency == "monthly":
        allocated = round(8000 * s, 0)
        spent = round(allocated * min(0.98, 0.06 * (step % 12 + 1) + rng.uniform(-0.03, 0.05)), 1)
        return [
            Entry("TASKS_NATIONAL", Decimal(round(base["national"]))),
            Entry("TASKS_PROVINCIAL", Decimal(round(base["provincial"] * grow))),
            Entry("TASKS_BASE", Decimal(rng.randint(5, 30))),
            Entry("BUDGET_ALLOCATED", Decimal(str(allocated))),
            Entry("BUDGET_SPENT", Decimal(str(spent))),
            Entry("PATENT_APPS", Decimal(rng.randint(0, int(6 * s) + 1))),
            Entry("UTILITY_APPS", Decimal(rng.randint(0, int(4 * s) + 1))),
            Entry("ST_ENTERPRISES", Decimal(round(12 * s * grow))),
            Entry("INNOVATION_SUPPORTED", Decimal(rng.randint(1, int(10 * s) + 2))),
            Entry(
                "ASSESSMENT",
                text=rng.choice(("Vượt kế hoạch", "Đạt kế hoạch", "Đạt kế hoạch", "Chưa đạt kế hoạch")),
            ),
        ]
    fields = rng.sample(FIELDS, 2)
    cells = []
    for row, field in enumerate(fields, start=1):
        cells += [
            TableCell(row, "Lĩnh vực", None, field),
            TableCell(row, "Số dự án", Decimal(rng.randint(1, 6))),
            TableCell(row, "Kinh phí (triệu đồng)", Decimal(rng.randint(100, 900))),
        ]
    return [
        Entry("ST_ENTERPRISES", Decimal(round(12 * s * grow))),
        Entry("NEW_ST_ENTERPRISES", Decimal(rng.randint(0, 4))),
        Entry("INNOVATION_SUPPORTED", Decimal(rng.randint(2, int(20 * s) + 3))),
        Entry("SUPPORT_BUDGET", Decimal(rng.randint(300, int(3000 * s) + 400))),
        Entry("STARTUPS_BY_FIELD", cells=cells),
    ]


def _play(
    sub: Any,
    period: Any,
    base: dict,
    step: int,
    past: int,
    is_current: bool,
    admin: Any,
    reviewer: Any,
    rng: random.Random,
) -> None:
    """One province's story for one period, each step at its own time: missing, late,
    returned, waiting, or accepted."""
    fate = rng.random()
    if is_current:
        if fate < 0.55:
            return  # still a draft
        _send(sub, period, base, step, rng.randint(-6, -1), admin, rng)
        return
    if fate < 0.05:
        return  # never sent: missing
    late = fate < 0.17
    sent = _send(sub, period, base, step, rng.randint(1, 6) if late else rng.randint(-5, 0), admin, rng)
    reviewed = replay.after(sent, rng.randint(1, 4), rng.randint(9, 16))
    if 0.17 <= fate < 0.24 and step >= past - 3:
        with replay.at(reviewed):
            sub = type(sub).objects.get(pk=sub.pk)
            codes = {i.code for i in submissions.indicators_of(sub)}
            comments = [c for c in RETURN_COMMENTS if c[0] in codes][:1]
            reason = "Đề nghị Sở rà soát, bổ sung số liệu."
            return_with_comments(reviewer, sub.pk, sub.version, reason, comments)
        return
    if 0.24 <= fate < 0.28 and step == past - 1:
        return  # submitted, waiting for review
    replay.fire_at(reviewed, "reporting.Submission", reviewer, sub.pk, "accept")


def _send(
    sub: Any, period: Any, base: dict, step: int, days_from_deadline: int, user: Any, rng: random.Random
) -> dt.datetime:
    """The province fills its report in the morning and sends it at 9:30, relative to the deadline."""
    sent = replay.on(period.deadline + dt.timedelta(days=days_from_deadline), 9, 30)
    with replay.at(sent - dt.timedelta(hours=2)) as filled:
        submissions.save_values(user, sub.pk, sub.version, _values(period.regime, base, step, rng))
    sent = min(max(sent, filled + dt.timedelta(minutes=5)), timezone.now())
    replay.fire_at(sent, "reporting.Submission", user, sub.pk, "submit")
    return sent
