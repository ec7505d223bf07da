"""JSON text built elsewhere (by PostgreSQL), written into a GraphQL answer as it is.

The fast path can have PostgreSQL build a list's JSON (schema/fastpath_sql.py). Parsing it
back into Python objects only to encode them again would cost what it saves, so the
answer's dict holds a `RawJSON` and the HTTP view's encoder splices its text in.

`dumps` encodes with orjson (about 10× faster than the standard library on a 200-row
answer, and the same bytes for what a GraphQL answer holds: compact, UTF-8 as it is,
the same escapes; only a float under 1e-4 is written 1e-7 instead of 1e-07, the same
number), with `RawJSON` as `orjson.Fragment`. What orjson refuses (an integer
over 64 bits, a key that is not a string, a lone surrogate) goes the standard library's way.

Only a caller that encodes with `dumps` may receive one: the HTTP view says so with
`accepted()`; anywhere else (`schema.execute_sync`, subscriptions) `is_accepted()` is
False and the fast path renders Python objects as before.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

import orjson

_accepted: ContextVar[bool] = ContextVar("onemst_rawjson_accepted", default=False)
# A NUL cannot occur in PostgreSQL text, and JSON escapes it (\u0000), so a placeholder
# made of NULs and a per-process nonce cannot be mistaken for data.
_NONCE = secrets.token_hex(8)


class RawJSON:
    """A JSON value as text, already encoded the way the view encodes (compact, UTF-8)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"RawJSON({self.text[:60]!r}…)"


@contextmanager
def accepted() -> Iterator[None]:
    """Within the block, answers may hold `RawJSON` (the caller encodes with `dumps`)."""
    token = _accepted.set(True)
    try:
        yield
    finally:
        _accepted.reset(token)


def is_accepted() -> bool:
    return _accepted.get()


@cache
def _splicing(encoder: type[json.JSONEncoder]) -> type[json.JSONEncoder]:
    """`encoder` that writes a placeholder string for each `RawJSON` and keeps its text aside."""

    class Splicing(encoder):  # type: ignore[valid-type, misc]
        pieces: list[str]

        def default(self, o: Any) -> Any:
            if isinstance(o, RawJSON):
                self.pieces.append(o.text)
                return f"\x00{_NONCE}:{len(self.pieces) - 1}\x00"
            return super().default(o)

    return Splicing


def dumps(data: Any, encoder: type[json.JSONEncoder], **options: Any) -> str:
    """`json.dumps(data, cls=encoder, separators=(",", ":"), ensure_ascii=False)`, with each
    `RawJSON` written as its text. `options` are those of the standard library's way, taken
    when orjson refuses the data."""
    try:
        return orjson.dumps(data, default=_fallback(encoder), option=_ORJSON_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return _stdlib_dumps(data, encoder, **options)


# Dates, times and dataclasses go to `encoder.default` as they do with the standard library
# (DjangoJSONEncoder's formats), not orjson's own RFC 3339.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


@cache
def _fallback(encoder: type[json.JSONEncoder]) -> Any:
    """orjson's `default`: a `RawJSON` as a fragment, anything else as `encoder` writes it."""
    instance = encoder()

    def default(o: Any) -> Any:
        if isinstance(o, RawJSON):
            return orjson.Fragment(o.text)
        return instance.default(o)

    return default


def _stdlib_dumps(data: Any, encoder: type[json.JSONEncoder], **options: Any) -> str:
    splicing = _splicing(encoder)(**options)
    splicing.pieces = []
    text = splicing.encode(data)
    for index, piece in enumerate(splicing.pieces):
        text = text.replace(f'"\\u0000{_NONCE}:{index}\\u0000"', piece, 1)
    return text
