"""Issue 15: custom fields in GraphQL filters and ordering, by type, and their indexes.

Expected answers come from the types' own order (9 < 10, 9.5 < 10.25, a date-time at
08:00+07:00 is before 02:00+00:00), which a comparison of the stored JSON text gets wrong;
each test would fail on a text comparison, a missing index, or a hidden field that filters.
"""

from __future__ import annotations

import pytest
from django.db import connection

from modules.engine import custom_query, registry, services
from modules.engine.custom_models import ChoiceOption, CustomField
from tests.graphql import run

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"
QUERY = """query($f: SampleProjectFilter, $o: [SampleProjectOrder!]) {
  sampleProjects(filters: $f, ordering: $o) { results { title } } }"""


def add_field(code: str, type_: str, **options) -> CustomField:
    field = CustomField(
        entity=PROJECT,
        code=code,
        label_vi=f"Trường {code}",
        label_en=f"Field {code}",
        type=type_,
        in_filter=True,
    )
    for name, value in options.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


def create(org, title: str, user=None, **custom):
    entity = registry.entity_by_label(PROJECT)
    data = {"title": title, "priority": "normal", "budget": 1000, "custom": custom}
    return services.create_record(entity, user or org.officer_a, data)


def titles(org, filters=None, ordering=None, user=None) -> list[str]:
    answer = run(QUERY, {"f": filters, "o": ordering or []}, user=user or org.officer_a)
    assert "errors" not in answer, answer
    return [row["title"] for row in answer["data"]["sampleProjects"]["results"]]


def found(org, code: str, lookup: dict) -> set[str]:
    return set(titles(org, {"custom": {code: lookup}}))


# (type, GraphQL name, values of rows A, B, C in their true order, lookups -> expected rows)
CASES = [
    (
        "integer",
        "soLuong",
        [9, 10, 100],
        [
            ({"exact": 10}, {"B"}),
            ({"gt": 9}, {"B", "C"}),
            ({"gte": 10}, {"B", "C"}),
            ({"lt": 10}, {"A"}),
            ({"lte": 10}, {"A", "B"}),
            ({"range": {"start": 9, "end": 10}}, {"A", "B"}),
            ({"inList": [9, 100]}, {"A", "C"}),
            ({"isNull": True}, {"N"}),
        ],
    ),
    (
        "money",
        "kinhPhi",
        [900000, 2500000000, 10000000000],
        [
            ({"exact": "2500000000"}, {"B"}),
            ({"gt": "900000"}, {"B", "C"}),
            ({"lte": "2500000000"}, {"A", "B"}),
            ({"range": {"start": "1000000", "end": "10000000000"}}, {"B", "C"}),
            ({"isNull": False}, {"A", "B", "C"}),
        ],
    ),
    (
        "decimal",
        "tyLe",
        ["9.5", "10.25", "100"],
        [
            ({"exact": "10.25"}, {"B"}),
            ({"gt": "9.5"}, {"B", "C"}),
            ({"lt": "10.3"}, {"A", "B"}),
            ({"range": {"start": "9.6", "end": "100"}}, {"B", "C"}),
        ],
    ),
    (
        "date",
        "hanNop",
        ["2026-02-09", "2026-10-01", "2027-01-01"],
        [
            ({"exact": "2026-10-01"}, {"B"}),
            ({"gte": "2026-10-01"}, {"B", "C"}),
            ({"lt": "2026-10-01"}, {"A"}),
            ({"range": {"start": "2026-02-10", "end": "2026-12-31"}}, {"B"}),
            ({"year": {"exact": 2026}}, {"A", "B"}),
        ],
    ),
    (
        "datetime",
        "hopLuc",
        # 01:00Z, 02:00Z, 03:00Z: as text, "08:00+07:00" would sort after the other two
        ["2026-12-01T08:00:00+07:00", "2026-12-01T02:00:00+00:00", "2026-12-01T10:00:00+07:00"],
        [
            ({"exact": "2026-12-01T01:00:00+00:00"}, {"A"}),
            ({"gt": "2026-12-01T08:30:00+07:00"}, {"B", "C"}),
            ({"lt": "2026-12-01T02:00:00+00:00"}, {"A"}),
            ({"lte": "2026-12-01T09:00:00+07:00"}, {"A", "B"}),
        ],
    ),
    (
        "text",
        "soCccd",
        ["An Dương", "Bình minh", "Chiều tà"],
        [
            ({"exact": "Bình minh"}, {"B"}),
            ({"iContains": "MINH"}, {"B"}),
            ({"startsWith": "Chi"}, {"C"}),
            ({"inList": ["An Dương", "Chiều tà"]}, {"A", "C"}),
            ({"isNull": True}, {"N"}),
        ],
    ),
    (
        "boolean",
        "daDuyet",
        [False, True, True],
        [({"exact": True}, {"B", "C"}), ({"exact": False}, {"A"}), ({"isNull": True}, {"N"})],
    ),
]


@pytest.mark.parametrize(("type_", "name", "values", "lookups"), CASES, ids=[c[0] for c in CASES])
def test_each_type_filters_and_orders_by_its_type(org, type_, name, values, lookups):
    code = "".join("_" + c.lower() if c.isupper() else c for c in name)
    add_field(code, type_)
    # created out of order, so the id order is not the value order
    for title, value in (("C", values[2]), ("A", values[0]), ("N", None), ("B", values[1])):
        create(org, title, **({code: value} if value is not None else {}))
    for lookup, expected in lookups:
        assert found(org, name, lookup) == expected, lookup
    asc = titles(org, ordering=[{"custom": {name: "ASC"}}])
    desc = titles(org, ordering=[{"custom": {name: "DESC"}}])
    if type_ == "boolean":  # False < True, ties by id (C was made before B)
        assert asc == ["A", "C", "B", "N"] and desc == ["C", "B", "A", "N"]
    else:
        assert asc == ["A", "B", "C", "N"]  # empty last
        assert desc == ["C", "B", "A", "N"]  # empty last here too
    assert titles(org, ordering=[{"custom": {name: "ASC_NULLS_FIRST"}}])[0] == "N"


def test_choice_and_link_lookups(org):
    field = add_field("nguon_von", "choice")
    for code in ("tinh", "tw", "xa"):
        ChoiceOption.objects.create(field=field, code=code, label_vi=code, label_en=code)
    add_field("lien_quan", "link", target=PROJECT)
    a = create(org, "A", nguon_von="tinh")
    b = create(org, "B", nguon_von="tw", lien_quan=a.pk)
    create(org, "C", nguon_von="xa", lien_quan=b.pk)
    assert found(org, "nguonVon", {"exact": "tw"}) == {"B"}
    assert found(org, "nguonVon", {"inList": ["tinh", "xa"]}) == {"A", "C"}
    assert found(org, "lienQuan", {"exact": str(a.pk)}) == {"B"}
    assert found(org, "lienQuan", {"inList": [str(a.pk), str(b.pk)]}) == {"B", "C"}
    assert found(org, "lienQuan", {"isNull": True}) == {"A"}
    assert titles(org, ordering=[{"custom": {"nguonVon": "DESC"}}]) == ["C", "B", "A"]
    # a malformed id is a typed error, not a 500
    bad = run(QUERY, {"f": {"custom": {"lienQuan": {"exact": "abc"}}}}, user=org.officer_a)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID", bad
    assert bad["errors"][0]["extensions"]["field"] == "custom.lien_quan"


def test_filter_input_has_the_lookups_of_the_declared_fields_of_the_same_type(org):
    from schema.runtime import current_schema

    add_field("so_luong", "integer")
    add_field("ten", "text")
    add_field("ngay", "date")
    sdl = str(current_schema())
    assert "soLuong: IntComparisonFilterLookup" in sdl
    assert "ten: StrFilterLookup" in sdl
    assert "ngay: DateFilterLookup" in sdl
    assert "budget: DecimalComparisonFilterLookup" in sdl  # the declared money field: same family


def test_hidden_field_cannot_filter_or_order(org):
    """A caller who may not see a field cannot probe its values through filters or ordering."""
    add_field("diem_mat", "integer", roles_see=["unit_head"], roles_change=["unit_head"])
    create(org, "Cao", org.head_a, diem_mat=90)
    create(org, "Thấp", org.head_a, diem_mat=10)
    assert titles(org, {"custom": {"diemMat": {"gt": 50}}}, user=org.head_a) == ["Cao"]
    for variables in (
        {"f": {"custom": {"diemMat": {"gt": 50}}}},
        {"f": {"custom": {"diemMat": {"isNull": True}}}},
        {"o": [{"custom": {"diemMat": "DESC"}}]},
    ):
        answer = run(QUERY, variables, user=org.officer_a)
        assert answer.get("data", {}) in (None, {}) or answer["data"]["sampleProjects"] is None, answer
        assert answer["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED", "field": "custom.diem_mat"}


# --- indexes ------------------------------------------------------------------------


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the choice
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("type_", ["integer", "decimal", "date", "datetime", "text"])
def test_a_field_in_filters_gets_an_expression_index_the_filter_uses(org, type_):
    field = add_field("chi_so", type_)
    model = registry.model_for(PROJECT)
    name = custom_query.index_name(PROJECT, "chi_so", type_)
    with connection.cursor() as cursor:
        assert name in connection.introspection.get_constraints(cursor, model._meta.db_table)
    value = {"integer": 5, "decimal": "5.5", "date": "2026-01-01", "datetime": "2026-01-01T00:00:00+07:00"}
    lookup = {"text": "exact"}.get(type_, "gt")
    typed = custom_query.typed("chi_so", type_)
    # no ORDER BY: on SQLite a reverse scan of the id order would compete with the index
    queryset = model.objects.alias(v=typed).filter(**{f"v__{lookup}": value.get(type_, "x")}).order_by()
    assert name in _plan(queryset), _plan(queryset)
    ordered = model.objects.order_by(typed.asc())
    if connection.vendor == "postgresql":
        assert name in _plan(ordered)
    # unmarking "in filters" drops the index, marking again brings it back
    field.in_filter = False
    field.save()
    with connection.cursor() as cursor:
        assert name not in connection.introspection.get_constraints(cursor, model._meta.db_table)
    field.in_filter = True
    field.save()
    with connection.cursor() as cursor:
        assert name in connection.introspection.get_constraints(cursor, model._meta.db_table)
