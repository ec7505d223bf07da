"""The GraphQL answer is UTF-8 with the Vietnamese letters as they are, and still valid JSON."""

from __future__ import annotations

import json
from contextlib import nullcontext

import pytest
from django.test import Client

from schema import fastpath

pytestmark = pytest.mark.django_db

QUERY = "{ units(pagination: {limit: 50}) { results { code name } } }"


def answer(user, *, fast: bool) -> bytes:
    client = Client()
    client.force_login(user)
    with fastpath.disabled() if not fast else nullcontext():
        response = client.post("/graphql/", json.dumps({"query": QUERY}), content_type="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.content


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "stock"])
def test_vietnamese_letters_are_raw_utf8(org, fast):
    body = answer(org.admin, fast=fast)
    # The names written in the fixture, as UTF-8 bytes, not as \u escapes.
    assert "Sở KH&CN TP. Hồ Chí Minh".encode() in body
    assert "Bộ Khoa học và Công nghệ".encode() in body
    assert b"\\u1edf" not in body and b"\\u" not in body  # "ở" would be \u1edf if escaped
    names = {u["name"] for u in json.loads(body.decode("utf-8"))["data"]["units"]["results"]}
    assert {"Sở KH&CN Hà Nội", "Văn phòng Bộ", "Vụ Kế hoạch - Tài chính"} <= names


def test_fast_path_and_stock_answer_the_same_bytes(org):
    assert answer(org.admin, fast=True) == answer(org.admin, fast=False)


def test_escapes_that_json_needs_are_kept(org):
    """Raw UTF-8 must not mean raw control characters: quotes and newlines stay escaped."""
    type(org.department).objects.filter(pk=org.department.pk).update(name='Vụ "Kế hoạch"\nTài chính')
    body = answer(org.admin, fast=True)
    assert b'\\"K\xe1\xba\xbf ho\xe1\xba\xa1ch\\"\\nT' in body
    assert b"\n" not in body
    names = {u["name"] for u in json.loads(body)["data"]["units"]["results"]}
    assert 'Vụ "Kế hoạch"\nTài chính' in names
