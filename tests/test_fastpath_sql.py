"""PostgreSQL writes a fast-path list's JSON (schema/fastpath_sql.py), byte for byte as stock.

Each query goes over HTTP twice, fast path on and off (`both`, from tests/test_fastpath.py),
and the two bodies must be identical. On PostgreSQL the list must have been written by the
database (`STATS["sql"]` moves); on SQLite the Python path answers (it must not move). The
same tests run on both databases: only which path answered differs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from modules.engine import registry, services
from schema import fastpath, rawjson
from tests.test_fastpath import both, client_for, data, post  # noqa: F401  (data: the fixture)

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def written_by_postgresql(monkeypatch):
    """The switch on, whatever the environment says (ONEMST_FASTPATH_SQL; on by default)."""
    from schema import fastpath_sql

    monkeypatch.setattr(fastpath_sql, "ENABLED", True)


# Every kind PostgreSQL writes: ID, text (null too), Int, Boolean, Date, enums (choice and
# state), __typename, forward links (null, to a type with no rule, to a scoped type, nested).
WRITTEN = """
  __typename id number version isShared state title summary staffCount isKey dueDate priority
  createdBy { __typename id username firstName lastName }
  ownerUnit { id code name kind parent { code name } }
  leadUnit { code name }
"""


def sql_answered(user: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body (identical to stock); on PostgreSQL the database wrote the list, else Python did."""
    before = fastpath.STATS["sql"]
    body, outcome = both(user, query, variables)
    assert outcome == "fast", outcome
    assert "errors" not in body, body
    assert fastpath.STATS["sql"] - before == (1 if ON_POSTGRES else 0)
    return body["data"]


@pytest.mark.parametrize("role", ["admin", "leader", "head_a", "officer_a", "officer_b", "specialist"])
def test_every_written_kind_for_every_role(org, data, role):  # noqa: F811
    user = getattr(org, role)
    found = sql_answered(
        user, f"{{ sampleProjects(pagination: {{limit: 50}}) {{ results {{ {WRITTEN} }} }} }}"
    )
    titles = {row["title"] for row in found["sampleProjects"]["results"]}
    if role == "officer_a":  # the rule is the WHERE: B's private project is not there
        assert "Chuyển đổi số" in titles and "Bí mật B" not in titles


def test_a_link_to_an_invisible_row_is_null(org, data):  # noqa: F811
    found = sql_answered(org.officer_a, "{ sampleNotes { results { text project { title isKey } } } }")
    by_text = {row["text"]: row["project"] for row in found["sampleNotes"]["results"]}
    assert by_text["Ghi chú A"] is None  # it links to B's private project
    assert by_text["Ghi chú A2"] == {"title": "Chuyển đổi số", "isKey": True}


def test_hard_text_is_escaped_as_pythons_encoder_does(org):
    project = registry.entity_by_label("sample.SampleProject")
    hard = 'Ngoặc "kép" \\ gạch \n dòng \t tab \x01\x1f\x7f điều khiển 🚀 \u2028 </script> Tiếng Việt'
    services.create_record(project, org.officer_a, {"title": hard, "summary": hard, "priority": "high"})
    found = sql_answered(org.officer_a, "{ sampleProjects { results { title summary } } }")
    assert found["sampleProjects"]["results"][0]["title"] == hard


def test_arguments_order_and_pages_are_the_stock_ones(org, data):  # noqa: F811
    query = """query($f: SampleProjectFilter, $o: [SampleProjectOrder!]!, $p: OffsetPaginationInput) {
      sampleProjects(filters: $f, ordering: $o, pagination: $p) {
        totalCount pageInfo { offset limit } results { id title priority } } }"""
    for variables in (
        {"o": [{"title": "ASC"}], "p": {"offset": 1, "limit": 2}},
        {"f": {"priority": {"exact": "HIGH"}}, "o": [{"createdAt": "DESC"}]},
        {"o": [], "p": {"offset": 50}},  # an empty page
    ):
        sql_answered(org.admin, query, variables)


def test_what_postgresql_does_not_write_stays_on_the_python_path(org, data):  # noqa: F811
    for selection in ("title budget", "title startedAt", "title extra", "title milestones { name }"):
        before = fastpath.STATS["sql"]
        body, outcome = both(org.admin, f"{{ sampleProjects {{ results {{ {selection} }} }} }}")
        assert outcome == "fast" and "errors" not in body, (selection, body)
        assert fastpath.STATS["sql"] == before, selection
    # DISTINCT would compare the rows' JSON text rather than the rows: the Python path answers
    before = fastpath.STATS["sql"]
    query = "{ sampleProjects(filters: {isKey: {exact: false}, DISTINCT: true}) { results { priority } } }"
    body, outcome = both(org.admin, query)
    assert outcome == "fast" and "errors" not in body and fastpath.STATS["sql"] == before


def test_a_value_the_fast_path_cannot_render_falls_back_to_stock(org, data):  # noqa: F811
    """An unknown stored code: the enum refuses it; the database's text says so, and the stock
    path answers (with its error), exactly as the Python path would have."""
    model = registry.model_for("sample.SampleProject")
    model.objects.filter(Q(pk=data["a1"].pk)).update(priority="khong-co")
    before = fastpath.STATS["sql"]
    body, outcome = both(org.admin, "{ sampleProjects { results { title priority } } }")
    assert outcome == "fallback" and body["errors"], body
    assert fastpath.STATS["sql"] == before


def test_one_statement_for_the_list_and_its_links(org, data, monkeypatch):  # noqa: F811
    """The Python path reads the rows, then each link (createdBy, ownerUnit, its parent,
    leadUnit) in a query of its own; PostgreSQL's statement carries the links as subqueries."""
    from schema import fastpath_sql

    client = client_for(org.admin)
    query = f"{{ sampleProjects {{ results {{ {WRITTEN} }} }} }}"
    post(client, query)  # the session and the user's rule read and cached
    counts, lists = {}, {}
    for written in (False, True):
        monkeypatch.setattr(fastpath_sql, "ENABLED", written)
        with CaptureQueriesContext(connection) as ctx:
            response = post(client, query)
        assert response.status_code == 200 and "errors" not in response.json()
        counts[written] = len(ctx.captured_queries)
        lists[written] = [q["sql"] for q in ctx.captured_queries if "sample_sampleproject" in q["sql"]]
    if ON_POSTGRES:  # one statement reads the rows and writes every link, nested ones included
        assert len(lists[True]) == 1 and lists[True][0].count("SELECT") == 5, lists[True]
        assert counts[True] == counts[False] - 3, counts  # createdBy, ownerUnit (with parent), leadUnit
    else:
        assert counts[True] == counts[False], counts


def test_raw_json_is_only_handed_to_the_view():
    """Outside the HTTP view (execute_sync, subscriptions) an answer is plain Python objects."""
    assert not rawjson.is_accepted()
    with rawjson.accepted():
        assert rawjson.is_accepted()
    assert not rawjson.is_accepted()


def test_raw_json_is_spliced_where_it_stands():
    from django.core.serializers.json import DjangoJSONEncoder

    rows = [{"a": "x\u0000y", "b": [1, 2]}, {"a": "\\u0000", "b": []}]
    answer = {
        "first": rawjson.RawJSON(json.dumps(rows, separators=(",", ":"), ensure_ascii=False)),
        "nul": "\u0000 not a placeholder \u0000",
        "amount": Decimal("1.50"),
        "second": rawjson.RawJSON("[]"),
    }
    text = rawjson.dumps(answer, DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    plain = {**answer, "first": rows, "second": []}
    assert text == json.dumps(plain, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)
