"""A tiny GraphQL-over-HTTP helper for tests (Django test client, real view and DB)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


def run(
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    user: Any = None,
    token: str | None = None,
    client: Client | None = None,
) -> dict[str, Any]:
    client = client or Client()
    if user is not None:
        client.force_login(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    body = response.json()
    body["_status"] = response.status_code
    return body
