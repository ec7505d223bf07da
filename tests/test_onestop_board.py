"""Dossier KPIs (GraphQL and the admin agree) and the counter board, live in a real browser."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from modules.engine import registry
from modules.engine.models import ApiToken
from modules.onestop import kpis
from modules.onestop.api import receive
from tests.browser import chromium
from tests.conftest import make_user
from tests.graphql import run
from tests.live_server import daphne_server, post_graphql
from tests.onestop_helpers import applicant, fire, make_procedure, returned

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
KPIS = "query($a: Date!, $b: Date!) { dossierKpis(dateFrom: $a, dateTo: $b) { unit received onTime late inProgress onTimeRate } }"
RECEIVE = """mutation($i: DossierReceiveInput!) { dossierReceive(input: $i) { ok code errors { field message } } }"""


@pytest.mark.django_db
def test_kpis_per_unit_agree_in_graphql_and_the_admin(org, legal_days):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    done = returned(clerk, org.admin, procedure)
    assert done.classification == "done_on_time"
    late = fire(clerk, receive(clerk, applicant(procedure)), "start")
    # overdue: its promised date is gone (the KPIs read the date at the period's end, the
    # dashboard's headline the stored classification)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    type(late).objects.filter(pk=late.pk).update(
        classification="in_progress_overdue", promised_date=yesterday
    )
    fire(clerk, receive(clerk, applicant(procedure)), "start")
    today = timezone.localdate()
    rows = run(KPIS, {"a": str(today), "b": str(today)}, user=org.admin)["data"]["dossierKpis"]
    assert rows == [
        {
            "unit": org.department.name,
            "received": 3,
            "onTime": 1,
            "late": 1,
            "inProgress": 1,
            "onTimeRate": 50.0,
        }
    ]
    assert run(KPIS, {"a": str(today), "b": str(today)}, user=org.officer_b)["data"]["dossierKpis"] == []
    client = Client()
    client.force_login(org.admin)
    panel = client.get("/admin/").content.decode()
    # the headline on-time rate: 1 on time of 2 decided (one completed, one overdue), Vietnamese digits
    figure = panel[panel.index('data-figure="onestop.on_time_rate"') :][:1500]
    assert 'data-count="1"' in figure and 'data-total="2"' in figure and ">50 %<" in figure
    assert kpis.compute(org.admin, today, today)[0].received == 3


@pytest.mark.django_db(transaction=True)
def test_the_counter_board_counts_a_new_dossier_live(org, legal_days):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    for _ in range(2):
        fire(clerk, receive(clerk, applicant(procedure)), "start")
    _, board_token = ApiToken.issue(clerk, "Màn hình quầy", read_only=True)
    _, clerk_token = ApiToken.issue(clerk, "quầy 1")
    values = {
        "procedure": str(procedure.pk),
        "applicantName": "Trần Thị Lan",
        "applicantKind": "PERSON",
        "address": "12 Nguyễn Huệ, Quận 1, TP.HCM",
        "phone": "0903 123 456",
        "components": [{"name": c.name, "copyKind": c.copy_kind.upper()} for c in procedure.components.all()],
    }
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
        page.goto(f"{base}/board/dossiers/?token={board_token}")
        page.wait_for_selector("body[data-loaded]")
        page.wait_for_selector("#live.on")
        assert page.url == f"{base}/board/dossiers/" and board_token not in page.content()  # a board session
        assert page.inner_text("#t-received") == "2"
        page.evaluate("window.notReloaded = true")
        started = time.monotonic()
        made = post_graphql(base, clerk_token, RECEIVE, {"i": values})["data"]["dossierReceive"]
        assert made["ok"], made
        page.wait_for_function("document.getElementById('t-received').textContent === '3'", timeout=5000)
        assert time.monotonic() - started < 1.5 and page.evaluate("window.notReloaded") is True
        assert made["code"] in page.inner_text("#latest")
        assert page.inner_text("#t-backlog") != "0"  # no portal address in tests: events wait
        page.screenshot(path=str(SCREENS / "onestop-board.png"))
    refused = registry.model_for("onestop.Dossier").objects.count()
    assert refused == 3
