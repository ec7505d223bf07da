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


@pytest.mark.django_db
def test_each_missing_document_is_its_own_error_line(org, legal_days):
    import re

    from modules.engine import registry, services
    from tests.onestop_helpers import applicant, make_procedure

    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    values = applicant(procedure)
    for row in values["components"]:
        row["provided"] = False  # neither required document handed in
    dossier = services.create_record(registry.entity_by_label("onestop.Dossier"), clerk, values)
    client = Client()
    client.force_login(clerk)
    change = client.get(f"/admin/onestop/dossier/{dossier.pk}/change/").content.decode()
    accept = re.search(r'href="([^"]*transition/accept/?)"', change).group(1)
    page = client.post(accept, {"version": dossier.version, "comment": ""})
    assert page.status_code == 200
    html = page.content.decode()
    lines = re.findall(r"<span class=\"block\" data-error>(.*?)</span>", html)
    at = html.find("errornote")  # shown when the assertion fails
    # the rule: each required document not provided is named, one per line
    assert lines[:2] == [
        "Thiếu giấy tờ / Missing: Đơn đề nghị đăng ký chuyển giao công nghệ",
        "Thiếu giấy tờ / Missing: Hợp đồng chuyển giao công nghệ",
    ], (lines, html[at - 600 : at + 300])
    dossier.refresh_from_db()
    assert dossier.state == "new"  # nothing written


@pytest.mark.django_db
def test_choosing_the_procedure_lists_its_documents(org, legal_days):
    from tests.onestop_helpers import COMPONENTS, make_procedure

    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    client = Client()
    client.force_login(clerk)
    page = client.get(ADD, {"procedure": procedure.pk})
    assert page.status_code == 200
    assert 'data-links="procedure"' in page.content.decode()  # the picker reloads the form
    formset = next(f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "components")
    rows = [(form.initial.get("name"), form.initial.get("copy_kind")) for form in formset.formset.forms]
    # the rule: the checklist is the procedure's documents, in its order
    assert rows == [(c["name"], c["copy_kind"]) for c in COMPONENTS]
    blank = client.get(ADD)  # no procedure yet: no checklist
    formset = next(f for f in blank.context["inline_admin_formsets"] if f.formset.prefix == "components")
    assert not any(form.initial.get("name") for form in formset.formset.forms)
