"""The national S&T database (issue 19): a province's tasks, results and experts go up in one
versioned JSON format, checked here with the `jsonschema` library against the schema published in
docs/schemas/; they leave through the engine's outbox to a receiver that fails and recovers (a
real HTTP server); a file export serves manual upload; the national list of tasks in progress
comes down and feeds part 1's "not leading another national task" check (domain.md §7.2)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from modules.engine import outbox, registry, services
from modules.engine.models import OutboxMessage
from modules.stm import national_export
from tests.graphql import run
from tests.stm2_helpers import host, signed_contract
from tests.stm_helpers import T0, E, add_pi, applicant, fire, make_dossier, make_expert, make_notice, publish
from tests.test_onestop_notices import Gateway

pytestmark = pytest.mark.django_db
TOKEN = "national-outbound-token"
INBOUND = "national-inbound-token"


def schema(name: str = "national-st-export.v1.json") -> dict:
    return json.loads((Path(settings.BASE_DIR) / "docs" / "schemas" / name).read_text(encoding="utf-8"))


def validate(document: dict, name: str = "national-st-export.v1.json") -> None:
    spec = schema(name)
    cls = jsonschema.validators.validator_for(spec)
    cls(spec, format_checker=cls.FORMAT_CHECKER).validate(document)


@pytest.fixture
def provinces(org, legal_days):
    """Province A: a signed contract, its expert with a private phone; province B: its own contract."""
    _, organisation, pi = host()
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=timezone.get_current_timezone()), tick=False):
        mine = signed_contract(
            org.officer_a,
            organisation,
            pi,
            task_code="HN-2027-01",
            start_on=dt.date(2027, 1, 4),
            end_on=dt.date(2027, 10, 29),
        )
        _, org_b, pi_b = host("congty_b", "Công ty Phần mềm Bình Minh")
        signed_contract(org.officer_b, org_b, pi_b, title="Nhiệm vụ của TP. Hồ Chí Minh", task_code="HCM-1")
    expert = make_expert(org.officer_a, "Phạm Minh Đức")
    services.create_record(E("ExpertContact"), org.officer_a, {"expert": expert.pk, "phone": "0912345678"})
    make_expert(org.officer_b, "Chuyên gia TP.HCM")
    return org, mine, expert


def test_the_package_follows_the_published_schema_and_holds_only_the_provinces_own_rows(provinces):
    org, contract, _expert = provinces
    document = national_export.for_user(org.officer_a, org.province_a)
    validate(document)
    assert (document["format"], document["version"]) == ("onemst.stm.national-export", "1.0")
    assert document["province"] == {"unit_code": "SKHCN-01", "name": "Sở KH&CN Hà Nội", "province_code": "01"}
    [task] = document["tasks"]
    assert task["id"] == "SKHCN-01:HN-2027-01" and task["title"] == contract.title
    assert task["contract"]["state_budget"] == 1_000_000_000 and task["contract"]["ends_on"] == "2027-10-29"
    assert (task["status"], task["source"], task["acceptance"]) == ("active", "system", None)
    assert [e["full_name"] for e in document["experts"]] == ["Phạm Minh Đức"]
    assert "0912345678" not in json.dumps(document)  # contacts stay with the province
    # the schema is not a rubber stamp
    broken = dict(document, tasks=[dict(task, status="lost")])
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    with pytest.raises(jsonschema.ValidationError):
        validate({k: v for k, v in document.items() if k != "experts"})


def test_the_file_export_is_scoped_like_every_other_route(provinces):
    org, _contract, _expert = provinces
    client = Client()
    client.force_login(org.officer_a)
    answer = client.get("/stm/national-export.json")
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    validate(json.loads(answer.content))
    # province B's officer cannot export A, by the file or by GraphQL
    client.force_login(org.officer_b)
    assert client.get(f"/stm/national-export.json?unit={org.province_a.pk}").status_code == 404
    own = json.loads(client.get("/stm/national-export.json").content)
    assert [t["code"] for t in own["tasks"]] == ["HCM-1"]
    query = "query($u: ID) { stmNationalExport(unit: $u) }"
    refused = run(query, {"u": str(org.province_a.pk)}, user=org.officer_b)
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    mine = run(query, {"u": str(org.province_a.pk)}, user=org.officer_a)
    assert [t["code"] for t in mine["data"]["stmNationalExport"]["tasks"]] == ["HN-2027-01"]
    client.force_login(applicant("vien_la"))
    assert client.get("/stm/national-export.json").status_code == 403


@pytest.fixture
def receiver():
    started = Gateway(fail=2)
    with override_settings(STM_NATIONAL_URL=started.url, STM_NATIONAL_TOKEN=TOKEN):
        yield started
    started.close()


def test_the_package_reaches_a_receiver_that_fails_then_recovers(provinces, receiver):
    org, _contract, _expert = provinces
    message = national_export.enqueue(org.province_a)
    assert message is not None and message.channel == "national_st"
    outbox.deliver(timezone.now())
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1  # the receiver answered 503
    now = timezone.now()
    for _ in range(6):  # the worker's runs over the next hours, each past the backoff
        now += dt.timedelta(minutes=30)
        outbox.deliver(now)
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 3
    assert len(receiver.received) == 3  # two refused, one accepted, never again
    keys = {headers["Idempotency-Key"] for _body, headers in receiver.received}
    assert keys == {message.key}  # one key on every attempt: a repeat can be recognised
    body, headers = receiver.received[-1]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    validate(body)
    assert [t["code"] for t in body["tasks"]] == ["HN-2027-01"]
    # nothing changed: nothing queued again; a change: a new package
    assert national_export.enqueue(org.province_a) is None
    make_expert(org.officer_a, "Chuyên gia mới")
    again = national_export.enqueue(org.province_a)
    assert again is not None and again.key != message.key
    assert OutboxMessage.objects.filter(channel="national_st").count() == 2


def test_nothing_is_queued_while_the_national_endpoint_is_not_configured(provinces):
    org, _contract, _expert = provinces
    assert national_export.enqueue(org.province_a) is None
    assert not OutboxMessage.objects.filter(channel="national_st").exists()


def national_list(*tasks: dict) -> dict:
    return {
        "format": "onemst.stm.national-tasks",
        "version": "1.0",
        "generated_at": "2027-02-01T08:00:00+07:00",
        "tasks": list(tasks),
    }


def national_task(code: str, name: str = "NGUYỄN VĂN AN", tax_code: str = "0100", **extra) -> dict:
    return {
        "code": code,
        "title": "Nhiệm vụ cấp quốc gia",
        "managing_body": "Bộ Khoa học và Công nghệ",
        "investigator": {"full_name": name},
        "organisation": {"name": "Viện Công nghệ thông tin", "tax_code": tax_code},
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
    } | extra


def post_list(document, token: str = INBOUND):
    return Client().post(
        "/stm/quoc-gia/nhiem-vu-dang-thuc-hien",
        json.dumps(document),
        content_type="application/json",
        HTTP_X_NATIONAL_TOKEN=token,
    )


@override_settings(STM_NATIONAL_INBOUND_TOKEN=INBOUND)
def test_the_national_list_comes_down_whole_and_a_bad_one_is_refused_whole(org):
    rows = registry.model_for("stm.NationalTask").objects
    assert post_list(national_list(national_task("KC.01/21-25")), token="wrong").status_code == 401
    validate(
        national_list(national_task("KC.01/21-25"), national_task("KC.02/21-25")), "national-st-tasks.v1.json"
    )
    answer = post_list(
        national_list(national_task("KC.01/21-25"), national_task("KC.02/21-25", "Lê Thị Hoa"))
    )
    assert answer.status_code == 200 and answer.json()["added"] == 2
    bad = national_task("KC.03/21-25")
    del bad["investigator"]
    refused = post_list(national_list(national_task("KC.04/21-25"), bad))
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "tasks/1"
    assert "investigator" in refused.json()["message"]
    assert rows.count() == 2  # nothing of the refused list was kept
    # the list is whole: a code missing from the next one is no longer in progress
    assert post_list(national_list(national_task("KC.01/21-25"))).json() == {
        "ok": True,
        "added": 0,
        "updated": 0,
        "unchanged": 1,
        "ended": 1,
    }
    assert list(rows.filter(in_progress=True).values_list("code", flat=True)) == ["KC.01/21-25"]


@override_settings(STM_NATIONAL_INBOUND_TOKEN=INBOUND)
def test_an_investigator_on_the_national_list_is_barred_end_to_end(org, legal_days):
    """§7.2: the principal investigator must not lead another national task. The national list
    spells the name in capitals; the organisation is matched by its tax code (0100)."""
    assert post_list(national_list(national_task("KC.01/21-25"))).status_code == 200
    user = applicant("vien_cntt")
    hostorg = services.create_record(E("HostOrganisation"), user, {"name": "Viện CNTT", "tax_code": "0100"})
    leading, free = add_pi(user, hostorg), add_pi(user, hostorg, "Phạm Thị Lan")
    with time_machine.travel(T0, tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a))
        notice2 = publish(org.officer_a, make_notice(org.officer_a))
        barred = fire(user, make_dossier(user, notice, hostorg, leading), "SelectionDossier", "submit")
        eligible = fire(user, make_dossier(user, notice, hostorg, free), "SelectionDossier", "submit")
    assert [r["code"] for r in barred.eligibility] == ["PI_LEADS_NATIONAL_TASK"] and not barred.eligible
    assert eligible.eligible and eligible.eligibility == []
    # the national task ends (it leaves the list): the same investigator may lead again
    assert post_list(national_list(national_task("KC.09/21-25", "Ai Khác"))).json()["ended"] == 1
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        again = fire(user, make_dossier(user, notice2, hostorg, leading), "SelectionDossier", "submit")
    assert again.eligible


def test_the_national_list_by_hand_is_for_a_platform_administrator_only(org):
    query = "mutation($d: JSON!) { stmNationalTasksImport(document: $d) { ok added errors { code } } }"
    document = national_list(national_task("KC.01/21-25"))
    refused = run(query, {"d": document}, user=org.officer_a)["data"]["stmNationalTasksImport"]
    assert not refused["ok"] and refused["errors"][0]["code"] == "PERMISSION_DENIED"
    taken = run(query, {"d": document}, user=org.admin)["data"]["stmNationalTasksImport"]
    assert taken == {"ok": True, "added": 1, "errors": []}
