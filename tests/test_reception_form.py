"""Counter reception in the admin (issue 12.3): the add form shows what a clerk fills in,
not the fields the platform computes after the first save."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import make_user

ADD = "/admin/onestop/dossier/add/"
COMPUTED = ("promised_date", "receipt_date", "agency_code", "classification", "received_by", "finished_at")


@pytest.mark.django_db
def test_the_add_form_leaves_out_computed_fields_and_tables(org):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    client = Client()
    client.force_login(clerk)
    page = client.get(ADD)
    assert page.status_code == 200
    shown = set()
    for _name, options in page.context["adminform"].fieldsets:
        for line in options["fields"]:
            shown.update(line if isinstance(line, (list, tuple)) else (line,))
    assert {"procedure", "applicant_name", "phone"} <= shown
    assert not shown & set(COMPUTED), shown & set(COMPUTED)
    html = page.content.decode()
    assert "Ngày hẹn trả" not in html and "Phiếu kiểm soát quá trình" not in html
    assert "Thành phần hồ sơ đã nộp" in html  # the documents table the clerk ticks
