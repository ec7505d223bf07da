"""Issue 15: custom fields selected in a list query go through the fast path, with the same
bytes as stock execution, the same number of SQL queries as a list without them, and a
hidden field still refused (the fast path steps aside so the stock error is given)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.engine import registry, services
from modules.engine.custom_models import ChoiceOption, CustomField
from schema import fastpath
from tests.test_fastpath import both, client_for, fast, post

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"


def add_field(code: str, type_: str, **options) -> CustomField:
    field = CustomField(entity=PROJECT, code=code, label_vi=code, label_en=code, type=type_, **options)
    field.full_clean()
    field.save()
    return field


def every_type(org) -> None:
    add_field("van_ban", "text", in_filter=True)
    add_field("so_nguyen", "integer")
    add_field("so_thuc", "decimal")
    add_field("kinh_phi", "money")
    add_field("ngay", "date")
    add_field("luc", "datetime")
    add_field("co_khong", "boolean")
    choice = add_field("nguon_von", "choice")
    ChoiceOption.objects.create(field=choice, code="tinh", label_vi="Vốn tỉnh", label_en="Province")
    add_field("lien_quan", "link", target=PROJECT)
    add_field("mat", "text", roles_see=["unit_head"], roles_change=["unit_head"])
    entity = registry.entity_by_label(PROJECT)
    first = services.create_record(entity, org.head_a, {"title": "Trống", "priority": "normal", "budget": 1})
    services.create_record(
        entity,
        org.head_a,
        {
            "title": "Đủ loại",
            "priority": "normal",
            "budget": 2,
            "custom": {
                "van_ban": "Nguồn vốn đối ứng",
                "so_nguyen": 42,
                "so_thuc": "12.50",
                "kinh_phi": 2500000000,
                "ngay": "2026-12-01",
                "luc": "2026-12-01T08:30:00+07:00",
                "co_khong": False,
                "nguon_von": "tinh",
                "lien_quan": first.pk,
                "mat": "bí mật",
            },
        },
    )


SELECTED = """{ sampleProjects(ordering: {title: ASC}) { results { title custom { __typename vanBan
    soThuc kinhPhi ngay luc coKhong nguonVon lienQuan alias: soNguyen } } } }"""


def test_custom_fields_of_every_type_take_the_fast_path_byte_for_byte(org):
    every_type(org)
    data = fast(org.officer_a, SELECTED)
    rows = data["sampleProjects"]["results"]
    assert rows[0]["custom"] == {  # "Trống": a record made before any value, all null
        "__typename": "SampleProjectCustom",
        "vanBan": None,
        "soThuc": None,
        "kinhPhi": None,
        "ngay": None,
        "luc": None,
        "coKhong": None,
        "nguonVon": None,
        "lienQuan": None,
        "alias": None,
    }
    assert rows[1]["custom"]["kinhPhi"] == "2500000000" and rows[1]["custom"]["coKhong"] is False
    assert rows[1]["custom"]["alias"] == 42 and rows[1]["custom"]["ngay"] == "2026-12-01"


def test_a_custom_filter_takes_the_fast_path_too(org):
    every_type(org)
    query = """query($v: String) { sampleProjects(filters: {custom: {vanBan: {exact: $v}}}) {
        results { title custom { vanBan } } } }"""
    data = fast(org.officer_a, query, {"v": "Nguồn vốn đối ứng"})
    assert data["sampleProjects"]["results"] == [{"title": "Đủ loại", "custom": {"vanBan": "Nguồn vốn đối ứng"}}]


def test_a_hidden_field_is_refused_on_either_path(org):
    every_type(org)
    query = "{ sampleProjects { results { title custom { mat } } } }"
    body, outcome = both(org.officer_a, query)  # the attack: an officer asks for the head's field
    assert outcome == "fallback"
    assert "bí mật" not in str(body)
    assert body["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED", "field": "custom.mat"}
    seen = fast(org.head_a, query)  # who may see it gets it from the fast path
    assert "bí mật" in str(seen)


def test_custom_fields_and_a_custom_filter_add_no_sql_query(org):
    """The bench's case (bench/graphql_list.py): five custom fields and a filter on one of
    them cost the same queries as the plain list."""
    every_type(org)
    plain = "{ sampleProjects(filters: {title: {exact: \"Đủ loại\"}}) { results { title budget } } }"
    custom = """{ sampleProjects(filters: {title: {exact: "Đủ loại"}, custom: {vanBan: {exact: "Nguồn vốn đối ứng"}}})
        { results { title budget custom { vanBan soNguyen soThuc kinhPhi ngay } } } }"""
    client = client_for(org.officer_a)
    counts = []
    for query in (plain, custom):
        post(client, query)  # warm: session, plan and schema caches
        before = fastpath.STATS["fast"]
        with CaptureQueriesContext(connection) as captured:
            answer = post(client, query).json()
        assert fastpath.STATS["fast"] == before + 1 and len(answer["data"]["sampleProjects"]["results"]) == 1
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
