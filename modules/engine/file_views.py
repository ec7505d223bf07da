"""Serving uploaded files: the record's rule first, then the bytes, with safe headers.

`/files/<app>/<model>/<pk>/<field>/<name>` is the only address of an uploaded file
(`EngineFieldFile.url`). It answers only a signed-in user (session or bearer token) who
may see the record holding the file (`access.scoped_queryset(user, entity, "view")`;
a child row's file through its parent record); anyone else gets the log-in page or
404, never a hint that the file exists. A record whose entity declares `audit_read`
has every read logged (`via="file"`).

The answer:
- `Content-Disposition: inline` only for a PDF or a raster image, judged from the bytes;
  anything else (SVG and HTML included) is a download (`attachment`), with the
  original file name;
- `X-Content-Type-Options: nosniff`, `Content-Security-Policy` (`default-src 'none'`,
  plus `sandbox` except on PDFs, whose viewer Chrome refuses to run sandboxed),
  `Cache-Control: private, no-store`;
- the bytes: streamed by Django (`FileResponse`) by default; with `FILES_SENDFILE=x-accel`
  an `X-Accel-Redirect` to `FILES_ACCEL_PREFIX` hands them to nginx, with
  `FILES_SENDFILE=x-sendfile` an `X-Sendfile` path to Apache/lighttpd (README,
  "Serving uploaded files"). The check above always runs in Django first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import access, filetypes, registry
from .base import ChildRow
from .definitions import Entity
from .files import original_name

CSP_INLINE_IMAGE = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# Chrome's PDF viewer will not run in a sandboxed document (crbug.com/413851); a PDF cannot
# run script in our origin anyway, and nothing else may load.
CSP_PDF = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
CSP_DOWNLOAD = "default-src 'none'; sandbox"
SENDFILE_MODES = ("", "x-accel", "x-sendfile")


def _owner(app: str, model_name: str, field_name: str) -> tuple[type[models.Model], Entity, bool] | None:
    """The model holding the file, the entity whose rule applies, and whether it is a child row."""
    try:
        model = apps.get_model(app, model_name)
    except LookupError:
        return None
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # no such field: the same 404 as no such file
        return None
    if not isinstance(field, models.FileField):
        return None
    entity = registry.entity_for(model)
    if entity is not None:
        return model, entity, False
    if issubclass(model, ChildRow):
        parent = registry.entity_for(model._meta.get_field("parent").related_model)
        if parent is not None:
            return model, parent, True
    return None


def _visible_row(user: Any, owner: tuple[type[models.Model], Entity, bool], pk: int) -> tuple[Any, Any]:
    """(the row holding the file, the record whose rule applied), or Http404."""
    model, entity, child = owner
    records = access.scoped_queryset(user, entity, "view")
    if not child:
        row = records.filter(pk=pk).first()
        if row is None:
            raise Http404
        return row, row
    row = (
        model._default_manager.select_related("parent").filter(pk=pk, parent__in=records.values("pk")).first()
    )
    if row is None:
        raise Http404
    return row, row.parent


@require_safe
def serve(request: HttpRequest, app: str, model: str, pk: int, field: str, name: str) -> HttpResponse:
    user = request.user
    if not (user and user.is_authenticated and user.is_active):
        return redirect_to_login(request.get_full_path())
    owner = _owner(app, model, field)
    if owner is None:
        raise Http404
    row, record = _visible_row(user, owner, pk)
    stored = getattr(row, field)
    if not stored or original_name(stored.name) != name or not stored.storage.exists(stored.name):
        raise Http404
    with stored.storage.open(stored.name, "rb") as stream:
        kind = filetypes.sniff(stream)
    hook = owner[1].hooks.audit_read
    if hook is not None:
        hook(record, user, "file")
    return _deliver(stored, name, kind)


def _deliver(stored: Any, filename: str, kind: str | None) -> HttpResponse:
    inline = kind in filetypes.INLINE
    if not kind or kind in filetypes.MARKUP:
        kind = filetypes.OPAQUE
    mode = getattr(settings, "FILES_SENDFILE", "")
    if mode == "x-accel":
        response = HttpResponse(content_type=kind)
        prefix = getattr(settings, "FILES_ACCEL_PREFIX", "/protected-media/").rstrip("/")
        response["X-Accel-Redirect"] = quote(f"{prefix}/{stored.name}")
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=kind)
        response["X-Sendfile"] = stored.path
    else:
        response = FileResponse(stored.storage.open(stored.name, "rb"), content_type=kind)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        CSP_PDF if kind == filetypes.PDF else CSP_INLINE_IMAGE if inline else CSP_DOWNLOAD
    )
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
