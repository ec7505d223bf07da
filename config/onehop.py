"""The GraphQL endpoint's and the kiosks' POSTs served with one thread hop per request (issue 13).

Django's `ASGIHandler` crosses from the event loop to a worker thread three times per
request to a sync view: the `request_started` signal (its receiver `close_old_connections`
is sync), the middleware chain from the innermost sync-only middleware down to the view,
and `response.close()` (which sends `request_finished`). Each crossing goes to a thread
that asgiref's `ThreadSensitiveContext` starts for that request alone and stops after it,
and a task listening for the client's disconnect runs beside the view. Profiled, that was
about a third of a GraphQL request's CPU (docs/benchmarks.md, "Where a request's CPU goes").

Here a GraphQL POST (and a kiosk check-in, `ONE_HOP_ROUTES`) runs all of it in one call on
a thread pool kept by the process: the signal, the request object, Django's middleware
chain loaded in sync mode (the same middleware, in the same order, so the security headers,
the token check and the history user are theirs), the view, and the closing of the
response (`request_finished`, so the thread's database connection goes back to the pool, as
with stock). Only the body is read and the answer sent on the event loop. Everything else
(the admin, files, GraphiQL) keeps Django's handler. The call goes through asgiref's
`SyncToAsync` with the pool as its executor, so `async_to_sync` inside the view (live
events) still runs on this loop.

The pool has `HTTP_THREADS` workers (default: the database pool's `DB_POOL_MAX`, 10): more
threads than connections would only wait for one, and fewer threads hold the interpreter's
lock in turn instead of all at once. A client that hangs up does not stop the view (a sync
view cannot be stopped midway anyway); its answer is dropped.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import SyncToAsync
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.urls import get_resolver, set_script_prefix

THREADS = int(os.environ.get("HTTP_THREADS", os.environ.get("DB_POOL_MAX", "10")))
# URL names whose POSTs take one hop (sync views only): the API, and the kiosks' check-in,
# whose photo is otherwise carried across three thread hops before the face work starts.
ONE_HOP_ROUTES = ("graphql", "attendance-checkin")


class _SyncChain(BaseHandler):
    """Django's middleware chain in sync mode, as WSGI servers run it."""

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)


class OneHopASGIHandler(ASGIHandler):
    """Django's ASGI handler, with the POSTs of `ONE_HOP_ROUTES` in one call on a kept pool."""

    def __init__(self) -> None:
        super().__init__()
        self._chain = _SyncChain()
        self._pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="onemst-http")
        self._paths: frozenset[str] | None = None

    def one_hop(self, scope: dict[str, Any]) -> bool:
        if scope.get("method") != "POST":
            return False
        if self._paths is None:
            self._paths = frozenset("/" + get_resolver().reverse(name) for name in ONE_HOP_ROUTES)
        return scope.get("path", "")[len(scope.get("root_path", "")) :] in self._paths

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not self.one_hop(scope):
            await super().handle(scope, receive, send)
            return
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        hop = SyncToAsync(self.respond, thread_sensitive=False, executor=self._pool)
        response = await hop(scope, body_file)
        try:
            await self.send_response(response, send)
        finally:
            if response.streaming:  # not closed in `respond`: its content is read while sending
                await SyncToAsync(response.close, thread_sensitive=False, executor=self._pool)()

    def respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponse:
        """What Django's handler does around a sync view, in this one thread."""
        try:
            signals.request_started.send(sender=ASGIHandler, scope=scope)
            request, response = self.create_request(scope, body_file)
            if request is not None:
                response = self._chain.get_response(request)
            response._handler_class = ASGIHandler
            if not response.streaming:
                response.close()  # request_finished: the thread's connection back to the pool
            return response
        finally:
            body_file.close()
