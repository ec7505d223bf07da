"""PostgreSQL's JSON statements are kept per shape and bound per request (schema/fastpath_sql_cache.py).

The attacks: a statement compiled for one user is reused for another whose rule has the same
shape but other values, for users whose rules differ, for other pages and filter values, and
after a grant is given or revoked. Each answer must be what the rule says (the expected rows
are written here from the rule's text: own unit and sub-units, own records, shared ones,
grants) and byte-identical to stock execution (`both`). On PostgreSQL the tests also require
that the kept statement answered (`STATS["sql_cached"]`), so the reuse is what is tested; on
SQLite the Python path answers the same queries.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from graphql import parse

from schema import fastpath, fastpath_sql, fastpath_sql_cache
from schema.runtime import current_schema
from tests.test_fastpath import both, data  # noqa: F401  (data: the fixture)

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"

LIST = """query($p: OffsetPaginationInput, $f: SampleProjectFilter) {
  sampleProjects(pagination: $p, filters: $f, ordering: [{title: ASC}]) {
    results { id title isShared priority ownerUnit { code } createdBy { username } } } }"""
NOTES = "{ sampleNotes { results { text project { title isKey } } } }"


@pytest.fixture(autouse=True)
def written_by_postgresql(monkeypatch):
    monkeypatch.setattr(fastpath_sql, "ENABLED", True)


def results_plan(query: str) -> Any:
    """The compiled `results` plan the view uses for `query` (its statements dropped: start cold)."""
    plan = fastpath.plan_for(current_schema(), query, None, parse(query))
    ((_key, root),) = plan.roots
    (object_plan,) = [aux for _k, what, aux in root.items if what == "results"]
    fastpath_sql_cache.forget(object_plan)
    return object_plan


def answer(user: Any, query: str, variables: dict[str, Any] | None = None, *, kept: bool) -> list[dict]:
    """The rows (identical to stock); on PostgreSQL, written from a kept statement or a new one."""
    before = fastpath.STATS.copy()
    body, outcome = both(user, query, variables)
    assert outcome == "fast" and "errors" not in body, body
    if ON_POSTGRES:
        assert fastpath.STATS["sql"] - before["sql"] == 1
        assert fastpath.STATS["sql_cached"] - before["sql_cached"] == (1 if kept else 0)
        assert fastpath.STATS["sql_compiled"] - before["sql_compiled"] == (0 if kept else 1)
    ((_, page),) = body["data"].items()
    return page["results"]


def titles(rows: list[dict]) -> set[str]:
    return {row["title"] for row in rows}


# By the rule: a provincial officer sees their unit's rows, their own, shared ones and grants.
A_SEES = {"Chuyển đổi số", "Bản đồ số", "Chia sẻ B"}
B_SEES = {"Bí mật B", "Chia sẻ B", "Bản đồ số"}
EVERYTHING = A_SEES | B_SEES


def test_one_shape_one_statement_other_users_values(org, data):  # noqa: F811
    plan = results_plan(LIST)
    assert titles(answer(org.officer_a, LIST, kept=False)) == A_SEES
    # officer B's rule has the same shape (other unit path, other user id): the kept text,
    # B's own values; A's values would show "Chuyển đổi số" and hide "Bí mật B"
    assert titles(answer(org.officer_b, LIST, kept=True)) == B_SEES
    assert titles(answer(org.officer_a, LIST, kept=True)) == A_SEES
    if ON_POSTGRES:
        assert fastpath_sql_cache.kept(plan) == 1


def test_rules_of_other_shapes_get_statements_of_their_own(org, data):  # noqa: F811
    plan = results_plan(LIST)
    assert titles(answer(org.officer_a, LIST, kept=False)) == A_SEES
    # a superuser has no filter at all: another text, not A's statement with A's values
    assert titles(answer(org.admin, LIST, kept=False)) == EVERYTHING
    assert titles(answer(org.officer_b, LIST, kept=True)) == B_SEES
    assert titles(answer(org.admin, LIST, kept=True)) == EVERYTHING
    if ON_POSTGRES:
        assert fastpath_sql_cache.kept(plan) == 2


def test_a_grant_given_or_revoked_is_in_the_next_answer(org, data):  # noqa: F811
    from guardian.shortcuts import assign_perm, remove_perm

    results_plan(LIST)
    assert "Chuyển đổi số" not in titles(answer(org.officer_b, LIST, kept=False))
    assign_perm("sample.view_sampleproject", org.officer_b, data["a1"])
    assert titles(answer(org.officer_b, LIST, kept=True)) == B_SEES | {"Chuyển đổi số"}
    remove_perm("sample.view_sampleproject", org.officer_b, data["a1"])
    assert titles(answer(org.officer_b, LIST, kept=True)) == B_SEES


def test_a_linked_rows_rule_is_bound_per_request_too(org, data):  # noqa: F811
    """The link's subquery carries the target's rule: a grant on the linked row shows it at once."""
    from guardian.shortcuts import assign_perm, remove_perm

    results_plan(NOTES)

    def projects(kept: bool) -> dict[str, Any]:
        return {row["text"]: row["project"] for row in answer(org.officer_a, NOTES, kept=kept)}

    assert projects(kept=False)["Ghi chú A"] is None  # B's private project
    assign_perm("sample.view_sampleproject", org.officer_a, data["b_secret"])
    assert projects(kept=True)["Ghi chú A"] == {"title": "Bí mật B", "isKey": False}
    remove_perm("sample.view_sampleproject", org.officer_a, data["b_secret"])
    found = projects(kept=True)
    assert found["Ghi chú A"] is None
    assert found["Ghi chú A2"] == {"title": "Chuyển đổi số", "isKey": True}


def test_pages_and_filter_values_are_parameters(org, data):  # noqa: F811
    plan = results_plan(LIST)
    ordered = [row["title"] for row in answer(org.admin, LIST, {}, kept=False)]  # the database's collation
    assert sorted(ordered) == sorted(EVERYTHING)
    for offset, limit in ((0, 2), (1, 2), (2, 1), (3, 5), (9, 1)):
        page = answer(org.admin, LIST, {"p": {"offset": offset, "limit": limit}}, kept=True)
        assert [row["title"] for row in page] == ordered[offset : offset + limit]
    for title in ("Bí mật B", "Bản đồ số"):
        found = answer(org.admin, LIST, {"f": {"title": {"exact": title}}}, kept=title != "Bí mật B")
        assert titles(found) == {title}
    if ON_POSTGRES:
        assert fastpath_sql_cache.kept(plan) == 2  # without and with the filter
