"""Issue 15 in the admin: custom fields as list columns, filters, search, history and exports.

The rule's text: a field marked "in list" is a column with values as people read them (a
choice's label, 05/03/2026, 1.500.000, Có/Không, a linked record's name) without one query
per row; "in filters" gives a filter of its type; "in search" is searched without
diacritics like the declared search; a change shows in the history with the field's label;
the XLSX export holds the visible ones. A field hidden from a role is none of these for it,
and each test below tries to read the hidden value through one of them.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from modules.engine import registry, services
from modules.engine.custom_models import ChoiceOption, CustomField

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"
LIST = "/admin/sample/sampleproject/"
SECRET = "Mật danh Phượng Hoàng"


def add_field(code: str, type: str = "text", **options: Any) -> CustomField:
    field = CustomField(
        entity=PROJECT, code=code, label_vi=f"Nhãn {code}", label_en=f"Label {code}", type=type
    )
    for name, value in options.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


def create(user: Any, title: str, **custom: Any) -> Any:
    data = {"title": title, "priority": "normal", "budget": 1000, "custom": custom}
    return services.create_record(registry.entity_by_label(PROJECT), user, data)


@pytest.fixture
def fields(org):
    """Six visible fields in lists and filters, and one only unit heads may see."""
    nguon = add_field("nguon_von", "choice", in_list=True, in_filter=True, in_search=True)
    ChoiceOption.objects.create(field=nguon, code="tinh", label_vi="Vốn tỉnh", label_en="Province", order=1)
    ChoiceOption.objects.create(
        field=nguon, code="tw", label_vi="Vốn trung ương", label_en="Central", order=2
    )
    add_field("ngay_ky", "date", in_list=True, in_filter=True)
    add_field("kinh_phi", "money", in_list=True, in_filter=True)
    add_field("da_duyet", "boolean", in_list=True, in_filter=True)
    add_field("lien_quan", "link", target=PROJECT, in_list=True)
    add_field("nguoi_nop", "text", in_list=True, in_search=True)
    add_field(
        "mat",
        "text",
        roles_see=["unit_head"],
        roles_change=["unit_head"],
        in_list=True,
        in_filter=True,
        in_search=True,
    )
    return org


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(response: Any) -> set[str]:
    assert response.status_code == 200, response.status_code
    return {row.title for row in response.context["cl"].result_list}


def projects(org: Any) -> tuple[Any, Any]:
    base = create(org.officer_a, "Dự án gốc")
    other = create(
        org.head_a,
        "Dự án có trường bổ sung",
        nguon_von="tw",
        ngay_ky="2026-03-05",
        kinh_phi=1500000,
        da_duyet=True,
        lien_quan=base.pk,
        nguoi_nop="Nguyễn Văn Minh",
        mat=SECRET,
    )
    return base, other


def test_list_columns_show_values_as_people_read_them(fields):
    base, other = projects(fields)
    page = client_of(fields.officer_a).get(LIST)
    html = page.content.decode()
    for label in ("Nhãn nguon_von", "Nhãn ngay_ky", "Nhãn kinh_phi", "Nhãn da_duyet", "Nhãn lien_quan"):
        assert label in html, label
    row = next(r for r in page.context["cl"].result_list if r.pk == other.pk)
    admin = page.context["cl"].model_admin
    shown = {
        getattr(c, "short_description", ""): c(row)
        for c in admin.get_list_display(page.wsgi_request)
        if callable(c)
    }
    assert shown["Nhãn nguon_von"] == "Vốn trung ương"  # the label, not "tw"
    assert shown["Nhãn ngay_ky"] == "05/03/2026"
    assert shown["Nhãn kinh_phi"] == "1.500.000"
    assert shown["Nhãn da_duyet"] == "Có"
    assert shown["Nhãn lien_quan"] == str(base) and "Dự án gốc" in str(base)  # its name, not its id
    assert "Nhãn mat" not in shown and SECRET not in html  # hidden from an officer
    head = client_of(fields.head_a).get(LIST).content.decode()
    assert "Nhãn mat" in head and SECRET in head


def test_the_list_reads_no_query_per_row(fields):
    base = create(fields.officer_a, "Gốc")

    def count() -> int:
        client = client_of(fields.officer_a)
        client.get(LIST)  # warm caches (definitions, permissions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    for n in range(3):
        create(fields.officer_a, f"Dự án {n}", nguon_von="tinh", lien_quan=base.pk, ngay_ky="2026-01-02")
    few = count()
    for n in range(3, 12):
        create(fields.officer_a, f"Dự án {n}", nguon_von="tw", lien_quan=base.pk, kinh_phi=n)
    assert count() == few


def test_filters_of_each_type(fields):
    projects(fields)
    create(
        fields.officer_a,
        "Vốn tỉnh chưa duyệt",
        nguon_von="tinh",
        da_duyet=False,
        kinh_phi=20,
        ngay_ky="2025-12-31",
    )
    client = client_of(fields.officer_a)
    page = client.get(LIST)
    specs = {str(s.title) for s in page.context["cl"].filter_specs}
    assert {"Nhãn nguon_von", "Nhãn ngay_ky", "Nhãn kinh_phi", "Nhãn da_duyet"} <= specs
    assert "Nhãn mat" not in specs
    assert titles(client.get(LIST, {"cf_nguon_von": "tw"})) == {"Dự án có trường bổ sung"}
    assert titles(client.get(LIST, {"cf_da_duyet": "0"})) == {"Vốn tỉnh chưa duyệt"}
    assert titles(client.get(LIST, {"cf_da_duyet": "1"})) == {"Dự án có trường bổ sung"}
    assert titles(client.get(LIST, {"cf_ngay_ky_from": "2026-01-01"})) == {"Dự án có trường bổ sung"}
    assert titles(client.get(LIST, {"cf_ngay_ky_to": "31/12/2025"})) == {"Vốn tỉnh chưa duyệt"}
    assert titles(client.get(LIST, {"cf_kinh_phi_from": "100", "cf_kinh_phi_to": "2000000"})) == {
        "Dự án có trường bổ sung"
    }
    assert titles(client.get(LIST, {"cf_kinh_phi_to": "9"})) == set()  # 20 is more than 9, as a number
    # a value that is no option is a bad filter, not a 500
    assert client.get(LIST, {"cf_nguon_von": "khac"}).status_code in (302, 400)


def test_a_hidden_field_cannot_be_read_through_filters(fields):
    projects(fields)
    create(fields.head_a, "Dự án khác", mat="Khác")
    officer = client_of(fields.officer_a)
    # the attack: guess the hidden value through Django's own URL lookups, or our filter's name
    for params in (
        {"custom__mat": SECRET},
        {"custom__mat__startswith": "Mật"},
        {"custom__has_key": "mat"},
        {"custom__contains": '{"mat": "x"}'},
        {"cf_mat": SECRET},
    ):
        response = officer.get(LIST, params)
        assert response.status_code in (302, 400), (params, response.status_code)
        if response.status_code == 302:
            assert "e=1" in response["Location"]  # Django's "bad filter", not a narrowed list
    # the head of unit, who may see it, still cannot use raw lookups: only the declared filters
    assert client_of(fields.head_a).get(LIST, {"custom__mat": SECRET}).status_code == 400
    assert titles(client_of(fields.head_a).get(LIST, {"q": "phuong hoang"})) == {"Dự án có trường bổ sung"}


def test_search_ignores_diacritics_and_hidden_fields_are_no_target(fields):
    projects(fields)
    create(fields.officer_a, "Dự án thường", nguoi_nop="nguyen thi lan")
    officer = client_of(fields.officer_a)
    assert titles(officer.get(LIST, {"q": "nguyen van minh"})) == {"Dự án có trường bổ sung"}
    assert titles(officer.get(LIST, {"q": "NGUYỄN"})) == {"Dự án có trường bổ sung", "Dự án thường"}
    assert titles(officer.get(LIST, {"q": "Nguyễn Thị Lan"})) == {"Dự án thường"}
    # words may match the declared search text and a custom field together
    assert titles(officer.get(LIST, {"q": "du an minh"})) == {"Dự án có trường bổ sung"}
    # a choice is searched by its option's label
    assert titles(officer.get(LIST, {"q": "von trung uong"})) == {"Dự án có trường bổ sung"}
    # the attack: search for the hidden value
    assert titles(officer.get(LIST, {"q": "phuong hoang"})) == set()
    assert titles(officer.get(LIST, {"q": SECRET})) == set()
    assert titles(client_of(fields.head_a).get(LIST, {"q": "phượng hoàng"})) == {"Dự án có trường bổ sung"}


def test_history_shows_custom_changes_with_labels_and_hides_hidden_ones(fields):
    _, other = projects(fields)
    entity = registry.entity_by_label(PROJECT)
    services.update_record(
        entity,
        fields.head_a,
        other.pk,
        {"custom": {"nguon_von": "tinh", "kinh_phi": 2000000, "mat": "Bí danh mới"}},
        1,
    )
    history = f"{LIST}{other.pk}/history/"
    officer = client_of(fields.officer_a).get(history)
    assert officer.status_code == 200
    html = officer.content.decode()
    changes = [
        c
        for r in officer.context["page_obj"].object_list
        for c in (getattr(r, "history_delta_changes", None) or [])
    ]
    shown = {str(c["field"]): (str(c["old"]), str(c["new"])) for c in changes}
    assert shown["Nhãn nguon_von"] == ("Vốn trung ương", "Vốn tỉnh")
    assert shown["Nhãn kinh_phi"] == ("1.500.000", "2.000.000")
    assert "Nhãn mat" not in shown and "Bí danh mới" not in html and SECRET not in html
    head = client_of(fields.head_a).get(history)
    changes = [
        c
        for r in head.context["page_obj"].object_list
        for c in (getattr(r, "history_delta_changes", None) or [])
    ]
    assert {str(c["field"]): (str(c["old"]), str(c["new"])) for c in changes}["Nhãn mat"] == (
        SECRET,
        "Bí danh mới",
    )
    # the old version's page (simple-history's form view) leaves the hidden field out too
    first = other.history.order_by("history_id").first()
    old = client_of(fields.officer_a).get(f"{LIST}{other.pk}/history/{first.history_id}/")
    assert old.status_code == 200 and SECRET not in old.content.decode()
    assert "custom.mat" not in old.context["adminform"].form.fields


def export(user: Any) -> list[list[Any]]:
    response = client_of(user).post(f"{LIST}export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200, response.content[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_export_holds_visible_custom_fields_as_people_read_them(fields):
    base, other = projects(fields)
    table = export(fields.officer_a)
    header = table[0]
    row = dict(
        zip(header, next(r for r in table[1:] if r[header.index("Tên dự án")] == other.title), strict=True)
    )
    assert row["Nhãn nguon_von"] == "Vốn trung ương"
    assert row["Nhãn ngay_ky"] == "05/03/2026"
    assert row["Nhãn kinh_phi"] == 1500000  # a number stays a number in a spreadsheet
    assert row["Nhãn da_duyet"] == "Có"
    assert row["Nhãn lien_quan"] == str(base)
    assert row["Nhãn nguoi_nop"] == "Nguyễn Văn Minh"
    # the attack: the officer's export must not carry the hidden field, by label or by value
    assert "Nhãn mat" not in header
    assert SECRET not in str(table)
    head = export(fields.head_a)
    assert "Nhãn mat" in head[0] and SECRET in str(head)


# --- date-time, text and link filters --------------------------------------------------


def spec(response: Any, parameter: str) -> Any:
    assert response.status_code == 200, response.status_code
    return next(
        s for s in response.context["cl"].filter_specs if getattr(s, "parameter_name", "") == parameter
    )


@pytest.fixture
def more_fields(org):
    add_field("luc_nhan", "datetime", in_filter=True)
    add_field("ghi_chu", "text", in_filter=True)
    add_field("du_an_goc", "link", target=PROJECT, in_filter=True, in_list=True)
    add_field("nguoi_duyet", "person", in_filter=True)
    return org


def test_a_date_time_filter_takes_whole_days_in_vietnam_time(more_fields):
    org = more_fields
    create(org.officer_a, "Sáng 05/03", luc_nhan="2026-03-05T06:30:00+07:00")
    create(org.officer_a, "Đêm 05/03", luc_nhan="2026-03-05T16:59:00+00:00")  # 23:59 on the 5th in Hà Nội
    create(org.officer_a, "Sáng 06/03", luc_nhan="2026-03-05T17:00:00+00:00")  # 00:00 on the 6th in Hà Nội
    create(org.officer_a, "Không ghi giờ")
    client = client_of(org.officer_a)
    day = {"cf_luc_nhan_from": "2026-03-05", "cf_luc_nhan_to": "05/03/2026"}
    assert titles(client.get(LIST, day)) == {"Sáng 05/03", "Đêm 05/03"}
    assert titles(client.get(LIST, {"cf_luc_nhan_from": "06/03/2026"})) == {"Sáng 06/03"}
    assert titles(client.get(LIST, {"cf_luc_nhan_to": "2026-03-04"})) == set()
    assert str(spec(client.get(LIST), "cf_luc_nhan").title) == "Nhãn luc_nhan"
    # a date that is no date is a bad filter, not a 500
    assert client.get(LIST, {"cf_luc_nhan_from": "32/13/2026"}).status_code in (302, 400)


def test_a_text_filter_finds_what_contains_the_words_without_diacritics(more_fields):
    org = more_fields
    create(org.officer_a, "Có người nộp", ghi_chu="Nguyễn Văn Minh nộp tại Sở")
    create(org.officer_a, "Người khác", ghi_chu="Trần Thị Đào")
    create(org.officer_a, "Không ghi chú")
    client = client_of(org.officer_a)
    assert titles(client.get(LIST, {"cf_ghi_chu": "nguyen van"})) == {"Có người nộp"}
    assert titles(client.get(LIST, {"cf_ghi_chu": "MINH NỘP"})) == {"Có người nộp"}
    assert titles(client.get(LIST, {"cf_ghi_chu": "dao"})) == {"Người khác"}  # đ is d
    assert titles(client.get(LIST, {"cf_ghi_chu": "minh dao"})) == set()  # the words as typed, together
    assert titles(client.get(LIST, {"cf_ghi_chu": "  "})) == {"Có người nộp", "Người khác", "Không ghi chú"}


def test_a_link_filter_offers_and_accepts_only_records_in_scope(more_fields):
    """The attack: a provincial officer picks, or types into the URL, another province's
    record, to learn which of their rows point at it (or that it exists at all)."""
    org = more_fields
    model = registry.model_for(PROJECT)
    mine = create(org.officer_a, "Dự án gốc tỉnh A")
    secret = create(org.officer_b, "Bí mật tỉnh B")
    points_home = create(org.officer_a, "Trỏ về A", du_an_goc=mine.pk)
    points_away = create(org.officer_a, "Trỏ sang B")
    model.objects.filter(pk=points_away.pk).update(
        custom={"du_an_goc": secret.pk}
    )  # as a ministry import might
    officer = client_of(org.officer_a)
    offered = dict(spec(officer.get(LIST), "cf_du_an_goc").lookup_choices)
    assert offered == {str(mine.pk): str(mine)}  # B's record is not offered
    assert titles(officer.get(LIST, {"cf_du_an_goc": str(mine.pk)})) == {points_home.title}
    probe = officer.get(LIST, {"cf_du_an_goc": str(secret.pk)})
    missing = officer.get(LIST, {"cf_du_an_goc": "999999"})
    # refused as a bad filter, exactly like a record that does not exist: nothing to tell apart
    assert probe.status_code == missing.status_code and probe.status_code in (302, 400)
    if probe.status_code == 302:
        assert "e=1" in probe["Location"] and probe["Location"] == missing["Location"]
    for bad in ("abc", "9" * 30):  # not an id, or past any integer column: a bad filter, not a 500
        assert officer.get(LIST, {"cf_du_an_goc": bad}).status_code in (302, 400)
    # the leader sees every unit: B's record is offered and filters
    leader = client_of(org.leader)
    assert str(secret.pk) in dict(spec(leader.get(LIST), "cf_du_an_goc").lookup_choices)
    assert titles(leader.get(LIST, {"cf_du_an_goc": str(secret.pk)})) == {points_away.title}


def test_a_person_filter_is_scoped_like_the_people_list(more_fields):
    org = more_fields
    people = registry.model_for("org.Person").objects
    person_a, person_b = people.get(user=org.officer_a), people.get(user=org.officer_b)
    create(org.officer_a, "Do A duyệt", nguoi_duyet=person_a.pk)
    officer = client_of(org.officer_a)
    assert titles(officer.get(LIST, {"cf_nguoi_duyet": str(person_a.pk)})) == {"Do A duyệt"}
    assert str(person_b.pk) not in dict(spec(officer.get(LIST), "cf_nguoi_duyet").lookup_choices)
    # a person of another province, whom the officer cannot see, cannot be probed either
    assert officer.get(LIST, {"cf_nguoi_duyet": str(person_b.pk)}).status_code in (302, 400)


def test_a_link_column_never_names_a_record_the_reader_may_not_see(more_fields):
    """The attack: a row the officer may see points at another province's record (a
    ministry administrator linked it); its name must not show in the list, the export or history."""
    org = more_fields
    secret = create(org.officer_b, "Bí mật tỉnh B")
    visible = create(org.officer_a, "Trỏ sang B")
    # a platform administrator links it through the write path (so history has it)
    services.update_record(
        registry.entity_by_label(PROJECT),
        org.admin,
        visible.pk,
        {"custom": {"du_an_goc": secret.pk}},
        visible.version,
    )
    officer = client_of(org.officer_a)
    page = officer.get(LIST)
    assert page.status_code == 200 and visible.title in page.content.decode()
    assert secret.title not in page.content.decode()
    assert "không được xem" in page.content.decode()
    assert secret.title not in str(export(org.officer_a))
    history = officer.get(f"{LIST}{visible.pk}/history/")
    assert history.status_code == 200 and secret.title not in history.content.decode()
    # the leader sees every unit, and so sees the name
    assert secret.title in client_of(org.leader).get(LIST).content.decode()
    assert secret.title in str(export(org.leader))
