"""The registers of Phụ lục IV (domain.md §5), exported as XLSX and A4 PDF
(`modules/engine/registers.py`): their columns, the period filter, the caller's scope.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pdfplumber
import pytest
import time_machine
from django.test import Client

from tests.documents_helpers import at, register

pytestmark = pytest.mark.django_db


def download(user, name: str, fmt: str, start: str, end: str):
    client = Client()
    client.force_login(user)
    return client.get(f"/van-ban/so/{name}.{fmt}", {"from": start, "to": end})


@pytest.fixture
def registered(org, legal_days):
    with time_machine.travel(at(dt.date(2026, 11, 2)), tick=False):
        register(
            org.office_clerk,
            subject="Văn bản tháng mười một",
            number_symbol="1/TB-A",
            doc_type="thong_bao",
            issued_date=dt.date(2026, 11, 2),
        )
        register(
            org.officer_a,
            subject="Văn bản của Sở Hà Nội",
            number_symbol="2/TB-A",
            doc_type="thong_bao",
            issued_date=dt.date(2026, 11, 2),
        )
    with time_machine.travel(at(dt.date(2026, 10, 5)), tick=False):
        register(
            org.office_clerk,
            subject="Văn bản tháng mười",
            number_symbol="3/TB-A",
            doc_type="thong_bao",
            issued_date=dt.date(2026, 10, 5),
        )
    return org


def sheet_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_incoming_register_has_the_columns_of_phu_luc_iv_and_the_period(registered):
    response = download(registered.leader, "incoming", "xlsx", "2026-11-01", "2026-11-30")
    assert response.status_code == 200
    rows = sheet_rows(response)
    headings = rows[3]
    assert [h.split(" / ")[0] for h in headings] == [
        "Ngày đến",
        "Số đến",
        "Tác giả",
        "Số, ký hiệu",
        "Ngày văn bản",
        "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ]
    subjects = [r[5] for r in rows[4:]]
    assert subjects == ["Thông báo: Văn bản tháng mười một", "Thông báo: Văn bản của Sở Hà Nội"]
    assert rows[4][0] == "02/11/2026"


def test_the_register_shows_only_what_the_caller_sees(registered):
    rows = sheet_rows(download(registered.officer_b, "incoming", "xlsx", "2026-01-01", "2026-12-31"))
    assert rows[4:] == []
    rows = sheet_rows(download(registered.officer_a, "incoming", "xlsx", "2026-01-01", "2026-12-31"))
    assert [r[5] for r in rows[4:]] == ["Thông báo: Văn bản của Sở Hà Nội"]
    pdf = download(registered.officer_b, "handling", "pdf", "2026-01-01", "2026-12-31")
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "Sở Hà Nội" not in text


def test_the_pdf_is_a4_landscape_with_the_rows(registered):
    response = download(registered.leader, "incoming", "pdf", "2026-10-01", "2026-10-31")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        page = document.pages[0]
        assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape, in points
        text = page.extract_text()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "Văn bản tháng mười" in text
    assert "tháng mười một" not in text


@pytest.mark.parametrize(
    "query", [{"from": "2026-13-01", "to": "2026-12-01"}, {"from": "2026-12-01", "to": "2026-11-01"}, {}]
)
def test_a_bad_period_is_a_400_with_the_reason(registered, query):
    client = Client()
    client.force_login(registered.leader)
    response = client.get("/van-ban/so/incoming.xlsx", query)
    assert response.status_code == 400
    assert "Kỳ không hợp lệ" in response.content.decode()


def test_anonymous_gets_no_register(registered):
    response = Client().get("/van-ban/so/incoming.xlsx", {"from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 302
