"""Pickers follow the engine's rule (issue 12.1): who may ask, and what they are offered.

Before, /admin/autocomplete/ asked for view permission on the TARGET admin (auth.User),
so a unit head's "Lãnh đạo giao" picker answered 403. The rule now: the caller may pick
when they may add or change the record they fill; the candidates are what the write path
accepts (an actor link: themselves and whom they may record for; an assignee: people who
can see the record, or anyone when their role may grant it).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from modules.engine import registry, services
from modules.engine.errors import PermissionDenied
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/admin/autocomplete/"


def pick(user: Any, app: str, model: str, field: str, term: str = "") -> tuple[int, list[str]]:
    client = Client()
    client.force_login(user)
    response = client.get(URL, {"app_label": app, "model_name": model, "field_name": field, "term": term})
    if response.status_code != 200:
        return response.status_code, []
    return 200, [row["text"] for row in response.json()["results"]]


def task() -> Any:
    return registry.entity_by_label("tasks.Task")


def test_unit_head_picks_assigning_leader_and_responsible_person(org):
    status, actors = pick(org.head_a, "tasks", "task", "assigned_by")
    assert status == 200
    assert actors == ["Head_A"]  # no delegation: only themselves
    status, people = pick(org.head_a, "tasks", "task", "assignee")
    assert status == 200
    assert "Officer_A" in people and "Head_A" in people
    assert "Officer_B" not in people  # another province cannot see the task: the write would refuse
    assert pick(org.head_a, "tasks", "task", "assignee", "officer")[1] == ["Officer_A"]


def test_ministry_leader_may_assign_across_units(org):
    status, actors = pick(org.leader, "tasks", "task", "assigned_by")
    assert (status, actors) == (200, ["Leader"])
    status, people = pick(org.leader, "tasks", "task", "assignee", "officer")
    assert status == 200
    assert sorted(people) == ["Officer_A", "Officer_B"]  # the write grants the task to them


def test_secretary_picks_the_leaders_above_them(org):
    secretary = make_user("secretary_a", org.province_a, ("secretary",))
    status, actors = pick(secretary, "tasks", "directive", "assigned_by")
    assert status == 200
    assert sorted(actors) == ["Head_A", "Secretary_A"]  # not the Minister: not above a province


def test_platform_admin_picks_the_account_of_a_person(org):
    platform = make_user("platform", org.office, ("platform_admin",))
    assert not platform.is_superuser
    status, accounts = pick(platform, "org", "person", "user", "officer_b")
    assert (status, accounts) == (200, ["Officer_B"])


def test_picker_refused_to_those_who_may_not_fill_the_form(org):
    assert pick(org.officer_a, "org", "person", "user")[0] == 403  # may only view people
    anonymous = Client().get(URL, {"app_label": "tasks", "model_name": "task", "field_name": "assignee"})
    assert anonymous.status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        services.link_choices(org.officer_a, registry.entity_by_label("org.Person"), "user")


def test_the_candidates_are_what_the_write_accepts(org):
    """Every candidate offered to the unit head is accepted by save_record, and a person not
    offered is refused: the picker and the write path are one rule."""
    offered = services.link_choices(org.head_a, task(), "assignee")
    assert org.officer_b.pk not in set(offered.values_list("pk", flat=True))
    values = {"title": "T", "content": "C", "assignee": org.officer_a.pk, "deadline": "2026-12-31"}
    assert services.create_record(task(), org.head_a, values).assignee_id == org.officer_a.pk
    with pytest.raises(Exception) as refused:
        services.create_record(task(), org.head_a, {**values, "assignee": org.officer_b.pk})
    assert "OUT_OF_SCOPE" in repr(getattr(refused.value, "problems", refused.value))


def test_pickers_ignore_diacritics_and_name_people(org):
    minh = make_user("minh", org.province_a, ("provincial_officer",))
    person = registry.model_for("org.Person").objects.get(user=minh)
    services.update_record(
        registry.entity_by_label("org.Person"),
        org.admin,
        person.pk,
        {"full_name": "Nguyễn Văn Minh"},
        person.version,
    )
    status, people = pick(org.head_a, "tasks", "task", "assignee", "nguyen van minh")
    assert (status, people) == (200, ["Nguyễn Văn Minh"])
    status, units = pick(org.leader, "tasks", "task", "coordinating_units", "ha noi")
    assert (status, units) == (200, [str(org.province_a)])
