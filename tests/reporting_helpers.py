"""Building reporting regimes, forms and periods for tests through the engine's write path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from modules.engine import registry, services

INDICATORS = (
    {
        "section": "I. Nhiệm vụ KH&CN",
        "code": "TASKS_NATIONAL",
        "label_vi": "Số nhiệm vụ cấp quốc gia",
        "kind": "number",
        "unit": "nhiệm vụ",
        "required": True,
        "min_value": Decimal(0),
    },
    {
        "section": "I. Nhiệm vụ KH&CN",
        "code": "TASKS_PROVINCIAL",
        "label_vi": "Số nhiệm vụ cấp tỉnh",
        "kind": "number",
        "unit": "nhiệm vụ",
        "required": True,
        "min_value": Decimal(0),
    },
    {
        "section": "I. Nhiệm vụ KH&CN",
        "code": "TASKS_TOTAL",
        "label_vi": "Tổng số nhiệm vụ",
        "kind": "number",
        "unit": "nhiệm vụ",
        "formula": "TASKS_NATIONAL + TASKS_PROVINCIAL",
        "formula_mode": "compute",
    },
    {
        "section": "II. Kinh phí",
        "code": "BUDGET_PLAN",
        "label_vi": "Kinh phí được giao",
        "kind": "money",
        "unit": "triệu đồng",
    },
    {
        "section": "II. Kinh phí",
        "code": "BUDGET_SPENT",
        "label_vi": "Kinh phí đã giải ngân",
        "kind": "money",
        "unit": "triệu đồng",
        "required": True,
    },
    {
        "section": "II. Kinh phí",
        "code": "BUDGET_RATE",
        "label_vi": "Tỷ lệ giải ngân",
        "kind": "percent",
        "unit": "%",
        "formula": "BUDGET_SPENT / BUDGET_PLAN * 100",
        "formula_mode": "compute",
    },
    {
        "section": "III. Sở hữu trí tuệ",
        "code": "PATENTS",
        "label_vi": "Đơn sáng chế, giải pháp hữu ích",
        "kind": "number",
        "unit": "đơn",
    },
    {
        "section": "III. Sở hữu trí tuệ",
        "code": "PATENTS_CHECKED",
        "label_vi": "Tổng đơn (kiểm tra)",
        "kind": "number",
        "unit": "đơn",
        "formula": "PATENTS",
        "formula_mode": "check",
    },
    {
        "section": "IV. Khác",
        "code": "ASSESSMENT",
        "label_vi": "Tự đánh giá",
        "kind": "choice",
        "options": "Tốt; Khá; Trung bình",
    },
    {"section": "IV. Khác", "code": "NOTES", "label_vi": "Ghi chú", "kind": "text"},
    {
        "section": "IV. Khác",
        "code": "ENTERPRISES",
        "label_vi": "Doanh nghiệp KH&CN theo lĩnh vực",
        "kind": "table",
        "options": "Lĩnh vực; Số doanh nghiệp",
    },
)


def entity(label: str) -> Any:
    return registry.entity_by_label(label)


def make_regime(user: Any, receiving_unit: Any, **values: Any) -> Any:
    data = {
        "code": "BC-THANG",
        "name": "Báo cáo tháng hoạt động KH&CN",
        "reporting_unit_kind": "provincial_dost",
        "receiving_unit": receiving_unit.pk,
        "frequency": "monthly",
        "deadline_rule": "day_of_month",
        "deadline_day": 20,
        "deviation_threshold": 50,
    } | values
    return services.create_record(entity("reporting.Regime"), user, data)


def make_form(
    user: Any, regime: Any, indicators: tuple[dict[str, Any], ...] = INDICATORS, publish: bool = True
) -> Any:
    form = services.create_record(
        entity("reporting.ReportForm"),
        user,
        {
            "regime": regime.pk,
            "title": f"Biểu mẫu {regime.code}",
            "indicators": [dict(i) for i in indicators],
        },
    )
    if publish:
        form = services.fire_transition(
            entity("reporting.ReportForm"), user, form.pk, "publish", form.version
        )
    return form


def open_period(user: Any, regime: Any, year: int = 2026, index: int = 10) -> Any:
    return services.create_record(
        entity("reporting.ReportPeriod"), user, {"regime": regime.pk, "year": year, "index": index}
    )


def submission_of(period: Any, unit: Any) -> Any:
    return registry.model_for("reporting.Submission").objects.get(period=period, owner_unit=unit)


def fire(user: Any, submission: Any, name: str, comment: str = "") -> Any:
    submission.refresh_from_db()
    return services.fire_transition(
        entity("reporting.Submission"), user, submission.pk, name, submission.version, comment
    )


def good_values() -> list[Any]:
    from modules.reporting.submissions import Entry, TableCell

    return [
        Entry("TASKS_NATIONAL", Decimal(3)),
        Entry("TASKS_PROVINCIAL", Decimal(12)),
        Entry("BUDGET_PLAN", Decimal(2000)),
        Entry("BUDGET_SPENT", Decimal("1234.5")),
        Entry("PATENTS", Decimal(7)),
        Entry("PATENTS_CHECKED", Decimal(7)),
        Entry("ASSESSMENT", text="Tốt"),
        Entry(
            "ENTERPRISES",
            cells=[
                TableCell(1, "Lĩnh vực", None, "Công nghệ thông tin"),
                TableCell(1, "Số doanh nghiệp", Decimal(4)),
            ],
        ),
    ]
