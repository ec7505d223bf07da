"""An administrator sets up a new report in the admin alone, in a real browser, with no code
change and no restart: a regime, its form, publishing, a period, and the submissions of every
province appear; GraphQL serves the new form's indicators and takes values for them at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from modules.engine import registry
from modules.engine.models import ApiToken
from tests.browser import chromium, orm
from tests.conftest import make_unit
from tests.live_server import daphne_server, post_graphql

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
INDICATORS = (
    ("I. Đổi mới sáng tạo", "STARTUPS", "Số dự án khởi nghiệp được hỗ trợ", "number", "dự án", ""),
    ("I. Đổi mới sáng tạo", "STARTUP_FUND", "Kinh phí hỗ trợ khởi nghiệp", "money", "triệu đồng", ""),
    (
        "I. Đổi mới sáng tạo",
        "PER_PROJECT",
        "Kinh phí bình quân một dự án",
        "money",
        "triệu đồng",
        "STARTUP_FUND / STARTUPS",
    ),
)


def pick(page, field: str, text: str) -> None:
    """Choose `text` in a Select2 autocomplete (the admin's link fields)."""
    page.click(f"#select2-id_{field}-container")
    page.fill(".select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_an_administrator_builds_a_regime_form_and_period_in_the_admin_alone(org, legal_days):
    for code, name in (("SKHCN-48", "Sở KH&CN TP. Đà Nẵng"), ("SKHCN-92", "Sở KH&CN TP. Cần Thơ")):
        make_unit(org.admin, code, name, "provincial_dost", province_code=code[-2:])
    provinces = registry.model_for("org.Unit").objects.filter(kind="provincial_dost").count()
    _, officer_token = ApiToken.issue(org.officer_a, "officer")
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1000})
        page.goto(f"{base}/admin/login/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "pass12345")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")

        # 1. the regime
        page.goto(f"{base}/admin/reporting/regime/add/")
        page.fill("#id_code", "BC-KNST")
        page.fill("#id_name", "Báo cáo quý hỗ trợ khởi nghiệp sáng tạo")
        page.select_option("#id_reporting_unit_kind", "provincial_dost")
        pick(page, "receiving_unit", "Văn phòng Bộ")
        page.select_option("#id_frequency", "quarterly")
        page.select_option("#id_deadline_rule", "working_days_after_cutoff")
        page.fill("#id_deadline_working_days", "5")
        page.click("button[name=_save]")
        page.wait_for_url(f"{base}/admin/reporting/regime/")
        regime = orm(lambda: registry.model_for("reporting.Regime").objects.get(code="BC-KNST"))

        # 2. its form: indicators in the inline table, one computed; a cycle is refused first
        page.goto(f"{base}/admin/reporting/reportform/add/")
        pick(page, "regime", "Báo cáo quý hỗ trợ khởi nghiệp sáng tạo")
        page.fill("#id_title", "Biểu 01/KNST")
        add_row = page.get_by_text("Thêm", exact=False).filter(has_text="Chỉ tiêu").first
        for index, (section, code, label, kind, unit, formula) in enumerate(INDICATORS):
            add_row.click()
            prefix = f"#id_indicators-{index}-"
            page.fill(prefix + "section", section)
            page.fill(prefix + "code", code)
            page.fill(prefix + "label_vi", label)
            page.select_option(prefix + "kind", kind)
            page.fill(prefix + "unit", unit)
            if formula:
                page.fill(prefix + "formula", "PER_PROJECT + 1")  # a cycle, on purpose
                page.select_option(prefix + "formula_mode", "compute")
        page.click("button[name=_save]")
        page.wait_for_load_state()
        assert "vòng tròn" in page.content().lower()  # refused beside the row, nothing saved
        assert not orm(
            lambda: registry.model_for("reporting.ReportForm").objects.filter(regime=regime).exists()
        )
        page.fill("#id_indicators-2-formula", INDICATORS[2][5])
        page.click("button[name=_continue]")
        page.wait_for_load_state()
        form = orm(lambda: registry.model_for("reporting.ReportForm").objects.get(regime=regime))
        assert orm(form.indicators.count) == 3 and form.state == "draft"
        page.screenshot(path=str(SCREENS / "report-form-builder.png"), full_page=True)

        # 3. publish it (the workflow button on the record)
        page.goto(f"{base}/admin/reporting/reportform/{form.pk}/change/")
        page.get_by_role("link", name="Ban hành").first.click()
        page.wait_for_load_state()
        if page.locator("form button[type=submit]").count():
            page.locator("form button[type=submit]").last.click()
            page.wait_for_load_state()
        orm(form.refresh_from_db)
        assert form.state == "in_force"

        # 4. open a period; a submission appears for every province
        page.goto(f"{base}/admin/reporting/reportperiod/add/")
        pick(page, "regime", "Báo cáo quý hỗ trợ khởi nghiệp sáng tạo")
        page.fill("#id_year", "2027")
        page.fill("#id_index", "1")
        page.click("button[name=_save]")
        page.wait_for_load_state()
        period = orm(lambda: registry.model_for("reporting.ReportPeriod").objects.get(regime=regime))
        page.goto(f"{base}/admin/reporting/submission/?period__id__exact={period.pk}")
        listing = page.content()
        for name in ("Sở KH&amp;CN Hà Nội", "Sở KH&amp;CN TP. Đà Nẵng", "Sở KH&amp;CN TP. Cần Thơ"):
            assert name in listing
        assert (
            orm(registry.model_for("reporting.Submission").objects.filter(period=period).count) == provinces
        )
        page.screenshot(path=str(SCREENS / "report-submissions.png"), full_page=True)

    # 5. GraphQL serves the new indicators and takes values for them, right away
    submission = registry.model_for("reporting.Submission").objects.get(
        period=period, owner_unit=org.province_a
    )
    with daphne_server() as base:
        indicators = post_graphql(
            base,
            officer_token,
            "query($p: ID!) { reportIndicators(period: $p) { code computed } }",
            {"p": str(period.pk)},
        )["data"]["reportIndicators"]
        assert indicators == [
            {"code": "STARTUPS", "computed": False},
            {"code": "STARTUP_FUND", "computed": False},
            {"code": "PER_PROJECT", "computed": True},
        ]
        saved = post_graphql(
            base,
            officer_token,
            """mutation($id: ID!, $v: Int!) { saveReportValues(id: $id, version: $v, values: [
                 {code: "STARTUPS", number: "4"}, {code: "STARTUP_FUND", number: "1000"}]) { ok errors { message } } }""",
            {"id": str(submission.pk), "v": submission.version},
        )["data"]["saveReportValues"]
        assert saved["ok"], saved
        sheet = post_graphql(
            base,
            officer_token,
            "query($id: ID!) { reportSheet(submission: $id) { entries { indicator { code } number } } }",
            {"id": str(submission.pk)},
        )["data"]["reportSheet"]
    assert {e["indicator"]["code"]: e["number"] for e in sheet["entries"]}["PER_PROJECT"] == "250.0000"
