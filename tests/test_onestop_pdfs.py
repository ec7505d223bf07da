"""The receipt slip (Mẫu 01) and the tracking sheet (Mẫu 05): rendered, read back, turned into PNG."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from django.test import Client

from modules.onestop import pdfs, public
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.onestop_helpers import applicant, fire, make_procedure

pytestmark = pytest.mark.django_db
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"


def to_png(pdf: bytes, name: str) -> Path:
    """Page 1 as PNG with Debian's pdftoppm (poppler-utils), saved under docs/screens/."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: install Debian's poppler-utils (.ci/run does)")
    SCREENS.mkdir(parents=True, exist_ok=True)
    target = SCREENS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", "-", str(target)], input=pdf, check=True, timeout=60
    )
    return target.with_suffix(".png")


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


@pytest.fixture
def dossier(org, legal_days):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    made = receive(clerk, applicant(procedure, applicant_name="Công ty <Sao Mai> & Cộng sự"))
    made = fire(clerk, made, "start")
    made = fire(org.admin, made, "advance")
    return made


def test_the_receipt_slip_carries_the_code_the_promise_and_the_documents(org, dossier):
    pdf = pdfs.receipt_slip(dossier)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.number in text and f"ngày {dossier.promised_date:%d/%m/%Y}" in text
    assert "Công ty <Sao Mai> & Cộng sự" in text  # markup in a name is text, not a crash
    assert "Hợp đồng chuyển giao công nghệ" in text and "15 ngày làm việc" in text
    # the public lookup shows no field the slip does not: the lookup's values all appear on it
    shown = public.public_view(dossier)
    for field in set(public.PUBLIC_FIELDS) - set(public.PROGRESS_FIELDS):
        value = getattr(shown, field)
        rendered = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
        assert rendered in text, field
    png = to_png(pdf, "onestop-receipt-slip")
    assert png.stat().st_size > 20_000


def test_the_tracking_sheet_lists_every_hand_over_with_its_verdict(org, dossier):
    pdf = pdfs.tracking_sheet(dossier)
    text = text_of(pdf)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Thẩm định hồ sơ" in text and "Trình ký" in text and "Trước hạn" in text
    assert to_png(pdf, "onestop-tracking-sheet").stat().st_size > 10_000


def test_the_pdfs_are_served_to_staff_who_may_see_the_dossier_only(org, dossier):
    staff = Client()
    staff.force_login(org.admin)
    slip = staff.get(f"/onestop/dossiers/{dossier.pk}/receipt.pdf")
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    assert staff.get(f"/onestop/dossiers/{dossier.pk}/tracking.pdf").status_code == 200
    outsider = Client()
    outsider.force_login(org.officer_b)
    assert outsider.get(f"/onestop/dossiers/{dossier.pk}/receipt.pdf").status_code == 404
    assert Client().get(f"/onestop/dossiers/{dossier.pk}/receipt.pdf").status_code == 302
    page = staff.get(f"/admin/onestop/dossier/{dossier.pk}/change/").content.decode()
    assert f"/onestop/dossiers/{dossier.pk}/receipt.pdf" in page
