"""Reporting over GraphQL and HTTP: a form built a minute ago is fillable at once; no province
reads or changes another province's draft by any route; the consolidated figures agree."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from modules.engine.numbers import vi_number
from modules.reporting import consolidation, submissions
from tests.graphql import run
from tests.reporting_helpers import fire, good_values, make_form, make_regime, open_period, submission_of

pytestmark = pytest.mark.django_db

CREATE_FORM = """
mutation($input: ReportFormCreateInput!) {
  createReportForm(input: $input) { ok errors { field code message } node { id version } }
}"""
PUBLISH = (
    "mutation($id: ID!, $v: Int!) { reportFormPublish(id: $id, version: $v) { ok errors { field message } } }"
)
OPEN = """
mutation($input: ReportPeriodCreateInput!) {
  createReportPeriod(input: $input) { ok errors { field code message } node { id label deadline } }
}"""
SHEET = """
query($id: ID!) { reportSheet(submission: $id) {
  id version state editable entries { indicator { code kind computed section } number text } findings { code check } } }"""
SAVE = """
mutation($id: ID!, $v: Int!, $values: [ReportValueInput!]!) {
  saveReportValues(id: $id, version: $v, values: $values) { ok errors { field code message } id version } }"""
SUBMIT = (
    "mutation($id: ID!, $v: Int!) { submissionSubmit(id: $id, version: $v) { ok errors { field code } } }"
)
LIST = "{ submissions { totalCount results { id state ownerUnit { id } } } }"


@pytest.fixture
def regime(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return regime


@pytest.fixture
def period(org, regime):
    return open_period(org.admin, regime)


def test_a_form_built_through_the_api_is_fillable_at_once_with_field_errors(org, legal_days):
    regime = make_regime(org.admin, org.office, code="BC-DMST", name="Báo cáo đổi mới sáng tạo")
    indicators = [
        {
            "section": "I",
            "code": "STARTUPS",
            "labelVi": "Doanh nghiệp khởi nghiệp",
            "kind": "NUMBER",
            "unit": "doanh nghiệp",
            "required": True,
        },
        {
            "section": "I",
            "code": "SUPPORTED",
            "labelVi": "Được hỗ trợ",
            "kind": "NUMBER",
            "unit": "doanh nghiệp",
        },
        {
            "section": "I",
            "code": "SHARE",
            "labelVi": "Tỷ lệ được hỗ trợ",
            "kind": "PERCENT",
            "formula": "SUPPORTED / STARTUPS * 100",
            "formulaMode": "COMPUTE",
        },
    ]
    bad = run(
        CREATE_FORM,
        {
            "input": {
                "regime": str(regime.pk),
                "title": "Biểu 01",
                "indicators": [
                    *indicators,
                    {
                        "section": "I",
                        "code": "LOOP",
                        "labelVi": "Vòng",
                        "kind": "NUMBER",
                        "formula": "LOOP + 1",
                    },
                ],
            }
        },
        user=org.admin,
    )["data"]["createReportForm"]
    assert not bad["ok"] and bad["errors"][0]["field"] == "indicators.3.formula"
    assert "vòng tròn" in bad["errors"][0]["message"].lower()

    made = run(
        CREATE_FORM,
        {"input": {"regime": str(regime.pk), "title": "Biểu 01", "indicators": indicators}},
        user=org.admin,
    )["data"]["createReportForm"]
    assert made["ok"], made
    published = run(PUBLISH, {"id": made["node"]["id"], "v": made["node"]["version"]}, user=org.admin)
    assert published["data"]["reportFormPublish"]["ok"]
    opened = run(OPEN, {"input": {"regime": str(regime.pk), "year": 2026, "index": 11}}, user=org.admin)
    opened = opened["data"]["createReportPeriod"]
    assert opened["ok"] and opened["node"]["label"] == "Tháng 11/2026"

    sub = submission_of(opened["node"]["id"], org.province_a)
    sheet = run(SHEET, {"id": str(sub.pk)}, user=org.officer_a)["data"]["reportSheet"]
    assert [e["indicator"]["code"] for e in sheet["entries"]] == ["STARTUPS", "SUPPORTED", "SHARE"]
    assert sheet["editable"] and sheet["entries"][2]["indicator"]["computed"]

    wrong = run(
        SAVE,
        {
            "id": sheet["id"],
            "v": sheet["version"],
            "values": [{"code": "STARTUPS", "text": "nhiều"}, {"code": "SHARE", "number": "50"}],
        },
        user=org.officer_a,
    )
    wrong = wrong["data"]["saveReportValues"]
    assert not wrong["ok"]
    assert {(e["field"], e["code"]) for e in wrong["errors"]} == {
        ("values.STARTUPS", "INVALID"),
        ("values.SHARE", "READ_ONLY"),
    }

    saved = run(
        SAVE,
        {
            "id": sheet["id"],
            "v": sheet["version"],
            "values": [{"code": "STARTUPS", "number": "40"}, {"code": "SUPPORTED", "number": "10"}],
        },
        user=org.officer_a,
    )
    saved = saved["data"]["saveReportValues"]
    assert saved["ok"], saved
    sheet = run(SHEET, {"id": str(sub.pk)}, user=org.officer_a)["data"]["reportSheet"]
    assert Decimal(sheet["entries"][2]["number"]) == Decimal(25)
    submitted = run(SUBMIT, {"id": sheet["id"], "v": sheet["version"]}, user=org.officer_a)
    assert submitted["data"]["submissionSubmit"]["ok"]


def test_another_province_cannot_read_or_change_a_draft_by_any_route(org, period):
    mine = submission_of(period, org.province_a)
    mine = submissions.save_values(org.officer_a, mine.pk, mine.version, good_values())
    theirs = submission_of(period, org.province_b)

    # lists
    listed = run(LIST, user=org.officer_b)["data"]["submissions"]["results"]
    assert {r["id"] for r in listed} == {str(theirs.pk)}
    # one record, the sheet, the generated single query
    assert run(SHEET, {"id": str(mine.pk)}, user=org.officer_b)["data"]["reportSheet"] is None
    single = run("query($id: ID!) { submission(id: $id) { id } }", {"id": str(mine.pk)}, user=org.officer_b)
    assert single["data"]["submission"] is None
    # writes: values, workflow, generic update, delete
    save = run(
        SAVE,
        {"id": str(mine.pk), "v": mine.version, "values": [{"code": "PATENTS", "number": "1"}]},
        user=org.officer_b,
    )["data"]["saveReportValues"]
    assert not save["ok"] and save["errors"][0]["code"] == "NOT_FOUND"
    submit = run(SUBMIT, {"id": str(mine.pk), "v": mine.version}, user=org.officer_b)["data"][
        "submissionSubmit"
    ]
    assert not submit["ok"] and submit["errors"][0]["code"] == "NOT_FOUND"
    update = run(
        "mutation($i: SubmissionUpdateInput!) { updateSubmission(input: $i) { ok errors { code } } }",
        {"i": {"id": str(mine.pk), "version": mine.version, "ownerUnit": str(org.province_b.pk)}},
        user=org.officer_b,
    )["data"]["updateSubmission"]
    assert not update["ok"]
    # consolidation counts no draft; the export neither
    assert consolidation.consolidate(org.officer_b, period.pk, "PATENTS").count == 0
    client = Client()
    client.force_login(org.officer_b)
    book = load_workbook(io.BytesIO(client.get(f"/reporting/export/{period.pk}.xlsx").content))
    assert "Sở KH&CN Hà Nội" not in [row[1] for row in book.active.iter_rows(values_only=True)]
    # the admin
    assert client.get(f"/admin/reporting/submission/{mine.pk}/change/").status_code in (302, 404)
    listing = client.get("/admin/reporting/submission/")
    assert listing.status_code == 200 and mine.number not in listing.content.decode()
    mine.refresh_from_db()
    assert submissions.current_values(mine)["PATENTS"] == Decimal(7)

    # once accepted, the report is shared data for every province (read only)
    mine = fire(org.officer_a, mine, "submit")
    mine = fire(org.admin, mine, "accept")
    assert run(SHEET, {"id": str(mine.pk)}, user=org.officer_b)["data"]["reportSheet"]["state"] == "ACCEPTED"
    save = run(
        SAVE,
        {"id": str(mine.pk), "v": mine.version, "values": [{"code": "PATENTS", "number": "1"}]},
        user=org.officer_b,
    )["data"]["saveReportValues"]
    assert not save["ok"] and save["errors"][0]["code"] in ("NOT_FOUND", "PERMISSION_DENIED")


def test_consolidated_figures_agree_in_graphql_the_admin_and_the_export(org, regime, period):
    for unit, user, spent in (
        (org.province_a, org.officer_a, "1234.5"),
        (org.province_b, org.officer_b, "765.5"),
    ):
        sub = submission_of(period, unit)
        values = [e for e in good_values() if e.code != "BUDGET_SPENT"]
        values.append(submissions.Entry("BUDGET_SPENT", Decimal(spent)))
        sub = submissions.save_values(user, sub.pk, sub.version, values)
        sub = fire(user, sub, "submit")
        fire(org.admin, sub, "accept")

    query = """query($p: ID!, $r: ID!) {
      reportConsolidation(period: $p, code: "BUDGET_SPENT") { total average count units { unitCode value } }
      reportSeries(regime: $r, code: "BUDGET_SPENT") { label total count } }"""
    data = run(query, {"p": str(period.pk), "r": str(regime.pk)}, user=org.leader)["data"]
    assert Decimal(data["reportConsolidation"]["total"]) == Decimal(2000)
    assert Decimal(data["reportConsolidation"]["average"]) == Decimal(1000)
    assert data["reportConsolidation"]["count"] == 2
    assert data["reportSeries"] == [
        {"label": "Tháng 10/2026", "total": data["reportConsolidation"]["total"], "count": 2}
    ]

    client = Client()
    client.force_login(org.leader)
    response = client.get(f"/reporting/export/{period.pk}.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    codes = rows[4]
    column = codes.index("BUDGET_SPENT")
    total = next(r for r in rows if r[1] == "Tổng / Total")
    average = next(r for r in rows if r[1] == "Trung bình / Average")
    assert Decimal(str(total[column])) == Decimal(2000) and Decimal(str(average[column])) == Decimal(1000)

    summary = client.get(f"/reporting/periods/{period.pk}/?code=BUDGET_SPENT").content.decode()
    assert 'id="total">2.000<' in summary and 'id="average">1.000<' in summary  # Vietnamese digits
    assert 'data-unit="SKHCN-01"' in summary and "1.234,5" in summary
    period_page = client.get(f"/admin/reporting/reportperiod/{period.pk}/change/").content.decode()
    assert f"/reporting/periods/{period.pk}/" in period_page and f"/reporting/export/{period.pk}.xlsx" in period_page

    dashboard = client.get("/admin/").content.decode()
    assert f"reporting.series.{regime.pk}" in dashboard
    tasks_total = consolidation.consolidate(org.leader, period.pk, "TASKS_TOTAL").total
    assert tasks_total == Decimal(30)
    # the chart follows the form's first numeric indicator; its table holds the same total
    national = consolidation.consolidate(org.leader, period.pk, "TASKS_NATIONAL").total
    panel = dashboard[dashboard.index(f'data-panel="reporting.series.{regime.pk}"') :][:8000]
    assert f'data-cell="0">{vi_number(national)}<' in panel


def test_bad_export_requests_get_a_clear_4xx(org, period):
    client = Client()
    assert client.get(f"/reporting/export/{period.pk}.xlsx").status_code == 302  # sign in first
    client.force_login(org.officer_a)
    bad = client.get("/reporting/export/abc.xlsx")
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()
    assert client.get("/reporting/export/999999.xlsx").status_code == 404


def test_a_new_form_version_from_the_admin_page(org, regime, period):
    client = Client()
    client.force_login(org.admin)
    form = period.form
    page = client.get(f"/admin/reporting/reportform/{form.pk}/change/").content.decode()
    url = f"/reporting/forms/{form.pk}/new-version/"
    assert url in page
    assert client.get(url).status_code == 200
    made = client.post(url)
    assert made.status_code == 302
    forms = type(form).objects.filter(regime=regime).order_by("version_no")
    assert [(f.version_no, f.state) for f in forms] == [(1, "in_force"), (2, "draft")]
    assert forms[1].indicators.count() == forms[0].indicators.count()
    officer = Client()
    officer.force_login(org.officer_a)
    assert officer.post(url).status_code == 403
