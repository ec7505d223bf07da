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


ORDERED = """query($o: [SampleProjectOrder!]!) { sampleProjects(ordering: $o) {
    results { title custom { soNguyen ngay luc } } } }"""


def test_a_custom_ordering_stays_on_the_fast_path_byte_for_byte(org):
    """Ordering by a custom field is answered by the fast path, with the stock bytes: numbers
    as numbers (9 before 10), empty values last unless asked first, date-times by instant."""
    every_type(org)
    entity = registry.entity_by_label(PROJECT)
    for title, number, moment in (
        ("Mười", 10, "2026-12-01T08:00:00+07:00"),  # 01:00 UTC
        ("Chín", 9, "2026-12-01T02:00:00+00:00"),  # 02:00 UTC: later, though "08" > "02" as text
        ("Ba", 3, None),
    ):
        custom = {"so_nguyen": number} | ({"luc": moment} if moment else {})
        services.create_record(
            entity, org.officer_a, {"title": title, "priority": "normal", "budget": 1, "custom": custom}
        )
    cases = {
        "ASC": ["Ba", "Chín", "Mười", "Đủ loại", "Trống"],  # 3, 9, 10, 42, then the empty one
        "DESC": ["Đủ loại", "Mười", "Chín", "Ba", "Trống"],
        "ASC_NULLS_FIRST": ["Trống", "Ba", "Chín", "Mười", "Đủ loại"],
    }
    for direction, expected in cases.items():
        data = fast(org.officer_a, ORDERED, {"o": [{"custom": {"soNguyen": direction}}]})
        assert [r["title"] for r in data["sampleProjects"]["results"]] == expected, direction
    # by instant: 01:00 UTC ("Mười"), 01:30 UTC ("Đủ loại", 08:30+07:00), 02:00 UTC ("Chín")
    data = fast(org.officer_a, ORDERED, {"o": [{"custom": {"luc": "ASC"}}, {"title": "ASC"}]})
    assert [r["title"] for r in data["sampleProjects"]["results"]][:3] == ["Mười", "Đủ loại", "Chín"]
    # with a filter, a count and a page, as literals
    literal = """{ sampleProjects(ordering: [{custom: {soNguyen: DESC}}], pagination: {limit: 2},
        filters: {title: {inList: ["Ba", "Chín", "Mười"]}}) { totalCount results { title } } }"""
    page = fast(org.officer_a, literal)["sampleProjects"]
    assert page["totalCount"] == 3 and [r["title"] for r in page["results"]] == ["Mười", "Chín"]


def test_ordering_by_a_hidden_field_is_refused_on_either_path(org):
    """The attack: order by a field hidden from the role, to learn its values from the order."""
    every_type(org)
    query = "{ sampleProjects(ordering: [{custom: {mat: ASC}}]) { results { title } } }"
    body, outcome = both(org.officer_a, query)
    assert outcome == "fallback"  # the stock path gives its error, byte for byte
    assert "Đủ loại" not in str(body)
    assert body["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED", "field": "custom.mat"}
    assert fast(org.head_a, query)["sampleProjects"]["results"]  # who may see it may order by it


def test_values_stored_by_other_means_answer_as_on_the_stock_path(org):
    """Values written around the write path (an SQL update, an old import) in shapes the write
    path would not store: each path gives the same bytes for them."""
    every_type(org)
    entity = registry.entity_by_label(PROJECT)
    model = registry.model_for(PROJECT)
    odd = services.create_record(entity, org.officer_a, {"title": "Lạ", "priority": "normal", "budget": 1})
    model.objects.filter(pk=odd.pk).update(
        custom={
            "van_ban": 12,  # a number in a text field
            "so_nguyen": "7",  # a number as text
            "so_thuc": 2.5,
            "kinh_phi": "1500000.50",
            "ngay": "20261201",  # ISO's basic form
            "luc": "không phải ngày",
            "co_khong": 1,
            "nguon_von": "",
            "lien_quan": str(odd.pk),
        }
    )
    query = """{ sampleProjects(filters: {title: {exact: "Lạ"}}) { results { title custom {
        vanBan soNguyen soThuc kinhPhi ngay luc coKhong nguonVon lienQuan } } } }"""
    row = fast(org.officer_a, query)["sampleProjects"]["results"][0]["custom"]
    assert row["vanBan"] == "12" and row["soNguyen"] == 7 and row["coKhong"] is True
    assert row["nguonVon"] is None and row["luc"] is None and row["lienQuan"] == str(odd.pk)
    # past GraphQL's 32-bit Int: the stock path's error, byte for byte, from either path
    model.objects.filter(pk=odd.pk).update(custom={"so_nguyen": 2**40})
    body, outcome = both(org.officer_a, query)
    assert outcome == "fallback" and body["errors"], body


# Decimals as text in the shapes `str(Decimal(text))` keeps or changes (an exponent form, a
# leading zero, more than six places), and dates valid, impossible and in ISO's basic form.
STORED_SHAPES = [
    ("12.50", "2026-12-01"),
    ("-0", "2026-02-30"),
    ("0.0000001", "20261201"),
    ("007", "2026-13-01"),
    ("1E+3", ""),
    ("123456789012345678901234567890.123456", "2024-02-29"),
    ("0.1234567", "2026-12-1"),
    ("không phải số", 20261201),  # a number where a date belongs
]


@pytest.mark.parametrize(("decimal_text", "date_value"), STORED_SHAPES)
def test_decimal_and_date_shapes_answer_as_on_the_stock_path(org, decimal_text, date_value):
    """The fast path answers a plain decimal's text and a date's text directly; every other
    shape goes the stock way, so both paths give the same bytes for all of them."""
    add_field("so_thuc", "decimal")
    add_field("ngay", "date")
    entity = registry.entity_by_label(PROJECT)
    row = services.create_record(entity, org.officer_a, {"title": "Dạng", "priority": "normal", "budget": 1})
    registry.model_for(PROJECT).objects.filter(pk=row.pk).update(
        custom={"so_thuc": decimal_text, "ngay": date_value}
    )
    body, outcome = both(org.officer_a, "{ sampleProjects { results { custom { soThuc ngay } } } }")
    assert outcome == "fast" and "errors" not in body, body  # an unreadable value reads as none
    answer = body["data"]["sampleProjects"]["results"][0]["custom"]
    assert answer["ngay"] in (None, "2026-12-01", "2024-02-29"), answer


# Stored shapes the column's JSON decoder (orjson, schema/fastpath_custom.decode) would read
# otherwise than the standard library: an integer over 64 bits (orjson: a float), a float, a
# list, an object; each must give the stock path's bytes.
ODD_JSON = [
    {"kinh_phi": 2**70, "so_nguyen": 5},
    {"kinh_phi": 1.5, "so_thuc": 0.1},
    {"kinh_phi": [1, 2], "van_ban": {"a": 1}},
    {"so_nguyen": -(2**63) - 1},
]


@pytest.mark.parametrize("stored", ODD_JSON)
def test_json_the_fast_decoder_reads_otherwise_answers_as_on_the_stock_path(org, stored):
    add_field("kinh_phi", "money")
    add_field("so_nguyen", "integer")
    add_field("so_thuc", "decimal")
    add_field("van_ban", "text")
    entity = registry.entity_by_label(PROJECT)
    row = services.create_record(entity, org.officer_a, {"title": "Lớn", "priority": "normal", "budget": 1})
    registry.model_for(PROJECT).objects.filter(pk=row.pk).update(custom=stored)
    body, outcome = both(org.officer_a, "{ sampleProjects { results { custom { kinhPhi soNguyen soThuc vanBan } } } }")
    assert outcome in ("fast", "fallback"), outcome  # `both` has compared the bytes of the two paths
    assert "e+" not in str(body), body  # no integer read as a float on either path
