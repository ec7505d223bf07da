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

from schema import fastpath, fastpath_sql, fastpath_sql_cache, fastpath_sql_rules
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


def answer(user: Any, query: str, variables: dict[str, Any] | None = None, *, kept: bool | None) -> list[dict]:
    """The rows (identical to stock); on PostgreSQL, written from a kept statement or a new one."""
    before = fastpath.STATS.copy()
    body, outcome = both(user, query, variables)
    assert outcome == "fast" and "errors" not in body, body
    if ON_POSTGRES:
        assert fastpath.STATS["sql"] - before["sql"] == 1
    if ON_POSTGRES and kept is not None:
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


# --- the compiled rules kept per user and permission generation (schema/fastpath_sql_rules.py) ---


def fresh(user: Any) -> Any:
    """The user as the next request loads them (facts are remembered on the user object)."""
    from django.contrib.auth.models import User

    return User.objects.get(pk=user.pk)


def reused() -> int:
    return fastpath.STATS["sql_rule_reused"]


def compiles() -> int:
    return fastpath.STATS["sql_rule_compiled"]


@pytest.fixture
def rules_cold():
    fastpath_sql_rules.forget()
    yield
    fastpath_sql_rules.forget()


def test_two_provinces_never_share_a_compiled_rule(org, data, rules_cold):  # noqa: F811
    """Officers of two provinces, alternating, each twice: each gets their own rows every time,
    and from the second request on their own compiled rule is reused (on PostgreSQL)."""
    results_plan(LIST)
    assert titles(answer(fresh(org.officer_a), LIST, kept=False)) == A_SEES
    assert titles(answer(fresh(org.officer_b), LIST, kept=True)) == B_SEES
    assert titles(answer(fresh(org.admin), LIST, kept=False)) == EVERYTHING
    first, compiled = reused(), compiles()
    for _ in range(2):
        assert titles(answer(fresh(org.officer_b), LIST, kept=True)) == B_SEES
        assert titles(answer(fresh(org.officer_a), LIST, kept=True)) == A_SEES
        assert titles(answer(fresh(org.admin), LIST, kept=True)) == EVERYTHING
    if ON_POSTGRES:  # nothing compiled again: every part came from the kept rules
        assert compiles() == compiled and reused() - first >= 6


def test_a_role_taken_and_given_back_is_in_the_next_answer(org, data, rules_cold):  # noqa: F811
    """Without the role, officer B sees only rows granted to them (here: one grant, then none)."""
    from guardian.shortcuts import assign_perm, remove_perm

    results_plan(LIST)
    assert titles(answer(fresh(org.officer_b), LIST, kept=False)) == B_SEES
    assert titles(answer(fresh(org.officer_b), LIST, kept=True)) == B_SEES
    roles = list(org.officer_b.groups.all())
    org.officer_b.groups.clear()
    assign_perm("sample.view_sampleproject", org.officer_b, data["a1"])
    assert titles(answer(fresh(org.officer_b), LIST, kept=False)) == {"Chuyển đổi số"}
    assert titles(answer(fresh(org.officer_b), LIST, kept=True)) == {"Chuyển đổi số"}
    remove_perm("sample.view_sampleproject", org.officer_b, data["a1"])
    assert titles(answer(fresh(org.officer_b), LIST, kept=True)) == set()
    org.officer_b.groups.set(roles)
    assert titles(answer(fresh(org.officer_b), LIST, kept=True)) == B_SEES
    # officer A meanwhile: their own rows, never B's rule of any moment
    assert titles(answer(fresh(org.officer_a), LIST, kept=True)) == A_SEES


def test_an_officer_moved_to_another_province_sees_that_province_at_once(org, data, rules_cold):  # noqa: F811
    """The unit (a directory fact) moves the generation: A's next rule is compiled afresh."""
    from modules.engine import registry

    results_plan(LIST)
    assert titles(answer(fresh(org.officer_a), LIST, kept=False)) == A_SEES
    assert titles(answer(fresh(org.officer_a), LIST, kept=True)) == A_SEES
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    person.owner_unit = org.province_b
    person.save()
    # B's unit's rows, A's own records (created by A) and the shared ones
    moved = B_SEES | {"Chuyển đổi số", "Bản đồ số"}
    assert titles(answer(fresh(org.officer_a), LIST, kept=True)) == moved


def test_a_superuser_demoted_gets_the_rule(org, data, rules_cold):  # noqa: F811
    results_plan(LIST)
    admin = fresh(org.admin)
    assert titles(answer(admin, LIST, kept=False)) == EVERYTHING
    assert titles(answer(fresh(org.admin), LIST, kept=True)) == EVERYTHING
    admin.is_superuser = False
    admin.save()
    # the office sees every unit's rows (`sees_all_units`) with the role permission to view;
    # without it, only granted rows, and the admin holds no grant
    expected = EVERYTHING if has_view_role(org.admin) else set()
    assert titles(answer(fresh(org.admin), LIST, kept=None)) == expected


def has_view_role(user: Any) -> bool:
    return fresh(user).has_perm("sample.view_sampleproject")


def test_facts_read_before_a_change_are_not_kept_under_the_new_generation(org, data, rules_cold):  # noqa: F811
    """A request whose user object read its facts before the role was taken (so the stamp,
    read after, is newer than the facts) may answer from them, as stock does, but must not
    leave them for the requests after it."""
    from modules.engine import access, registry

    project = registry.entity_by_label("sample.SampleProject")
    results_plan(LIST)
    stale = fresh(org.officer_b)
    assert access.scope_q(stale, project) is not None  # reads the role and the unit into the object
    org.officer_b.groups.clear()
    # what this request answers may follow the object's facts (as stock does: `answer` checks
    # the two are identical), or the fresh ones
    assert titles(answer(stale, LIST, kept=None)) in (B_SEES, set())
    assert titles(answer(fresh(org.officer_b), LIST, kept=None)) == set()  # no role, no grant
