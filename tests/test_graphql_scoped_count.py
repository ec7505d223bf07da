"""`totalCount` under scoping (issue 13.2): right for every viewer, and answered from indexes.

The count is written in another SQL shape than a page (engine/rulesql.py): index lookups
instead of a walk over every row. So these tests check two things on each database:

- the count is the number of rows the viewer may see, as the rule's text says, computed
  here from the fixture's own rows (owner unit within my sub-tree, created by me, shared,
  or a view grant to me or my group), never through the function under test; on the fast
  path, on stock execution, on the connection, with filters, and for a viewer with grants
  only;
- the count's plan reads the table through its indexes (SQLite "MULTI-INDEX OR",
  PostgreSQL "BitmapOr"), with no scan that tests the rule on every row, while a page
  keeps walking the primary key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext

from modules.engine import access, registry
from schema import fastpath
from tests.conftest import make_unit, make_user

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"
TABLE = "sample_sampleproject"


@dataclass(frozen=True)
class Row:
    pk: int
    title: str
    owner: int
    creator: int
    shared: bool
    priority: str
    budget: Decimal


@dataclass
class World:
    org: Any
    sub_unit: Any
    guest: Any  # no role: sees only what is granted to them
    rows: list[Row]
    user_grants: dict[int, set[int]]  # user id → row ids granted "view"
    group_grants: dict[int, set[int]]  # user id → row ids granted "view" to one of their groups


@pytest.fixture
def world(org: Any) -> World:
    """60 projects over four units and three creators, some shared, a few granted."""
    from guardian.shortcuts import assign_perm

    model = registry.model_for(PROJECT)
    root = org.admin
    sub_unit = make_unit(root, "SKHCN-01-TT", "Trung tâm Thông tin", "provincial_dost", org.province_a)
    guest = make_user("guest", org.province_b, ())
    owners = [org.province_a, sub_unit, org.province_b, org.department]
    creators = [org.officer_b, root, org.officer_a]
    made = [
        model.objects.create(
            title=f"P{i}",
            number=f"DA-T-{i:03d}",
            priority="high" if i % 2 else "normal",
            budget=Decimal(1000 + i),
            owner_unit=owners[i % 4],
            created_by=creators[i % 3],
            is_shared=i % 7 == 0,
        )
        for i in range(60)
    ]
    rows = [
        Row(p.pk, p.title, p.owner_unit_id, p.created_by_id, p.is_shared, p.priority, p.budget) for p in made
    ]
    hidden_from_a = [
        r
        for r in rows
        if r.owner in (org.province_b.pk, org.department.pk)
        and r.creator != org.officer_a.pk
        and not r.shared
    ]
    reviewers = Group.objects.create(name="reviewers")
    org.officer_a.groups.add(reviewers)
    assign_perm("sample.view_sampleproject", org.officer_a, made[rows.index(hidden_from_a[0])])
    assign_perm("sample.view_sampleproject", reviewers, made[rows.index(hidden_from_a[1])])
    # Grants that must not count: another action, and another user.
    assign_perm("sample.change_sampleproject", org.officer_a, made[rows.index(hidden_from_a[2])])
    assign_perm("sample.view_sampleproject", org.officer_b, made[rows.index(hidden_from_a[3])])
    for row in hidden_from_a[4:6]:
        assign_perm("sample.view_sampleproject", guest, model.objects.get(pk=row.pk))
    return World(
        org=org,
        sub_unit=sub_unit,
        guest=guest,
        rows=rows,
        user_grants={
            org.officer_a.pk: {hidden_from_a[0].pk},
            org.officer_b.pk: {hidden_from_a[3].pk},
            guest.pk: {r.pk for r in hidden_from_a[4:6]},
        },
        group_grants={org.officer_a.pk: {hidden_from_a[1].pk}},
    )


def visible(world: World, user: Any) -> list[Row]:
    """The rule's text, applied to the fixture's rows: role and sub-tree, mine, shared; or a grant."""
    org = world.org
    granted = world.user_grants.get(user.pk, set()) | world.group_grants.get(user.pk, set())
    subtree = {
        org.officer_a.pk: {org.province_a.pk, world.sub_unit.pk},
        org.officer_b.pk: {org.province_b.pk},
    }
    if user == org.leader:  # a ministry leader sees every unit
        return list(world.rows)
    if user == world.guest:  # no role permission: grants only
        return [r for r in world.rows if r.pk in granted]
    units = subtree[user.pk]
    return [r for r in world.rows if r.owner in units or r.creator == user.pk or r.shared or r.pk in granted]


def ask(user: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def viewers(world: World) -> list[Any]:
    org = world.org
    return [org.officer_a, org.officer_b, world.guest, org.leader]


def test_total_count_is_what_each_viewer_may_see(world: World) -> None:
    query = "{ sampleProjects(pagination: {limit: 5}) { totalCount results { id } } }"
    for user in viewers(world):
        expected = len(visible(world, user))
        before = fastpath.STATS["fast"]
        assert ask(user, query)["sampleProjects"]["totalCount"] == expected, user.username
        assert fastpath.STATS["fast"] == before + 1  # the fast path answered
        with fastpath.disabled():  # stock strawberry-django counts the same queryset its own way
            assert ask(user, query)["sampleProjects"]["totalCount"] == expected, user.username
    org = world.org
    assert 0 < len(visible(world, org.officer_a)) < len(world.rows)  # the rule filters something
    assert len(visible(world, world.guest)) == 2


def test_total_count_on_the_connection(world: World) -> None:
    for user in viewers(world):
        expected = len(visible(world, user))
        alone = ask(user, "{ sampleProjectsConnection { totalCount } }")
        assert alone["sampleProjectsConnection"]["totalCount"] == expected, user.username
        paged = ask(user, "{ sampleProjectsConnection(first: 3) { totalCount edges { node { id } } } }")
        assert paged["sampleProjectsConnection"]["totalCount"] == expected, user.username


def test_total_count_with_filters_stays_within_the_rule(world: World) -> None:
    """A client's own OR must not widen the rule: `title = P1 OR id = <a row I may not see>`."""
    org = world.org
    mine = visible(world, org.officer_a)
    hidden = next(r for r in world.rows if r not in mine)
    target = next(r for r in mine if r.priority == "high")
    query = """query($title: String!, $id: ID!) { sampleProjects(
        filters: {title: {exact: $title}, OR: {id: {exact: $id}}}) { totalCount } }"""
    variables = {"title": target.title, "id": hidden.pk}
    assert ask(org.officer_a, query, variables)["sampleProjects"]["totalCount"] == 1
    with fastpath.disabled():
        assert ask(org.officer_a, query, variables)["sampleProjects"]["totalCount"] == 1
    high = "{ sampleProjects(filters: {priority: {exact: HIGH}}) { totalCount } }"
    expected = len([r for r in mine if r.priority == "high"])
    assert ask(org.officer_a, high)["sampleProjects"]["totalCount"] == expected
    by_id = "query($id: ID!) { sampleProjects(filters: {id: {exact: $id}}) { totalCount } }"
    assert ask(org.officer_a, by_id, {"id": hidden.pk})["sampleProjects"]["totalCount"] == 0


def test_aggregates_use_the_same_rule(world: World) -> None:
    """Sums and grouped counts over the scoped rows (dashboards) see exactly the visible rows."""
    entity = registry.entity_by_label(PROJECT)
    for user in viewers(world):
        rows = visible(world, user)
        scoped = access.scoped_queryset(user, entity, "view")
        assert scoped.aggregate(total=Sum("budget"))["total"] == sum(r.budget for r in rows)
        grouped = dict(scoped.order_by().values_list("priority").annotate(n=Count("id")))
        expected = {p: len([r for r in rows if r.priority == p]) for p in {r.priority for r in rows}}
        assert grouped == expected, user.username
        assert sorted(scoped.values_list("id", flat=True)) == sorted(r.pk for r in rows)


def _captured(user: Any, query: str, starts: str) -> str:
    """The SQL of the one statement of a request that starts with `starts` (on the counted table)."""
    with CaptureQueriesContext(connection) as ctx:
        ask(user, query)
    found = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(starts) and TABLE in q["sql"]]
    assert len(found) == 1, [q["sql"][:120] for q in ctx.captured_queries]
    return found[0]


def _plan(sql: str) -> list[str]:
    """EXPLAIN of one statement; on PostgreSQL with sequential scans priced out, so the plan
    shows whether an index *can* answer the rule (a 60-row table is read whole otherwise)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [str(row[-1]) for row in cursor.fetchall()]


def test_the_count_reads_only_visible_rows_through_indexes(world: World) -> None:
    """The count's plan has no step that tests the rule on every row of the table."""
    officer = world.org.officer_a
    count_sql = _captured(officer, "{ sampleProjects { totalCount } }", "SELECT COUNT(*)")
    plan = _plan(count_sql)
    if connection.vendor == "sqlite":
        assert "MULTI-INDEX OR" in plan, plan
        assert f"SCAN {TABLE}" not in plan, plan  # a full scan testing the OR row by row
    else:
        text = "\n".join(plan)
        assert "BitmapOr" in text, text
        assert "SubPlan" not in text, text  # `IN (SELECT ...)` run per row
        assert f"Seq Scan on {TABLE}" not in text, text
    # Stock execution counts with the same SQL.
    with fastpath.disabled():
        assert _captured(officer, "{ sampleProjects { totalCount } }", "SELECT COUNT(*)") == count_sql


def test_a_page_still_walks_the_primary_key(world: World) -> None:
    """A page stops at its last row: it keeps the walked shape, not the count's index lookups."""
    officer = world.org.officer_a
    page_sql = _captured(
        officer, "{ sampleProjects(pagination: {limit: 5}) { results { id title } } }", "SELECT"
    )
    assert "ANY(ARRAY(" not in page_sql and "IN (SELECT" in page_sql
    if connection.vendor == "sqlite":
        plan = _plan(page_sql)
        assert f"SCAN {TABLE}" in plan, plan  # newest first along the primary key, no sort
        assert "MULTI-INDEX OR" not in plan and not any("TEMP B-TREE" in line for line in plan), plan
