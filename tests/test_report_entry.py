"""The data-entry page in the admin: typed values as officers write them, errors beside the
indicator, all-or-nothing writes, and extraction that proposes but never saves."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import Workbook

from modules.reporting import submissions
from tests.reporting_helpers import make_form, make_regime, open_period, submission_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return open_period(org.admin, regime, 2027, 1)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(sub) -> str:
    return f"/reporting/submissions/{sub.pk}/"


def test_the_page_lists_the_form_by_section_and_only_for_those_who_may_see_it(org, period):
    sub = submission_of(period, org.province_a)
    page = _client(org.officer_a).get(_url(sub))
    html = page.content.decode()
    assert page.status_code == 200
    assert "I. Nhiệm vụ KH&amp;CN" in html and 'data-indicator="TASKS_TOTAL"' in html and 'id="save"' in html
    assert _client(org.officer_b).get(_url(sub)).status_code == 404
    assert (
        _client(org.officer_b).post(_url(sub), {"action": "save", "version": sub.version}).status_code == 404
    )
    assert Client().get(_url(sub)).status_code == 302
    admin_page = _client(org.officer_a).get(f"/admin/reporting/submission/{sub.pk}/change/").content.decode()
    assert _url(sub) in admin_page  # linked from the record's admin page


def test_numbers_as_officers_write_them_are_saved_as_typed_values(org, period):
    sub = submission_of(period, org.province_a)
    response = _client(org.officer_a).post(
        _url(sub),
        {
            "action": "save",
            "version": sub.version,
            "v_TASKS_NATIONAL": "3",
            "v_TASKS_PROVINCIAL": "1.204",
            "v_BUDGET_SPENT": "1.234,5",
            "v_BUDGET_PLAN": "2,5 tỷ",
            "v_ASSESSMENT": "Khá",
            "v_ENTERPRISES_rows": "2",
            "v_ENTERPRISES_0_0": "Y dược",
            "v_ENTERPRISES_0_1": "5",
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    values = submissions.current_values(sub)
    assert values["TASKS_PROVINCIAL"] == Decimal(1204)
    assert values["BUDGET_SPENT"] == Decimal("1234.5")
    assert values["TASKS_TOTAL"] == Decimal(1207)
    assert values["BUDGET_PLAN"] == Decimal(2500)  # "2,5 tỷ" in a field kept in millions
    assert values["ASSESSMENT"] == "Khá"
    assert submissions.table_rows(sub)["ENTERPRISES"] == [
        {"Lĩnh vực": "Y dược", "Số doanh nghiệp": Decimal(5)}
    ]


def test_bad_input_is_a_400_with_the_error_beside_the_indicator_and_nothing_written(org, period):
    sub = submission_of(period, org.province_a)
    client = _client(org.officer_a)
    response = client.post(
        _url(sub),
        {"action": "save", "version": sub.version, "v_TASKS_NATIONAL": "5", "v_PATENTS": "nhiều lắm"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error="PATENTS"' in html and 'value="nhiều lắm"' in html  # typed input kept
    sub.refresh_from_db()
    assert submissions.current_values(sub) == {}

    refused = client.post(
        _url(sub), {"action": "submit", "version": sub.version, "v_TASKS_NATIONAL": "5", "v_PATENTS": "2"}
    )
    assert refused.status_code == 400
    assert 'data-error="BUDGET_SPENT"' in refused.content.decode()  # required, missing
    sub.refresh_from_db()
    assert sub.state == "draft" and submissions.current_values(sub) == {}  # save and submit, or nothing


def test_an_uploaded_report_proposes_values_with_their_place_and_saves_nothing(org, period):
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    sheet.append(["BÁO CÁO THÁNG 01/2027 — SỞ KH&CN HÀ NỘI"])
    sheet.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"])
    sheet.append([1, "So nhiem vu cap quoc gia", "nhiệm vụ", "4"])
    sheet.append([2, "Số  nhiệm vụ cấp tỉnh", "nhiệm vụ", "18"])
    sheet.append([3, "Kinh phí đã giải ngân", "triệu đồng", "1.234,5"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "bao-cao-thang-01.xlsx"
    sub = submission_of(period, org.province_a)
    response = _client(org.officer_a).post(_url(sub), {"action": "extract", "report_file": buffer})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-proposal="TASKS_NATIONAL"' in html and 'data-proposal="BUDGET_SPENT"' in html
    assert "Biểu 01" in html  # where the value was found
    assert 'value="1234.5"' in html
    sub.refresh_from_db()
    assert submissions.current_values(sub) == {}  # only proposed

    bad = io.BytesIO(b"MZ\x90\x00 not a report")
    bad.name = "virus.exe"
    refused = _client(org.officer_a).post(_url(sub), {"action": "extract", "report_file": bad})
    assert refused.status_code == 400 and 'id="general-errors"' in refused.content.decode()


def test_a_reviewer_returns_with_comments_per_indicator_then_accepts(org, period):
    from tests.reporting_helpers import fire, good_values

    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, good_values())
    sub = fire(org.officer_a, sub, "submit")
    officer_page = _client(org.officer_a).get(_url(sub)).content.decode()
    assert 'id="review-form"' not in officer_page
    assert (
        _client(org.officer_a).post(_url(sub), {"action": "accept", "version": sub.version}).status_code
        == 403
    )

    reviewer = _client(org.admin)
    assert 'id="review-form"' in reviewer.get(_url(sub)).content.decode()
    response = reviewer.post(
        _url(sub), {"action": "return", "version": sub.version, "c_BUDGET_SPENT": "Chưa khớp sổ sách"}
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.state == "returned"
    page = _client(org.officer_a).get(_url(sub)).content.decode()
    assert 'data-comment="BUDGET_SPENT"' in page and "Chưa khớp sổ sách" in page and 'id="save"' in page

    sub = fire(org.officer_a, sub, "resubmit")
    assert (
        reviewer.post(_url(sub), {"action": "accept", "version": sub.version - 1}).status_code == 400
    )  # stale
    assert reviewer.post(_url(sub), {"action": "accept", "version": sub.version}).status_code == 302
    sub.refresh_from_db()
    assert sub.state == "accepted" and sub.is_shared
