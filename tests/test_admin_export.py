"""Export from every admin list (issue 12.8): XLSX and CSV, under the viewer's scope.

The export is the changelist's own queryset (scope, filters, search), with the declared
Vietnamese labels as headers, choice labels, links by title and people by full name;
whoever may not view the list gets no export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.contrib import admin
from django.test import Client

from modules.engine import registry, services

pytestmark = pytest.mark.django_db

URL = "/admin/sample/sampleproject/export/"
XLSX, CSV = "0", "1"  # the order of the export formats: XLSX first, then CSV


def project(user: Any, title: str, priority: str = "normal", **extra: Any) -> Any:
    entity = registry.entity_by_label("sample.SampleProject")
    values = {"title": title, "priority": priority, "budget": 100, **extra}
    return services.create_record(entity, user, values)


def export(user: Any, file_format: str, query: str = "") -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.post(f"{URL}{query}", {"format": file_format, "resource": "0"})


def xlsx_rows(response: Any) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def rows(org):
    project(org.officer_a, "Dự án Hà Nội thường", due_date="2026-03-05", lead_unit=org.province_a.pk)
    project(org.head_a, "Dự án Hà Nội cao", priority="high")
    project(org.officer_b, "Dự án TP.HCM bí mật", priority="high")
    return org


def titles(table: list[list[Any]]) -> set[str]:
    header = table[0]
    column = header.index("Tên dự án") if "Tên dự án" in header else None
    assert column is not None, header
    return {row[column] for row in table[1:]}


def test_xlsx_holds_only_the_officers_province_with_vietnamese_headers(rows):
    response = export(rows.officer_a, XLSX)
    assert response.status_code == 200, response.content[:500]
    assert "spreadsheetml" in response["Content-Type"]
    table = xlsx_rows(response)
    assert titles(table) == {"Dự án Hà Nội thường", "Dự án Hà Nội cao"}  # not province B's
    header = table[0]
    for label in ("Số hiệu", "Độ ưu tiên", "Hạn", "Đơn vị chủ trì", "Trạng thái", "Người tạo"):
        assert any(str(h).startswith(label) for h in header), (label, header)
    row = next(r for r in table[1:] if r[header.index("Tên dự án")] == "Dự án Hà Nội thường")
    cell = dict(zip(header, row, strict=True))
    due = next(h for h in header if str(h).startswith("Hạn"))
    assert cell[due] == "05/03/2026"  # Vietnamese date, not 2026-03-05
    priority = next(h for h in header if str(h).startswith("Độ ưu tiên"))
    assert cell[priority] and cell[priority] != "normal" and "Thường" in cell[priority]  # the label
    lead = next(h for h in header if str(h).startswith("Đơn vị chủ trì"))
    assert cell[lead] == str(rows.province_a)  # a link by its title
    creator = next(h for h in header if str(h).startswith("Người tạo"))
    assert cell[creator] == "Officer_A"  # the person's full name (conftest), not a login or an id


def test_csv_applies_the_lists_filters_and_search(rows):
    table = csv_rows(export(rows.officer_a, CSV, "?priority__exact=high"))
    assert titles(table) == {"Dự án Hà Nội cao"}
    assert any(h.startswith("Độ ưu tiên") for h in table[0])
    assert titles(csv_rows(export(rows.officer_a, CSV, "?q=thường"))) == {"Dự án Hà Nội thường"}
    # a ministry leader sees every province (view permission, every unit)
    assert "Dự án TP.HCM bí mật" in titles(csv_rows(export(rows.leader, CSV)))


def test_no_export_for_anonymous_or_unauthorised(rows):
    anonymous = export(None, CSV)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    from tests.conftest import make_user

    clerk = make_user("clerk_x", rows.province_a, ("onestop_clerk",))  # no role on sample projects
    refused = export(clerk, CSV)
    assert refused.status_code == 403
    assert b"TP.HCM" not in refused.content and "Hà Nội".encode() not in refused.content


def test_every_generated_list_offers_the_export():
    for entity in registry.entities():
        model_admin = admin.site._registry[registry.model_for(entity)]
        assert hasattr(model_admin, "export_action"), entity.label
        assert model_admin.get_export_resource_classes(None), entity.label


def test_the_list_page_links_the_export_with_its_filters(rows):
    client = Client()
    client.force_login(rows.officer_a)
    page = client.get("/admin/sample/sampleproject/?priority__exact=high").content.decode()
    assert f"{URL}?priority__exact=high" in page.replace("&amp;", "&")
    assert dt.date.today()  # (the page rendered)
