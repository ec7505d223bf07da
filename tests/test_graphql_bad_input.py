"""Issue 11, point 8: bad input gets a typed BAD_USER_INPUT naming the argument, never
INTERNAL_SERVER_ERROR, on the fast path and the normal one."""

from __future__ import annotations

import pytest

from schema import fastpath
from tests.graphql import run
from tests.sample_rows import fill_projects_up_to

pytestmark = pytest.mark.django_db

BAD = [
    ('{ sampleProject(id: "abc") { title } }', "id"),
    ('{ unit(id: "1 OR 1=1") { code } }', "id"),
    ("{ units(pagination: {offset: -1}) { results { id } } }", "pagination.offset"),
    ("{ units(pagination: {limit: -5}) { results { id } } }", "pagination.limit"),
    ('{ units(filters: {id: {exact: "abc"}}) { results { id } } }', "filters"),
    ('{ units(filters: {id: {inList: ["1", "x"]}}) { results { id } } }', "filters"),
    ('{ sampleProjects(filters: {budget: {gt: "NaN"}}) { results { id } } }', "filters"),
    ('{ sampleProjectsConnection(after: "garbage") { edges { node { id } } } }', "after"),
    ('{ sampleProjectsConnection(before: "YXJyYXljb25uZWN0aW9uOi0x") { edges { node { id } } } }', "before"),
    ("{ sampleProjectsConnection(first: -1) { edges { node { id } } } }", "first"),
]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(("query", "field"), BAD)
def test_bad_arguments_are_typed_with_their_field(org, query, field, fast):
    fill_projects_up_to(org, 3)
    if fast:
        result = run(query, user=org.officer_a)
    else:
        with fastpath.disabled():
            result = run(query, user=org.officer_a)
    assert result["_status"] == 200
    assert [e["extensions"] for e in result["errors"]] == [{"code": "BAD_USER_INPUT", "field": field}], result


@pytest.mark.parametrize(
    "query",
    [
        '{ sampleProjects(filters: {dueDate: {exact: "0000-01-01"}}) { results { id } } }',  # year 0
        '{ units(filters: {createdAt: {gt: "99999-01-01T00:00:00Z"}}) { results { id } } }',  # year 99999
        "{ sampleProjectsConnection(first: 99999999999) { edges { node { id } } } }",  # beyond Int
        "mutation { sampleProjectSubmit(id: 1, version: 99999999999) { ok } }",
    ],
)
def test_out_of_range_literals_are_refused_before_execution(org, query):
    result = run(query, user=org.officer_a)
    codes = {e["extensions"]["code"] for e in result["errors"]}
    assert codes == {"GRAPHQL_VALIDATION_FAILED"}, result
    assert result.get("data") is None


def test_huge_ids_and_filter_numbers_are_no_rows_not_errors(org):
    huge = "99999999999999999999999"
    assert run(f'{{ unit(id: "{huge}") {{ id }} }}', user=org.admin)["data"] == {"unit": None}
    result = run(f'{{ units(filters: {{id: {{exact: "{huge}"}}}}) {{ results {{ id }} }} }}', user=org.admin)
    assert result["data"] == {"units": {"results": []}}, result
    deleted = run(
        f'mutation {{ deleteSampleProject(id: "{huge}", version: 1) {{ ok errors {{ code }} }} }}',
        user=org.officer_a,
    )
    assert deleted["data"]["deleteSampleProject"] == {"ok": False, "errors": [{"code": "NOT_FOUND"}]}


def test_a_module_query_given_a_malformed_id_names_its_argument(org):
    """A module resolver filters by the id it is given: Django's refusal to convert it is the
    caller's mistake, typed on that argument (not an internal error)."""
    result = run('{ biometricEnrollment(person: "x") { __typename } }', user=org.admin)
    assert [e["extensions"] for e in result["errors"]] == [{"code": "BAD_USER_INPUT", "field": "person"}], (
        result
    )


def test_a_year_filter_beyond_the_calendar_is_typed(org):
    """PostgreSQL turns a `year` lookup into date bounds: year 279646 has none."""
    query = "{ units(filters: {updatedAt: {year: {exact: 279646}}}) { totalCount results { id } } }"
    result = run(query, user=org.admin)
    assert {e["extensions"]["code"] for e in result.get("errors") or []} <= {"BAD_USER_INPUT"}, result


def test_petition_stats_refuses_an_impossible_year(org):
    result = run("{ petitionStats(year: 0) { year } }", user=org.admin)
    assert [e["extensions"] for e in result["errors"]] == [{"code": "BAD_USER_INPUT", "field": "year"}], (
        result
    )


def test_a_null_yes_no_field_is_a_field_error_not_a_crash(org):
    """A yes/no column is never NULL: an explicit null is refused on the field, nothing is
    written (the schemathesis fuzz found the database's NOT NULL error answering 500)."""
    from modules.engine import registry

    body = run(
        """mutation { createSampleProject(input: {title: "Có/không rỗng", priority: NORMAL, budget: "10",
        isKey: null}) { ok errors { field code } } }""",
        user=org.officer_a,
    )
    assert "errors" not in body, body
    payload = body["data"]["createSampleProject"]
    assert payload["ok"] is False
    assert {"field": "isKey", "code": "INVALID"} in payload["errors"]
    assert not registry.model_for("sample.SampleProject").objects.filter(title="Có/không rỗng").exists()
    # left out, the declared default applies
    body = run(
        """mutation { createSampleProject(input: {title: "Có/không bỏ trống", priority: NORMAL,
        budget: "10"}) { ok } }""",
        user=org.officer_a,
    )
    assert body["data"]["createSampleProject"]["ok"] is True, body
