"""JSON text built elsewhere (by PostgreSQL), written into a GraphQL answer as it is.

The fast path can have PostgreSQL build a list's JSON (schema/fastpath_sql.py). Parsing it
back into Python objects only to encode them again would cost what it saves, so the
answer's dict holds a `RawJSON` and the HTTP view's encoder splices its text in.

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
    """`json.dumps(data, cls=encoder, **options)`, with each `RawJSON` written as its text."""
    splicing = _splicing(encoder)(**options)
    splicing.pieces = []
    text = splicing.encode(data)
    for index, piece in enumerate(splicing.pieces):
        text = text.replace(f'"\\u0000{_NONCE}:{index}\\u0000"', piece, 1)
    return text
