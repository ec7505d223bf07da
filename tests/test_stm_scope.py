"""Who sees a selection dossier, by every route (issue 18): an applicant sees only their own
organisation's dossiers, never another's; a province's dossiers are that province's. Each test
tries the attack and fails if it works."""

from __future__ import annotations

import pytest
import time_machine

from modules.engine import access, services
from modules.engine.errors import InvalidInput, NotFound
from tests.graphql import run
from tests.stm_helpers import T0, E, add_pi, applicant, fire, make_dossier, make_notice, publish, register_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, legal_days):
    """Two applicant organisations filing on province A's notice; a notice of province B."""
    alice = applicant("alice")
    bob = applicant("bob")
    org_a = register_org(alice, "Viện Công nghệ thông tin")
    org_b = register_org(bob, "Công ty Phần mềm Bình Minh")
    pi_a = add_pi(alice, org_a)
    pi_b = add_pi(bob, org_b, "Trần Thị Bình")
    with time_machine.travel(T0, tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a))
        dossier_a = fire(alice, make_dossier(alice, notice, org_a, pi_a), "SelectionDossier", "submit")
        dossier_b = fire(bob, make_dossier(bob, notice, org_b, pi_b), "SelectionDossier", "submit")
        notice_b = publish(org.officer_b, make_notice(org.officer_b))
        dossier_b2 = fire(bob, make_dossier(bob, notice_b, org_b, pi_b), "SelectionDossier", "submit")
    return {
        "alice": alice,
        "bob": bob,
        "org_a": org_a,
        "org_b": org_b,
        "pi_a": pi_a,
        "a": dossier_a,
        "b": dossier_b,
        "b2": dossier_b2,
        "notice": notice,
        "notice_b": notice_b,
    }


def visible(user, name="SelectionDossier"):
    return set(access.scoped_queryset(user, E(name)).values_list("pk", flat=True))


def test_an_applicant_lists_only_their_own_organisations_dossiers(world):
    assert visible(world["alice"]) == {world["a"].pk}
    assert visible(world["bob"]) == {world["b"].pk, world["b2"].pk}


def test_a_colleague_who_joins_the_organisation_sees_its_dossiers(world):
    from modules.engine.object_grants import join
    from modules.stm.hooks import organisation_group

    carol = applicant("carol")
    assert visible(carol) == set()
    join(organisation_group(world["org_a"].pk), carol)
    assert visible(carol) == {world["a"].pk}


def test_another_organisations_dossier_by_id_is_not_found(world):
    bob, a = world["bob"], world["a"]
    with pytest.raises(NotFound):
        services.fetch_for(E("SelectionDossier"), bob, a.pk, "view")
    with pytest.raises(NotFound):
        services.update_record(E("SelectionDossier"), bob, a.pk, {"title": "x"}, a.version)
    with time_machine.travel(T0, tick=False), pytest.raises(NotFound):
        services.fire_transition(E("SelectionDossier"), bob, a.pk, "withdraw", a.version)
    a.refresh_from_db()
    assert a.state == "submitted"


def test_filing_for_another_organisation_or_with_its_investigator_is_refused(world):
    bob = world["bob"]
    with time_machine.travel(T0, tick=False), pytest.raises(InvalidInput) as refused:
        make_dossier(bob, world["notice"], world["org_a"], world["pi_a"])
    assert {p.field for p in refused.value.problems} == {"organisation", "investigator"}
    assert {p.code for p in refused.value.problems} == {"NOT_FOUND"}
    with pytest.raises(InvalidInput):
        add_pi(bob, world["org_a"], "Kẻ Giả Mạo")


def test_an_applicant_sees_no_other_organisation_nor_its_investigators(world):
    assert visible(world["alice"], "HostOrganisation") == {world["org_a"].pk}
    assert visible(world["alice"], "PrincipalInvestigator") == {world["pi_a"].pk}


def test_graphql_lists_and_fetches_only_the_applicants_own(world):
    alice, b = world["alice"], world["b"]
    listed = run("{ selectionDossiers { totalCount results { id title } } }", user=alice)
    assert [int(r["id"]) for r in listed["data"]["selectionDossiers"]["results"]] == [world["a"].pk]
    assert listed["data"]["selectionDossiers"]["totalCount"] == 1
    by_id = run("query($id: ID!) { selectionDossier(id: $id) { id title } }", {"id": b.pk}, user=alice)
    assert by_id.get("data", {}).get("selectionDossier") is None
    # both dossiers carry the notice's title: a search finds Alice's alone
    searched = run('{ selectionDossiers(filters: {search: "nen tang du lieu"}) { totalCount } }', user=alice)
    assert searched["data"]["selectionDossiers"]["totalCount"] == 1
    orgs = run("{ hostOrganisations { results { name } } }", user=alice)
    assert orgs["data"]["hostOrganisations"]["results"] == [{"name": "Viện Công nghệ thông tin"}]


def test_graphql_withdraw_of_another_organisations_dossier_is_refused(world):
    b = world["b"]
    mutation = "mutation($id: ID!, $v: Int!) { selectionDossierWithdraw(id: $id, version: $v) { ok errors { code } } }"
    with time_machine.travel(T0, tick=False):
        answer = run(mutation, {"id": b.pk, "v": b.version}, user=world["alice"])
    assert answer["data"]["selectionDossierWithdraw"]["ok"] is False
    assert answer["data"]["selectionDossierWithdraw"]["errors"][0]["code"] == "NOT_FOUND"
    b.refresh_from_db()
    assert b.state == "submitted"


def test_an_applicant_sees_published_notices_only(org, world):
    draft = make_notice(org.officer_a)
    seen = visible(world["alice"], "SelectionNotice")
    assert world["notice"].pk in seen and draft.pk not in seen


def test_a_province_sees_its_own_dossiers_only(org, world):
    assert visible(org.officer_a) == {world["a"].pk, world["b"].pk}
    assert visible(org.officer_b) == {world["b2"].pk}
    with pytest.raises(NotFound):
        services.fetch_for(E("SelectionDossier"), org.officer_b, world["a"].pk, "view")
    listed = run("{ selectionDossiers { totalCount } }", user=org.officer_b)
    assert listed["data"]["selectionDossiers"]["totalCount"] == 1


def test_a_ministry_leader_sees_every_province(org, world):
    assert visible(org.leader) == {world["a"].pk, world["b"].pk, world["b2"].pk}


def test_an_applicant_has_no_admin(world):
    from django.test import Client

    client = Client()
    client.force_login(world["alice"])
    response = client.get("/admin/stm/selectiondossier/")
    assert response.status_code in (302, 403)


REGISTER = """mutation($u: String!, $p: String!, $e: String!, $o: String!) {
  stmRegisterApplicant(username: $u, password: $p, email: $e, organisationName: $o, taxCode: "0312345678") {
    ok organisationId errors { field code message } } }"""


def test_an_applicant_registers_and_sees_only_their_own_organisation(world):
    from django.contrib.auth.models import User

    answer = run(
        REGISTER, {"u": "vien_moi", "p": "Mat-khau-2027!", "e": "lienhe@vienmoi.vn", "o": "Viện Mới"}
    )
    got = answer["data"]["stmRegisterApplicant"]
    assert got["ok"] is True and got["errors"] == []
    newcomer = User.objects.get(username="vien_moi")
    assert visible(newcomer, "HostOrganisation") == {int(got["organisationId"])}
    assert visible(newcomer) == set()  # no dossier of anyone else's
    assert not newcomer.is_staff


def test_registration_errors_are_per_field_and_nothing_is_written(world):
    from django.contrib.auth.models import User

    taken = run(REGISTER, {"u": "alice", "p": "short", "e": "not-an-email", "o": "X"})["data"][
        "stmRegisterApplicant"
    ]
    assert taken["ok"] is False
    assert {(e["field"], e["code"]) for e in taken["errors"]} == {
        ("username", "TAKEN"),
        ("email", "INVALID"),
        ("password", "WEAK_PASSWORD"),
    }
    assert User.objects.filter(username__iexact="alice").count() == 1
