"""Who sees a contract and its acceptance dossier, by every route (issue 19): a host organisation
only its own (list, by id, search, GraphQL, file, live event), a province's officer only its
province's. Each test tries the attack and fails if it works; GraphQL writes answer field errors."""

from __future__ import annotations

import pytest
from django.test import Client

from modules.engine import access, registry, services
from modules.engine.errors import NotFound
from tests.graphql import run
from tests.stm2_helpers import host, make_acceptance, make_contract
from tests.stm_helpers import E

pytestmark = pytest.mark.django_db
PART2 = ("Contract", "AcceptanceDossier")


@pytest.fixture
def world(org):
    """Province A: Alice's and Bob's contracts, each with an acceptance dossier; province B: Carol's."""
    alice, org_a, pi_a = host("alice", "Viện Công nghệ thông tin")
    bob, org_b, pi_b = host("bob", "Công ty Phần mềm Bình Minh")
    carol, org_c, pi_c = host("carol", "Trường Đại học Miền Nam")
    contracts = {
        "a": make_contract(org.officer_a, org_a, pi_a, title="Nền tảng dữ liệu Hà Nội"),
        "b": make_contract(org.officer_a, org_b, pi_b, title="Nền tảng dữ liệu Bình Minh"),
        "c": make_contract(org.officer_b, org_c, pi_c, title="Nền tảng dữ liệu miền Nam"),
    }
    for key, contract in contracts.items():
        contract.state = "active"  # signed: a dossier can be filed
        contract.save(update_fields=["state"])
        contracts[key] = contract
    dossiers = {
        "a": make_acceptance(alice, contracts["a"]),
        "b": make_acceptance(bob, contracts["b"]),
        "c": make_acceptance(carol, contracts["c"]),
    }
    return {"alice": alice, "bob": bob, "carol": carol, "contracts": contracts, "dossiers": dossiers}


def visible(user, name):
    return set(access.scoped_queryset(user, E(name)).values_list("pk", flat=True))


def ids(world, kind, *keys):
    return {world[kind][k].pk for k in keys}


def test_a_host_lists_only_its_own_contract_and_dossier(world):
    assert visible(world["alice"], "Contract") == ids(world, "contracts", "a")
    assert visible(world["alice"], "AcceptanceDossier") == ids(world, "dossiers", "a")
    assert visible(world["carol"], "Contract") == ids(world, "contracts", "c")


def test_a_province_sees_its_own_contracts_only(org, world):
    assert visible(org.officer_a, "Contract") == ids(world, "contracts", "a", "b")
    assert visible(org.officer_b, "Contract") == ids(world, "contracts", "c")
    assert visible(org.officer_b, "AcceptanceDossier") == ids(world, "dossiers", "c")
    assert visible(org.leader, "Contract") == ids(world, "contracts", "a", "b", "c")


def test_by_id_another_hosts_or_provinces_row_is_not_found(org, world):
    b, c = world["contracts"]["b"], world["dossiers"]["c"]
    with pytest.raises(NotFound):
        services.fetch_for(E("Contract"), world["alice"], b.pk, "view")
    with pytest.raises(NotFound):
        services.fetch_for(E("AcceptanceDossier"), org.officer_a, c.pk, "view")
    with pytest.raises(NotFound):
        services.update_record(E("AcceptanceDossier"), world["alice"], world["dossiers"]["b"].pk, {}, 1)


def test_graphql_lists_fetches_and_searches_only_what_the_caller_may_see(org, world):
    alice = world["alice"]
    listed = run("{ contracts { totalCount results { id title } } }", user=alice)
    assert [int(r["id"]) for r in listed["data"]["contracts"]["results"]] == [world["contracts"]["a"].pk]
    by_id = run(
        "query($id: ID!) { acceptanceDossier(id: $id) { id } }", {"id": world["dossiers"]["b"].pk}, user=alice
    )
    assert by_id.get("data", {}).get("acceptanceDossier") is None
    # all three titles hold "nen tang du lieu": the search finds what the caller sees, no more
    search = '{ contracts(filters: {search: "nen tang du lieu"}) { totalCount } }'
    assert run(search, user=alice)["data"]["contracts"]["totalCount"] == 1
    assert run(search, user=org.officer_a)["data"]["contracts"]["totalCount"] == 2
    assert run(search, user=org.officer_b)["data"]["contracts"]["totalCount"] == 1


def test_another_hosts_files_are_not_served(world):
    def get(user, dossier):
        client = Client()
        client.force_login(user)
        name = dossier.full_report.name.rsplit("/", 1)[-1]
        return client.get(f"/files/stm/acceptancedossier/{dossier.pk}/full_report/{name}")

    assert get(world["alice"], world["dossiers"]["a"]).status_code == 200
    assert get(world["alice"], world["dossiers"]["b"]).status_code == 404
    assert get(world["carol"], world["dossiers"]["a"]).status_code == 404


def test_a_live_event_reaches_only_those_who_see_the_row(org, world):
    event = services.snapshot(world["dossiers"]["a"])
    entity = E("AcceptanceDossier")
    assert access.snapshot_rule(world["alice"], entity)(event) is True
    assert access.snapshot_rule(world["bob"], entity)(event) is False
    assert access.snapshot_rule(org.officer_b, entity)(event) is False
    assert access.snapshot_rule(org.officer_a, entity)(event) is True


CREATE_CHANGE = """mutation($input: ContractChangeCreateInput!) {
  createContractChange(input: $input) { ok node { id } errors { field code message } } }"""


def test_graphql_writes_answer_field_errors_and_write_nothing(org, world):
    alice = world["alice"]
    extension = {"kind": "EXTENSION", "reason": "Thiết bị về chậm"}
    missing = run(CREATE_CHANGE, {"input": {"contract": world["contracts"]["a"].pk} | extension}, user=alice)
    answer = missing["data"]["createContractChange"]
    assert answer["ok"] is False and answer["node"] is None
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [("newEndOn", "INVALID")]
    assert " / " in answer["errors"][0]["message"]  # Vietnamese / English
    other = {"contract": world["contracts"]["b"].pk, "newEndOn": "2028-02-15"} | extension
    errors = run(CREATE_CHANGE, {"input": other}, user=alice)["data"]["createContractChange"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("contract", "NOT_FOUND")]
    assert not registry.model_for("stm.ContractChange").objects.exists()


UPDATE_DOSSIER = """mutation($input: AcceptanceDossierUpdateInput!) {
  updateAcceptanceDossier(input: $input) { ok errors { field code } } }"""


def test_a_host_cannot_write_the_refund_the_restriction_or_the_decision(world):
    dossier = world["dossiers"]["a"]
    values = {"refundDue": "0", "restrictedUntil": "2027-01-01", "decisionNumber": "1/QĐ"}
    values |= {"id": dossier.pk, "version": dossier.version}
    answer = run(UPDATE_DOSSIER, {"input": values}, user=world["alice"])
    got = answer["data"]["updateAcceptanceDossier"]
    assert got["ok"] is False
    assert {(e["field"], e["code"]) for e in got["errors"]} == {
        ("refundDue", "INVALID"),
        ("restrictedUntil", "INVALID"),
        ("decisionNumber", "INVALID"),
    }
    dossier.refresh_from_db()
    assert dossier.refund_due is None and dossier.decision_number == ""
