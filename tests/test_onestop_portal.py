"""The national-portal outbox: a real local HTTP receiver that fails the first attempts, and
one that takes an event but loses the answer. Every event arrives exactly once, in order per
dossier, with backoff between attempts."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.utils import timezone

from modules.engine import registry
from modules.onestop import outbox
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.onestop_helpers import applicant, fire, make_procedure

pytestmark = pytest.mark.django_db


class Portal:
    """A stand-in for the national portal: idempotent by key, with scripted failures."""

    def __init__(self, fail_first: int, lose_answer_of: int | None = None) -> None:
        self.fail_first, self.lose_answer_of = fail_first, lose_answer_of
        self.calls = 0
        self.accepted: dict[str, dict] = {}  # key -> body, first arrival only
        self.order: list[tuple[str, int]] = []  # (dossier code, status) as accepted
        self.lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                with portal.lock:
                    portal.calls += 1
                    call = portal.calls
                    if call <= portal.fail_first:
                        self.send_response(503)
                        self.end_headers()
                        return
                    if key not in portal.accepted:
                        portal.accepted[key] = body
                        portal.order.append((body["MaHoSo"], body["TrangThai"]))
                if call == portal.lose_answer_of:
                    self.connection.close()  # processed, but the answer never reaches the sender
                    return
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: object) -> None:
                return

        return Handler


def serve(portal: Portal) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), portal.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/api/hoso/dongbo"


def make_history(org, legal_days) -> list:
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    first = fire(clerk, receive(clerk, applicant(procedure)), "start")
    fire(org.admin, first, "advance")
    second = receive(
        clerk,
        applicant(
            procedure, applicant_name="Nguyễn Văn An", applicant_kind="person", applicant_id="001090012345"
        ),
    )
    fire(clerk, second, "refuse", "Không thuộc thẩm quyền")
    return [first, second]


def run_until_done(start: dt.datetime, limit: int = 40) -> list[str]:
    now, logs = start, []
    for _ in range(limit):
        logs.append(outbox.deliver(now))
        if outbox.backlog() == 0:
            return logs
        now += dt.timedelta(seconds=outbox.MAX_BACKOFF)
    raise AssertionError(f"never drained: {logs}")


def test_every_event_arrives_once_in_order_despite_failures_and_a_lost_answer(org, legal_days):
    dossiers = make_history(org, legal_days)
    events = registry.model_for("onestop.PortalEvent").objects.order_by("dossier_id", "sequence")
    expected = [(e.code, e.status_code) for e in events]
    assert [s for _c, s in expected] == [1, 2, 4, 1, 2, 3]  # new, accepted, processing / new, accepted, refused
    portal = Portal(fail_first=3, lose_answer_of=5)
    server, url = serve(portal)
    try:
        with override_settings(ONESTOP_PORTAL_URL=url):
            first = outbox.deliver(timezone.now())
            assert first.startswith("0 sent, 2 failed")  # one failure per dossier: later events wait
            retry = events.filter(attempts=1).first()
            assert retry.next_attempt_at - timezone.now() > dt.timedelta(seconds=20)  # backoff
            assert outbox.deliver(timezone.now()).startswith("0 sent, 0 failed")  # nothing due yet
            run_until_done(timezone.now() + dt.timedelta(seconds=outbox.MAX_BACKOFF))
    finally:
        server.shutdown()
    assert portal.calls > len(expected)  # failures and one redelivery happened
    for dossier in dossiers:
        mine = [status for code, status in portal.order if code == dossier.number]
        assert mine == [s for c, s in expected if c == dossier.number]  # each once, in order
    assert len(portal.accepted) == len(expected)
    assert all(e.delivered_at is not None for e in events.all())
    body = next(iter(portal.accepted.values()))
    assert set(body) == {"MaHoSo", "TrangThai", "ThoiGian", "DonViXuLy", "MaCoQuan", "Key"}


def test_without_a_portal_address_events_wait(org, legal_days):
    make_history(org, legal_days)
    with override_settings(ONESTOP_PORTAL_URL=""):
        assert outbox.deliver() == "no ONESTOP_PORTAL_URL: kept"
    assert outbox.backlog() == 6
