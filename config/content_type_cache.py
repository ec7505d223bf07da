"""Twisted's Content-Type parsing, remembered per header value (issue 13).

Daphne serves HTTP through Twisted, whose `Request.requestReceived` parses every request's
Content-Type by building an `email.message.EmailMessage` (header registry, policy, parser).
Profiled on the GraphQL list (py-spy `--gil`, superuser, concurrency 8), that was about 12 % of
the process's Python CPU. The result depends on the header's bytes alone, and clients send
the same few values, so it is kept in a small LRU (bounded: a client choosing new values
only evicts). Same function, same answers (tests/test_request_overhead.py).
"""

from __future__ import annotations

from functools import lru_cache


def install() -> None:
    """Replace `twisted.web.http._parseContentType` with a remembering wrapper (once)."""
    from twisted.web import http

    parse = http._parseContentType
    if getattr(parse, "cache_info", None) is None:
        http._parseContentType = lru_cache(maxsize=256)(parse)
