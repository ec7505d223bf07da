"""Safe retries (issue 11, point 10): a create sent again with the same idempotency key returns
the first record instead of a second one, also when two retries race and when the client
dropped the connection after sending."""

from __future__ import annotations

import datetime as dt
import json
import socket
import struct
import threading
import time
from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from modules.engine import idempotency, jobs, registry
from modules.engine.models import ApiToken
from tests.conftest import make_user
from tests.graphql import run
from tests.live_server import daphne_server, post_graphql
from tests.onestop_helpers import make_procedure
from tests.tasks_helpers import in_working_days

CREATE = """mutation($input: TaskCreateInput!, $key: String) {
    createTask(input: $input, idempotencyKey: $key) {
        ok errors { field code message } node { id number title } } }"""
CREATE_PROJECT = """mutation($key: String) {
    createSampleProject(input: {title: "Dự án", priority: NORMAL}, idempotencyKey: $key) {
        ok errors { field code } node { id } } }"""
RECEIVE = """mutation($i: DossierReceiveInput!, $key: String) {
    dossierReceive(input: $i, idempotencyKey: $key) { ok id code errors { field code } } }"""


def task_input(org: Any, title: str = "Báo cáo sơ kết 6 tháng") -> dict[str, Any]:
    return {
        "title": title,
        "content": "Tổng hợp và gửi Bộ.",
        "ownerUnit": str(org.province_a.pk),
        "deadline": in_working_days(10).isoformat(),
    }


def tasks() -> Any:
    return registry.model_for("tasks.Task").objects


def keys() -> Any:
    return idempotency._model().objects


# --- one record per key --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_retried_create_returns_the_first_record(org):
    variables = {"input": task_input(org), "key": "c0ffee-2026-0001"}
    first = run(CREATE, variables, user=org.leader)["data"]["createTask"]
    again = run(CREATE, variables, user=org.leader)["data"]["createTask"]
    assert first["ok"] and again["ok"], (first, again)
    assert again["node"] == first["node"]  # same id, same number
    assert tasks().count() == 1
    assert keys().get().record_id == int(first["node"]["id"])


@pytest.mark.django_db
def test_without_a_key_each_create_is_a_new_record(org):
    for _ in range(2):
        assert run(CREATE, {"input": task_input(org)}, user=org.leader)["data"]["createTask"]["ok"]
    assert tasks().count() == 2 and not keys().exists()


@pytest.mark.django_db
def test_the_same_key_with_another_input_is_refused(org):
    run(CREATE, {"input": task_input(org), "key": "k-1"}, user=org.leader)
    other = run(CREATE, {"input": task_input(org, "Tên khác"), "key": "k-1"}, user=org.leader)
    payload = other["data"]["createTask"]
    assert payload["ok"] is False and payload["node"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("idempotencyKey", "IDEMPOTENCY_KEY_REUSED")
    ]
    assert "idempotency key" in payload["errors"][0]["message"]
    # and for another operation
    project = run(CREATE_PROJECT, {"key": "k-1"}, user=org.leader)["data"]["createSampleProject"]
    assert [e["code"] for e in project["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert tasks().count() == 1 and not registry.model_for("sample.SampleProject").objects.exists()


@pytest.mark.django_db
def test_keys_belong_to_one_user(org):
    variables = {"input": task_input(org), "key": "shared-key"}
    mine = run(CREATE, variables, user=org.leader)["data"]["createTask"]
    theirs = run(CREATE, variables, user=org.head_a)["data"]["createTask"]
    assert mine["ok"] and theirs["ok"]
    assert mine["node"]["id"] != theirs["node"]["id"] and tasks().count() == 2


@pytest.mark.django_db
def test_a_refused_create_leaves_no_key_so_the_corrected_retry_runs(org):
    bad = task_input(org) | {"title": ""}
    refused = run(CREATE, {"input": bad, "key": "fix-and-retry"}, user=org.leader)["data"]["createTask"]
    assert refused["ok"] is False and not keys().exists() and not tasks().exists()
    fixed = run(CREATE, {"input": task_input(org), "key": "fix-and-retry"}, user=org.leader)
    assert fixed["data"]["createTask"]["ok"] and tasks().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 201, "khoá có dấu", "a b", "a\nb"])
def test_a_malformed_key_is_a_typed_error(org, key):
    answer = run(CREATE, {"input": task_input(org), "key": key}, user=org.leader)["data"]["createTask"]
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [("idempotencyKey", "INVALID")]
    assert not tasks().exists()


@pytest.mark.django_db
def test_the_http_header_works_for_a_single_mutation_only(org):
    client = Client()
    client.force_login(org.leader)

    def post(query: str, variables: dict[str, Any], **headers: str) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables})
        return client.post("/graphql/", body, content_type="application/json", headers=headers).json()

    variables = {"input": task_input(org)}
    first = post(CREATE, variables, **{"Idempotency-Key": "hdr-1"})["data"]["createTask"]
    again = post(CREATE, variables, **{"Idempotency-Key": "hdr-1"})["data"]["createTask"]
    assert first["ok"] and again["node"] == first["node"] and tasks().count() == 1
    # the argument wins over the header
    argued = post(CREATE, {**variables, "key": "arg-1"}, **{"Idempotency-Key": "hdr-1"})
    assert argued["data"]["createTask"]["node"]["id"] != first["node"]["id"]
    two = """mutation($input: TaskCreateInput!) {
        a: createTask(input: $input) { ok errors { field code } }
        b: createTask(input: $input) { ok errors { field code } } }"""
    both = post(two, variables, **{"Idempotency-Key": "hdr-2"})["data"]
    assert (
        [e["code"] for e in both["a"]["errors"]] == ["AMBIGUOUS"] == [e["code"] for e in both["b"]["errors"]]
    )
    assert tasks().count() == 2


@pytest.mark.django_db
def test_keys_expire_and_the_periodic_job_deletes_them(org, settings):
    settings.ONEMST_IDEMPOTENCY_HOURS = 24
    variables = {"input": task_input(org), "key": "old-key"}
    first = run(CREATE, variables, user=org.leader)["data"]["createTask"]
    keys().update(created_at=timezone.now() - dt.timedelta(hours=25))
    later = run(CREATE, variables, user=org.leader)["data"]["createTask"]
    assert later["ok"] and later["node"]["id"] != first["node"]["id"]  # an expired key is a new request
    assert keys().get().record_id == int(later["node"]["id"])
    keys().update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert "engine.idempotency_keys" in [job.name for job in jobs.registered()]
    assert jobs.tick()["engine.idempotency_keys"] == "1 expired idempotency keys deleted"
    assert not keys().exists()


@pytest.mark.django_db
def test_a_retried_counter_receipt_gets_the_same_dossier_code(org, legal_days):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    values = {
        "procedure": str(procedure.pk),
        "applicantName": "Trần Thị Lan",
        "address": "12 Nguyễn Huệ, Quận 1, TP.HCM",
        "phone": "0903 123 456",
        "components": [
            {"name": c.name, "copyKind": c.copy_kind.upper(), "provided": True} for c in procedure.components.all()
        ],
    }
    first = run(RECEIVE, {"i": values, "key": "quay-1-0001"}, user=clerk)["data"]["dossierReceive"]
    again = run(RECEIVE, {"i": values, "key": "quay-1-0001"}, user=clerk)["data"]["dossierReceive"]
    assert first["ok"], first
    assert (again["id"], again["code"]) == (first["id"], first["code"])
    assert registry.model_for("onestop.Dossier").objects.count() == 1


@pytest.mark.django_db
def test_a_retried_new_form_version_gets_the_same_draft(org, legal_days):
    from tests.reporting_helpers import make_form, make_regime

    form = make_form(org.admin, make_regime(org.admin, org.office))
    query = """mutation($id: ID!, $key: String) {
        reportFormNewVersion(id: $id, idempotencyKey: $key) { ok id errors { code } } }"""
    first = run(query, {"id": str(form.pk), "key": "new-draft-1"}, user=org.admin)["data"]
    again = run(query, {"id": str(form.pk), "key": "new-draft-1"}, user=org.admin)["data"]
    assert first["reportFormNewVersion"]["ok"], first
    assert again["reportFormNewVersion"]["id"] == first["reportFormNewVersion"]["id"]
    assert registry.model_for("reporting.ReportForm").objects.count() == 2  # the form and one draft


# --- concurrent retries ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_record(org):
    """Four requests with the same key at the same moment, each on its own connection
    (on PostgreSQL they meet at the unique index; SQLite serialises the writers)."""
    variables = {"input": task_input(org), "key": "race-1"}
    start = threading.Barrier(4)
    answers: list[dict[str, Any]] = []

    def attempt() -> None:
        try:
            client = Client()
            client.force_login(org.leader)
            start.wait()
            answers.append(run(CREATE, variables, client=client)["data"]["createTask"])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 4 and all(a["ok"] for a in answers), answers
    assert len({a["node"]["id"] for a in answers}) == 1
    assert tasks().count() == 1 and keys().count() == 1


# --- a dropped connection, on a real server -----------------------------------------------------------


def _send_and_drop(base: str, token: str, body: bytes, *, wait_for: Any = None) -> None:
    """Send a whole HTTP request, then close the socket without reading the answer (RST)."""
    address = urlparse(base)
    sock = socket.create_connection((address.hostname, address.port), timeout=30)
    head = (
        f"POST /graphql/ HTTP/1.1\r\nHost: {address.hostname}:{address.port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock.sendall(head + body)
    if wait_for is not None:
        deadline = time.monotonic() + 30
        while not wait_for() and time.monotonic() < deadline:
            time.sleep(0.05)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.django_db(transaction=True)
def test_a_client_that_drops_after_sending_retries_into_one_record(org):
    _, token = ApiToken.issue(org.leader, "retrying client")
    with daphne_server() as base:
        # 1. the write is saved, but the client hangs up before it reads the answer
        saved = {"input": task_input(org, "Lưu rồi mới mất kết nối"), "key": "drop-after-save"}
        body = json.dumps({"query": CREATE, "variables": saved}).encode()
        _send_and_drop(base, token, body, wait_for=lambda: keys().filter(key="drop-after-save").exists())
        assert tasks().filter(title="Lưu rồi mới mất kết nối").count() == 1
        retry = post_graphql(base, token, CREATE, saved)["data"]["createTask"]
        assert retry["ok"], retry
        original = tasks().get(title="Lưu rồi mới mất kết nối")
        assert (retry["node"]["id"], retry["node"]["number"]) == (str(original.pk), original.number)

        # 2. the client hangs up the moment the request is sent: saved or not, a retry makes one
        dropped = {"input": task_input(org, "Mất kết nối ngay"), "key": "drop-at-once"}
        _send_and_drop(base, token, json.dumps({"query": CREATE, "variables": dropped}).encode())
        time.sleep(1)
        for _ in range(2):
            again = post_graphql(base, token, CREATE, dropped)["data"]["createTask"]
            assert again["ok"], again
        assert tasks().filter(title="Mất kết nối ngay").count() == 1
        assert str(tasks().get(title="Mất kết nối ngay").pk) == again["node"]["id"]
    assert tasks().count() == 2
