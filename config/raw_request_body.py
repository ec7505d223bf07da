"""Daphne's requests keep their body raw: Twisted's form parsing is switched off (issue 13).

Twisted's `Request.requestReceived` parses every POST with a form or multipart body into
`request.args`; for multipart it reads the whole body into one more bytes object and runs the
standard library's e-mail parser over it. Daphne never reads `args`: it hands the raw body to
Django, which parses it again, streaming, within `DATA_UPLOAD_MAX_MEMORY_SIZE` and
`FILE_UPLOAD_MAX_MEMORY_SIZE`. So each check-in photo and each uploaded file was parsed twice,
once for nothing, and a large upload was held whole in memory a second time. Twisted has a
switch for it (`Request(parsePOSTFormSubmission=False)`); Daphne does not pass it, so its
request class is given one that does. A malformed body is then Django's to refuse (a 400 from
its parser) instead of Twisted's bare disconnect.
"""

from __future__ import annotations

import inspect
from typing import Any


def install() -> None:
    """Make Daphne build its requests with Twisted's form parsing off (once)."""
    from daphne import http_protocol
    from twisted.web import http

    if getattr(http_protocol.WebRequest, "keeps_body_raw", False):
        return
    if "parsePOSTFormSubmission" not in inspect.signature(http.Request.__init__).parameters:
        raise RuntimeError("Twisted >= 24.7 is needed (Request(parsePOSTFormSubmission=...)).")

    class RawBodyWebRequest(http_protocol.WebRequest):
        """Daphne's request, leaving the body to Django."""

        keeps_body_raw = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["parsePOSTFormSubmission"] = False
            super().__init__(*args, **kwargs)

    # `HTTPFactory.buildProtocol` reads the module's name each time a connection is made.
    http_protocol.WebRequest = RawBodyWebRequest
