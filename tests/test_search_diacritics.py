"""Search ignores Vietnamese diacritics in both directions (issue 12.5), in the admin search
(and so its autocomplete) and in GraphQL's `search` filter, on SQLite and PostgreSQL.

The rule's text: "nguyen van minh" finds "Nguyễn Văn Minh", and "Nguyễn" finds "nguyen";
"đ" is a letter of its own that plain text writes "d" ("duc" finds "Đức").
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client

from modules.engine import registry, search
from tests.conftest import make_user
from tests.graphql import run
from tests.tasks_helpers import make_task


def admin_hits(user: Any, changelist: str, term: str) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(changelist, {"q": term})
    assert response.status_code == 200
    return {str(row) for row in response.context["cl"].result_list}


def graphql_titles(user: Any, term: str) -> set[str]:
    result = run(
        "query($q: String!) { tasks(filters: {search: $q}) { results { title } } }", {"q": term}, user=user
    )
    assert "errors" not in result, result
    return {row["title"] for row in result["data"]["tasks"]["results"]}


@pytest.mark.django_db
def test_task_search_ignores_diacritics_both_ways(org):
    make_task(org, title="Báo cáo của Nguyễn Văn Minh về chuyển đổi số")
    make_task(org, title="bao cao cua nguyen thi lan")  # typed without marks
    make_task(org, title="Đề án phát triển Đức Phổ")
    make_task(org, title="Kế hoạch năm")  # never found below
    for term, expected in (
        ("nguyen van minh", {"Báo cáo của Nguyễn Văn Minh về chuyển đổi số"}),
        ("NGUYỄN", {"Báo cáo của Nguyễn Văn Minh về chuyển đổi số", "bao cao cua nguyen thi lan"}),
        ("Nguyễn Thị Lan", {"bao cao cua nguyen thi lan"}),
        ("duc pho", {"Đề án phát triển Đức Phổ"}),
        ("đề án đức", {"Đề án phát triển Đức Phổ"}),
        ("chuyen doi so", {"Báo cáo của Nguyễn Văn Minh về chuyển đổi số"}),
    ):
        assert graphql_titles(org.leader, term) == expected, term
        shown = admin_hits(org.leader, "/admin/tasks/task/", term)
        assert {s.split(" ", 1)[1] for s in shown} == expected, term


@pytest.mark.django_db
def test_people_and_dossiers_too_and_scope_still_rules(org):
    make_user("minh", org.province_a, ("provincial_officer",))
    person = registry.model_for("org.Person").objects.get(user__username="minh")
    person.full_name = "Nguyễn Văn Minh"
    person.save()  # saved outside the write path: the model still folds its search text
    assert admin_hits(org.admin, "/admin/org/person/", "nguyen van minh") == {"Nguyễn Văn Minh"}
    found = run('{ people(filters: {search: "nguyen van minh"}) { results { fullName } } }', user=org.admin)
    assert found["data"]["people"]["results"] == [{"fullName": "Nguyễn Văn Minh"}]
    # scope is not widened by search: province B's officer never sees province A's task
    make_task(org, title="Nguyễn Văn Minh báo cáo")
    assert graphql_titles(org.officer_b, "nguyen van minh") == set()
    assert admin_hits(org.officer_b, "/admin/tasks/task/", "nguyen van minh") == set()


@pytest.mark.django_db
def test_every_searchable_entity_has_the_folded_column(org):
    searchable = [e for m in registry.modules() for e in m.entities if search.columns(e)]
    assert len(searchable) >= 10
    for entity in searchable:
        model = registry.model_for(entity)
        assert model._meta.get_field(search.COLUMN), entity.label
        sql = str(model.objects.filter(search.matches("Đức")).query)
        assert "search_text" in sql and "duc" in sql, entity.label


@pytest.mark.django_db
def test_the_migration_backfills_rows_saved_before_it(org):
    task = make_task(org, title="Họp giao ban Sở Tư pháp")
    model = type(task)
    model.objects.filter(pk=task.pk).update(search_text="")  # as a row written before the column
    assert graphql_titles(org.leader, "giao ban") == set()
    search.backfill("tasks.task")(django_apps, None)
    assert model.objects.get(pk=task.pk).search_text.startswith(task.number.casefold())
    assert graphql_titles(org.leader, "hop giao ban so tu phap") == {"Họp giao ban Sở Tư pháp"}
