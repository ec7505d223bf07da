"""Production settings: no start without a secret key, HTTPS by environment, a clean
`check --deploy`, and refusals logged as one line (issue 11, point 9)."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from modules.engine import registry, services
from modules.engine.models import ApiToken
from tests.graphql import run

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "true",
    "ALLOWED_HOSTS": "onemst.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://onemst.example.gov.vn",
}


def _env(**values: str) -> dict[str, str]:
    """The platform's own settings (not the tests'), with exactly these variables on top."""
    dropped = {
        "DEBUG",
        "SECRET_KEY",
        "HTTPS",
        "BEHIND_PROXY",
        "DATABASE_URL",
        "REDIS_URL",
        "ONEMST_EXTRA_APPS",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        values, DJANGO_SETTINGS_MODULE="config.settings", SQLITE_PATH=str(ROOT / "var" / "probe.sqlite3")
    )
    return env


def _python(code: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(**values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _manage(*args: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(**values),
        capture_output=True,
        text=True,
        timeout=180,
    )


SETUP = "import django; django.setup(); from django.conf import settings; print('started', settings.DEBUG)"


def test_debug_false_without_a_secret_key_refuses_to_start():
    refused = _python(SETUP, DEBUG="false")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "SECRET_KEY" in refused.stderr
    assert "started" not in refused.stdout
    empty = _python(SETUP, DEBUG="false", SECRET_KEY="")
    assert empty.returncode != 0 and "SECRET_KEY" in empty.stderr
    # production with a key starts; `make run` (DEBUG unset: true) starts without one
    assert _python(SETUP, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64)).stdout.split() == [
        "started",
        "False",
    ]
    assert _python(SETUP).stdout.split() == ["started", "True"]


PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'redirect': s.SECURE_SSL_REDIRECT, 'proxy': s.SECURE_PROXY_SSL_HEADER, 'origins': s.CSRF_TRUSTED_ORIGINS}))"
)


def _facts(**values: str) -> dict:
    import json

    done = _python(PROBE, SECRET_KEY=secrets.token_urlsafe(64), **values)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_https_turns_on_secure_cookies_hsts_and_the_redirect_by_environment():
    plain = _facts(DEBUG="false")
    assert plain == {
        "session": False,
        "csrf": False,
        "hsts": 0,
        "redirect": False,
        "proxy": None,
        "origins": ["http://127.0.0.1:8000"],
    }
    https = _facts(**PRODUCTION)
    assert https["session"] is https["csrf"] is https["redirect"] is True
    assert https["hsts"] >= 365 * 24 * 3600 and https["proxy"] is None
    assert https["origins"] == ["https://onemst.example.gov.vn"]
    proxied = _facts(**PRODUCTION, BEHIND_PROXY="true", SECURE_SSL_REDIRECT="false", HSTS_SECONDS="600")
    assert proxied["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["redirect"] is False and proxied["hsts"] == 600


def test_check_deploy_is_clean_with_the_production_environment():
    done = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "no issues" in output and "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")
    # the same check does fail on what it should: plain HTTP and a short key
    weak = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "HTTPS": "false"}, SECRET_KEY="short"
    )
    assert weak.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009", "security.W012", "security.W016"):
        assert warning in weak.stdout + weak.stderr, warning


@pytest.mark.django_db
def test_hsts_secure_redirect_and_the_proxy_header_on_real_requests():
    https = {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SESSION_COOKIE_SECURE": True,
    }
    with override_settings(**https):
        client = Client()
        plain = client.get("/admin/login/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        proxied = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
        assert proxied.status_code == 200
        assert proxied["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


# --- 403s are one log line -----------------------------------------------------------------


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [line for line in caplog.text.splitlines() if line.strip()]


@pytest.mark.django_db
def test_an_admin_403_is_one_log_line_without_a_traceback(client, org, caplog):
    entity = registry.entity_by_label("sample.SampleProject")
    row = services.create_record(entity, org.officer_a, {"title": "A", "priority": "normal", "budget": 1})
    model = registry.model_for(entity)
    client.force_login(org.officer_b)  # another province's officer
    page = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_transition_approve", args=[row.pk]
    )
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert client.get(page).status_code == 403
    assert len(caplog.records) == 1, caplog.text
    assert caplog.records[0].exc_info is None and "Traceback" not in caplog.text
    assert len(_lines(caplog)) == 1 and "Forbidden" in caplog.text


@pytest.mark.django_db
def test_a_forbidden_graphql_mutation_is_one_log_line(org, caplog):
    _, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    create = 'mutation { createSampleProject(input: {title: "x", priority: NORMAL, budget: 1}) { ok } }'
    for kwargs, code in (({}, "UNAUTHENTICATED"), ({"token": raw}, "FORBIDDEN")):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answer = run(create, **kwargs)
        assert answer["errors"][0]["extensions"]["code"] == code, answer
        records = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(records) == 1, caplog.text
        assert records[0].exc_info is None and "Traceback" not in caplog.text
        assert len(_lines(caplog)) == 1 and code in caplog.text


@pytest.mark.django_db
def test_a_board_token_refusal_is_one_log_line_and_never_logs_the_token(org, caplog):
    _, full = ApiToken.issue(org.admin, "quyền đầy đủ")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert Client().get(f"/board/tasks/?token={full}").status_code == 403
    assert len(caplog.records) == 1, caplog.text
    assert caplog.records[0].exc_info is None and "Traceback" not in caplog.text
    assert len(_lines(caplog)) == 1 and full not in caplog.text
