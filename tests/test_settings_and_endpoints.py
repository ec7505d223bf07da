"""Settings come from the environment; GraphiQL only in DEBUG; tokens expire; the sidebar follows the definitions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from modules.engine.models import ApiToken
from tests.graphql import run

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
db = settings.DATABASES["default"]
page = Client().get("/graphql/", HTTP_ACCEPT="text/html", HTTP_HOST="127.0.0.1")
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "language": settings.LANGUAGE_CODE, "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE, "debug": settings.DEBUG,
    "graphiql": page.status_code == 200 and b"graphiql" in page.content.lower(),
}))
"""


def settings_with(**env: str) -> dict[str, Any]:
    """Load config.settings in a fresh interpreter with exactly these variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings", SQLITE_PATH=str(ROOT / "var" / "probe.sqlite3"))
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_defaults_sqlite_in_memory_layer_vietnamese_and_hanoi_time():
    facts = settings_with()
    assert facts["engine"] == "django.db.backends.sqlite3"
    assert facts["name"].endswith("probe.sqlite3")
    assert facts["layer"] == "channels.layers.InMemoryChannelLayer"
    assert facts["language"] == "vi" and "en" in facts["languages"]
    assert facts["time_zone"] == "Asia/Ho_Chi_Minh"


def test_database_url_and_redis_url_switch_to_the_production_parts():
    facts = settings_with(
        DATABASE_URL="postgres://u:p@db.example:5433/onemst_prod", REDIS_URL="redis://cache.example:6380/2"
    )
    assert facts["engine"] == "django.db.backends.postgresql"
    assert facts["name"] == "onemst_prod" and facts["host"] == "db.example"
    assert facts["layer"] == "channels_redis.core.RedisChannelLayer"
    assert facts["hosts"] == ["redis://cache.example:6380/2"]


def test_graphiql_is_served_only_in_debug():
    assert settings_with(DEBUG="1")["graphiql"] is True
    production = settings_with(DEBUG="0")
    assert production["debug"] is False and production["graphiql"] is False


@pytest.mark.django_db
def test_expired_token_is_refused_with_401(org):
    token, raw = ApiToken.issue(org.officer_a, "short-lived")
    assert run("{ sampleProjects { totalCount } }", token=raw)["_status"] == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = run("{ sampleProjects { totalCount } }", token=raw)
    assert refused["_status"] == 401
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.django_db
def test_sidebar_is_generated_from_definitions_and_follows_role_permissions(org):
    """Officers see their modules' entities; the System group is for administrators only."""
    client = Client()
    client.force_login(org.officer_a)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "One MST" in page
    assert "Mô-đun mẫu" in page  # the sample module's group, from its definition
    assert "/admin/sample/sampleproject/" in page
    assert "/admin/auth/user/" not in page

    client.force_login(org.admin)
    admin_page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "/admin/auth/user/" in admin_page


@pytest.mark.django_db
def test_anonymous_api_client_gets_typed_401_style_error_not_a_csrf_page(org):
    """A frontend calling without credentials learns it must authenticate (JSON, typed code)."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/graphql/", {"query": "{ units { totalCount } }"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.django_db
def test_session_cookie_requests_still_need_csrf(org):
    """With a session cookie (the admin's login) a cross-site POST is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.officer_a)
    response = client.post("/graphql/", {"query": "{ units { totalCount } }"}, content_type="application/json")
    assert response.status_code == 403
