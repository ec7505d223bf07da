"""Telling the applicant, through the engine's outbox: receipt, Mẫu 02, Mẫu 03, Mẫu 04, result.

NĐ 61/2018 (domain.md §1.3): applicants are notified by email/SMS at receipt; the one-stop
unit notifies the applicant of a new date (step 5) and of the result (step 6). Each notice is
written in the transaction of the change (none for a change that rolled back), sent after
commit by the job worker, retried with backoff (the declared 30 s, doubled per failure) and,
after the declared 8 attempts, left failed and visible in the admin.

Real parts: Django's locmem email backend, and a real HTTP server started here as the SMS gateway.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client, override_settings
from django_q.models import OrmQ

from modules.engine import outbox
from modules.engine.models import OutboxMessage
from modules.onestop.api import receive, reschedule
from tests.conftest import make_user
from tests.onestop_helpers import applicant, fire, make_procedure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
RAW_CODES = ("accepted", "processing", "refused", "processed", "returned", "waiting_supplement", "on_time")


def at(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=HCM)


def at_time(when: dt.datetime, call, *args, **kwargs):
    with time_machine.travel(when, tick=False):
        return call(*args, **kwargs)


class Gateway:
    """A tiny SMS gateway over real HTTP: answers 503 to the first `fail` posts, then 200."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.received: list[tuple[dict, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server calls it by this name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.received.append((body, dict(self.headers)))
                status = 503 if len(gateway.received) <= gateway.fail else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    started = Gateway(fail=2)
    with override_settings(SMS_GATEWAY_URL=started.url):
        yield started
    started.close()


@pytest.fixture
def clerk(org):
    return make_user("clerk", org.office, ("onestop_clerk",))


@pytest.fixture
def procedure(org, legal_days):
    return make_procedure(org, days=6)


def test_each_step_tells_the_applicant_in_vietnamese_with_the_rules_dates(org, clerk, procedure):
    """Received Mon 2/11/2026 9:00, 6 working days → Tue 10/11; Mẫu 02 on 3/11; back complete
    Wed 4/11 → restarts: Thu 12/11; apology Mon 9/11 with new date Tue 17/11; result on 16/11."""
    dossier = at_time(at("2026-11-02", 9), receive, clerk, applicant(procedure))
    dossier = at_time(at("2026-11-02", 10), fire, clerk, dossier, "start")
    dossier = at_time(at("2026-11-03", 9), fire, clerk, dossier, "request_supplement", "Bản sao hợp đồng")
    dossier = at_time(at("2026-11-04", 9), fire, clerk, dossier, "supplement_received")
    assert dossier.promised_date == dt.date(2026, 11, 12)
    dossier = at_time(
        at("2026-11-09", 9),
        reschedule,
        clerk,
        dossier.pk,
        dossier.version,
        dt.date(2026, 11, 17),
        "Chờ thẩm định",
    )
    dossier = at_time(at("2026-11-16", 9), fire, org.admin, dossier, "advance")
    dossier = at_time(at("2026-11-16", 10), fire, org.admin, dossier, "process")
    assert len(mail.outbox) == 0  # nothing is sent by the change itself: the worker sends
    assert outbox.deliver() == "4 sent, 0 failed, 0 waiting"
    by_subject = {m.subject: m for m in mail.outbox}
    code = dossier.number
    assert list(by_subject) == [
        f"[Một cửa] Đã tiếp nhận hồ sơ {code}",
        f"[Một cửa] Yêu cầu bổ sung, hoàn thiện hồ sơ {code}",
        f"[Một cửa] Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
        f"[Một cửa] Đã có kết quả giải quyết hồ sơ {code}",
    ]
    bodies = [m.body for m in mail.outbox]
    assert "Ngày hẹn trả kết quả: 10/11/2026" in bodies[0]
    assert "Bản sao hợp đồng" in bodies[1] and "tính lại từ đầu" in bodies[1]
    assert "Ngày hẹn trả kết quả mới: 17/11/2026" in bodies[2] and "ngày 12/11/2026" in bodies[2]
    assert "Chờ thẩm định" in bodies[2]
    assert "Nơi nhận kết quả: Tại Bộ phận một cửa" in bodies[3]
    for message in mail.outbox:
        assert message.to == ["lienhe@saomai.vn"] and message.body.startswith("Kính gửi Công ty CP")
        assert message.body.index("Kính gửi") < message.body.index("---")  # Vietnamese first, then English
        words = set(message.body.replace(".", " ").replace(",", " ").split())
        assert not words & set(RAW_CODES), words & set(RAW_CODES)
    assert outbox.deliver() == "0 sent, 0 failed, 0 waiting"  # each sent once


def test_a_refusal_tells_the_applicant_its_reason(org, clerk, procedure):
    from modules.engine import registry, services

    entity = registry.entity_by_label("onestop.Dossier")
    online = at_time(
        at("2026-11-07", 9), services.create_record, entity, clerk, applicant(procedure, channel="online")
    )
    at_time(at("2026-11-09", 9), fire, clerk, online, "refuse", "Không thuộc thẩm quyền giải quyết")
    outbox.deliver()
    (message,) = mail.outbox
    assert message.subject == "[Một cửa] Từ chối tiếp nhận giải quyết hồ sơ"
    assert "ngày 09/11/2026" in message.body and "Lý do: Không thuộc thẩm quyền giải quyết" in message.body


def test_a_change_that_rolls_back_queues_nothing_and_the_worker_is_asked_after_commit(
    org, clerk, procedure, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), transaction.atomic():
        receive(clerk, applicant(procedure))
        assert OutboxMessage.objects.count() == 1  # written with the change ...
        raise RuntimeError("the request failed after the dossier was saved")
    assert OutboxMessage.objects.count() == 0  # ... and gone with it
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        receive(clerk, applicant(procedure))
        assert not OrmQ.objects.exists()  # the worker is not asked before the commit
    for callback in waiting:
        callback()
    assert OrmQ.objects.count() >= 1  # after commit, django-q2 has the delivery task
    assert OrmQ.objects.first().func() == outbox.DELIVER


def test_sms_goes_to_the_gateway_with_retries_and_backoff(org, clerk, procedure, gateway):
    """The gateway fails twice: the first retry waits 30 s, the second 60 s (30 s doubled)."""
    dossier = at_time(at("2026-11-02", 9), receive, clerk, applicant(procedure))
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.recipient == "0912345678" and sms.topic == "receipt"
    t0 = at("2026-11-02", 9, 1)
    outbox.deliver(now=t0)
    sms.refresh_from_db()
    assert (sms.attempts, sms.next_attempt_at, sms.sent_at) == (1, t0 + dt.timedelta(seconds=30), None)
    assert "503" in sms.last_error
    outbox.deliver(now=t0 + dt.timedelta(seconds=29))  # not due yet: not tried
    assert len(gateway.received) == 1
    t1 = t0 + dt.timedelta(seconds=30)
    outbox.deliver(now=t1)
    sms.refresh_from_db()
    assert (sms.attempts, sms.next_attempt_at) == (2, t1 + dt.timedelta(seconds=60))
    outbox.deliver(now=t1 + dt.timedelta(seconds=60))
    sms.refresh_from_db()
    assert sms.sent_at is not None and sms.attempts == 3 and sms.last_error == ""
    body, headers = gateway.received[-1]
    assert body == {
        "to": "0912345678",
        "text": f"Hồ sơ {dossier.number} đã được tiếp nhận. Hẹn trả kết quả ngày 10/11/2026.",
        "id": sms.key,
    }
    assert headers["Idempotency-Key"] == sms.key
    assert len(mail.outbox) == 1  # the email was not held back by the SMS's failures


def test_no_gateway_no_sms(org, clerk, procedure):
    with override_settings(SMS_GATEWAY_URL=""):
        receive(clerk, applicant(procedure))
    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["email"]


def test_later_notices_wait_for_an_earlier_one_of_their_stream(org, clerk, procedure, gateway):
    """Order per stream: the Mẫu 02 SMS is not sent before the receipt SMS."""
    dossier = at_time(at("2026-11-02", 9), receive, clerk, applicant(procedure))
    at_time(at("2026-11-03", 9), fire, clerk, dossier, "request_supplement", "Bản sao hợp đồng")
    t0 = at("2026-11-03", 9, 5)
    outbox.deliver(now=t0)  # receipt SMS fails (503): the supplement SMS waits
    assert [b["text"][:30] for b, _h in gateway.received] == [f"Hồ sơ {dossier.number} đã được"[:30]]
    outbox.deliver(now=t0 + dt.timedelta(seconds=30))  # fails again
    outbox.deliver(now=t0 + dt.timedelta(seconds=90))  # receipt sent, then the supplement
    texts = [b["text"] for b, _h in gateway.received]
    assert "đã được tiếp nhận" in texts[2] and "cần bổ sung" in texts[3] and len(texts) == 4


def test_after_the_last_attempt_the_failure_is_visible_in_the_admin_and_can_be_sent_again(
    org, clerk, procedure
):
    down = Gateway(fail=100)
    try:
        with override_settings(SMS_GATEWAY_URL=down.url):
            at_time(at("2026-11-02", 9), receive, clerk, applicant(procedure))
            now = at("2026-11-02", 9, 1)
            for _ in range(8):  # the declared max_attempts
                outbox.deliver(now=now)
                now += dt.timedelta(hours=2)
            sms = OutboxMessage.objects.get(channel="sms")
            assert sms.attempts == 8 and sms.failed_at is not None and sms.next_attempt_at is None
            outbox.deliver(now=now + dt.timedelta(days=1))
            assert OutboxMessage.objects.get(pk=sms.pk).attempts == 8  # given up: not tried again
            admin = Client()
            admin.force_login(org.admin)
            page = admin.get("/admin/engine/outboxmessage/?delivery=failed").content.decode()
            assert "0912345678" in page and "503" in page
            assert "Tin nhắn SMS" in page and "Tiếp nhận hồ sơ" in page  # labels, not stored codes
            assert not re.search(r">\s*(onestop\.applicant|sms|receipt)\s*<", page)  # no code as text
            other = Client()
            other.force_login(clerk)
            assert other.get("/admin/engine/outboxmessage/").status_code == 403  # applicants' data
            answer = admin.post(
                "/admin/engine/outboxmessage/",
                {"action": "send_again", "_selected_action": [sms.pk]},
            )
            assert answer.status_code == 302
            sms.refresh_from_db()
            assert (sms.failed_at, sms.attempts) == (None, 0)
    finally:
        down.close()
