"""The engine's outbox sent by the real job worker (django-q2's `qcluster`) after commit.

A dossier received at the counter commits one email and one SMS notice; the worker, started
here against the test database, is asked after commit and delivers both: the email through
Django's file-based backend (another process: locmem could not be read from here), the SMS
to a real HTTP gateway started in this test, which fails once first: the worker's own
minute tick (django-q2's schedule, `jobs.sync_schedules`) sends it again once the declared
30 s backoff is past.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modules.engine import jobs
from modules.engine.models import OutboxMessage
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.live_server import _database_env
from tests.onestop_helpers import applicant, make_procedure
from tests.test_onestop_notices import Gateway

ROOT = Path(__file__).resolve().parent.parent


def wait_for(check, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError("the worker did not deliver in time")


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_after_commit_and_the_sms_again_after_a_failure(org, legal_days, tmp_path, settings):
    gateway = Gateway(fail=1)
    settings.SMS_GATEWAY_URL = gateway.url
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        **_database_env(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SMS_GATEWAY_URL": gateway.url,
    }
    jobs.sync_schedules()  # the minute tick, as `make run` sets it up
    log = open(tmp_path / "qcluster.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        clerk = make_user("clerk", org.office, ("onestop_clerk",))
        dossier = receive(clerk, applicant(make_procedure(org, days=6)))  # commits: the worker is asked
        wait_for(lambda: mail_dir.exists() and any(mail_dir.iterdir()) and gateway.received)
        email = OutboxMessage.objects.get(channel="email")
        wait_for(lambda: OutboxMessage.objects.filter(pk=email.pk, sent_at__isnull=False).exists())
        written = "".join(p.read_text() for p in mail_dir.iterdir())
        assert dossier.number in written and "lienhe@saomai.vn" in written
        sms = OutboxMessage.objects.get(channel="sms")
        wait_for(lambda: OutboxMessage.objects.filter(pk=sms.pk, attempts=1).exists())
        sms.refresh_from_db()
        assert sms.sent_at is None and "503" in sms.last_error  # failed once: waits 30 s
        waits = sms.next_attempt_at - sms.created_at  # 30 s after the failed attempt (a few s after commit)
        assert dt.timedelta(seconds=30) <= waits <= dt.timedelta(seconds=90)
        wait_for(lambda: OutboxMessage.objects.filter(pk=sms.pk, sent_at__isnull=False).exists(), 180)
        sms.refresh_from_db()
        assert sms.attempts == 2 and len(gateway.received) == 2
        assert sms.sent_at >= sms.created_at + dt.timedelta(seconds=30)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        gateway.close()
