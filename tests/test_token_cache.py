"""API tokens are kept per process, and every revocation the platform can make is seen at once.

The cache saves the database query a bearer request paid for its token. What must not
change: a revoked, expired or deleted token, or a deactivated user's token, is refused
at the very next request, in every process. Only a change made outside Django (raw SQL)
waits, and for at most ONEMST_TOKEN_CACHE_SECONDS.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.engine import tokens
from modules.engine.models import ApiToken
from tests.graphql import run

QUERY = "{ units { totalCount } }"


def accepted(raw: str) -> bool:
    answer = run(QUERY, token=raw)
    if answer["_status"] == 401:
        assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        return False
    assert answer["_status"] == 200 and answer["data"]["units"]["totalCount"] == 5, answer
    return True


@pytest.mark.django_db
def test_a_known_token_costs_no_query(org):
    _, raw = ApiToken.issue(org.officer_a, "ci")
    assert tokens.user_for_token(raw) == org.officer_a  # first use: read from the table
    with CaptureQueriesContext(connection) as queries:
        user = tokens.user_for_token(raw)
    assert user == org.officer_a and len(queries) == 0, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_each_request_gets_its_own_user_object(org):
    """A read-only mark (or any per-request attribute) must not leak into another request."""
    _, raw = ApiToken.issue(org.officer_a, "board", read_only=True)
    first, second = tokens.user_for_token(raw), tokens.user_for_token(raw)
    assert first is not second and first.onemst_read_only and second.onemst_read_only
    first.onemst_read_only = False
    assert tokens.user_for_token(raw).onemst_read_only is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "revoke",
    [
        "queryset_update",  # the admin's "revoke" action
        "save",
        "expire_by_save",
        "delete",
        "deactivate_user",
        "read_only_then_used_for_write",
    ],
)
def test_every_revocation_is_refused_at_the_next_request(org, revoke):
    token, raw = ApiToken.issue(org.officer_a, "ci")
    assert accepted(raw) and accepted(raw)  # now kept in this process
    if revoke == "queryset_update":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    elif revoke == "save":
        token.revoked_at = timezone.now()
        token.save()
    elif revoke == "expire_by_save":
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save()
    elif revoke == "delete":
        token.delete()
    elif revoke == "deactivate_user":
        org.officer_a.is_active = False
        org.officer_a.save()
    else:
        ApiToken.objects.filter(pk=token.pk).update(read_only=True)
        assert tokens.user_for_token(raw).onemst_read_only is True
        return
    assert not accepted(raw)
    assert tokens.user_for_token(raw) is None


@pytest.mark.django_db
def test_a_token_that_expires_while_kept_is_refused(org):
    token, raw = ApiToken.issue(org.officer_a, "ci", expires_at=timezone.now() + timedelta(seconds=1.5))
    assert accepted(raw)
    time.sleep(max(0.0, (token.expires_at - timezone.now()).total_seconds()) + 0.1)
    assert not accepted(raw)


@pytest.mark.django_db
@override_settings(ONEMST_TOKEN_CACHE_SECONDS=1)
def test_a_revocation_outside_django_is_refused_within_the_bound(org):
    """Raw SQL fires no signal: the bound (here 1 s) is the longest a token survives it."""
    token, raw = ApiToken.issue(org.officer_a, "ci")
    assert accepted(raw)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ApiToken._meta.db_table} SET revoked_at = %s WHERE id = %s", [timezone.now(), token.pk]
        )
    time.sleep(1.05)
    assert not accepted(raw)


def _status(base: str, raw: str) -> int:
    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {raw}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_another_process_refuses_a_revoked_token_at_once(org):
    """The server keeps the token; the revocation happens here, in another process."""
    from tests.live_server import daphne_server

    token, raw = ApiToken.issue(org.officer_a, "ci")
    with daphne_server() as base:
        assert _status(base, raw) == 200 and _status(base, raw) == 200
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        assert _status(base, raw) == 401
