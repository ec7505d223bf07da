"""The answer encoder (schema/rawjson.dumps, orjson) writes the bytes the standard library
writes with the view's options, for what a GraphQL answer holds, and takes the standard
library's way for what orjson refuses. The expected text is the standard library's own."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy

from schema import rawjson

OPTIONS = {"separators": (",", ":"), "ensure_ascii": False}

SHAPES = [
    {"data": {"units": {"results": [{"id": "1", "name": "Sở KH&CN Hà Nội", "active": True, "n": None}]}}},
    {"text": "".join(chr(i) for i in range(0x30)) + "\u007f\u2028\u2029\ufeffé\"\\/"},
    {"numbers": [0, -1, 2**63 - 1, -(2**63), 0.1, 2.5, -0.0, 1e16, 1.5e300, 123456789.125]},
    {"nested": [[[]], {}, [{"a": [1, {"b": "c"}]}]], "tuple": (1, "hai")},
    {"data": None, "errors": [{"message": "Không tìm thấy. / Not found.", "extensions": {"code": "NOT_FOUND"}}]},
    # what DjangoJSONEncoder.default writes, through orjson's default
    {"when": dt.datetime(2026, 12, 1, 8, 30, 15, 123456, tzinfo=dt.UTC), "day": dt.date(2026, 12, 1)},
    {"time": dt.time(8, 30), "span": dt.timedelta(days=1, seconds=5), "amount": Decimal("12.50")},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "label": gettext_lazy("Hủy")},
    # refused by orjson: the standard library's way
    {"big": 2**70},
    {1: "a key that is not a string"},
]


@pytest.mark.parametrize("data", SHAPES)
def test_the_same_text_as_the_standard_library(data):
    expected = json.dumps(data, cls=DjangoJSONEncoder, **OPTIONS)
    assert rawjson.dumps(data, DjangoJSONEncoder, **OPTIONS) == expected


def test_raw_json_is_spliced_in_as_it_is():
    data = {"data": {"list": rawjson.RawJSON('[{"id":"1","name":"Hà Nội"}]'), "n": 2**70}}
    for value in (data, {"data": {"list": rawjson.RawJSON("[]")}}):
        text = rawjson.dumps(value, DjangoJSONEncoder, **OPTIONS)
        assert json.loads(text)["data"]["list"] == json.loads(value["data"]["list"].text)
    assert rawjson.dumps(data, DjangoJSONEncoder, **OPTIONS) == (
        '{"data":{"list":[{"id":"1","name":"Hà Nội"}],"n":' + str(2**70) + "}}"
    )


def test_what_neither_can_encode_is_the_same_error():
    with pytest.raises(TypeError):
        json.dumps({"x": object()}, cls=DjangoJSONEncoder, **OPTIONS)
    with pytest.raises(TypeError):
        rawjson.dumps({"x": object()}, DjangoJSONEncoder, **OPTIONS)
