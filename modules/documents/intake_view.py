"""The clerk's registration page, `/van-ban/vao-so/`: upload a scan, read it (OCR and the
proposal rule), check and correct the proposed fields, register. Nothing is saved before
"Vào sổ"; the proposal names an earlier registration of the same document, with its link.

The uploaded scan is kept for an hour in the shared cache under a random token (a hidden
field), so the clerk does not upload it twice; registration goes through the engine's
write path (`services.create_record`), whose field errors are shown beside their fields.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from modules.engine import access, ocr, services
from modules.engine.errors import EngineError

from . import hooks, intake
from .rules import TYPE_CHOICES, URGENCY

FIELDS = (
    "issuer_name",
    "number_symbol",
    "issued_date",
    "doc_type",
    "subject",
    "signer",
    "urgency",
    "channel",
)
MAX_BYTES = 20 * 1024 * 1024
NO_RIGHT = "Bạn không có quyền vào sổ văn bản đến. / You may not register incoming documents."


def _stash(name: str, data: bytes) -> str:
    token = secrets.token_urlsafe(16)
    cache.set(f"documents.upload.{token}", (name, data), 3600)
    return token


def _unstash(token: str) -> tuple[str, bytes] | None:
    return cache.get(f"documents.upload.{token}") if token else None


@login_required
@require_http_methods(["GET", "POST"])
def intake_page(request: HttpRequest) -> HttpResponse:
    entity = hooks.incoming_entity(secret=False)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": "Vào sổ văn bản đến / Register an incoming document",
        "types": TYPE_CHOICES,
        "urgencies": URGENCY,
        "values": {"channel": "paper", "urgency": "normal"},
        "errors": {},
        "notice": "",
        "duplicate": None,
        "token": "",
        "file_name": "",
    }
    if not access.can(request.user, entity, "add"):
        context["errors"] = {"form": [NO_RIGHT]}
        return render(request, "documents/intake.html", context, status=403)
    if request.method == "GET":
        return render(request, "documents/intake.html", context)
    values = {name: request.POST.get(name, "").strip() for name in FIELDS}
    context["values"] = values
    upload = request.FILES.get("scan")
    stashed = _unstash(request.POST.get("token", ""))
    if upload is not None:
        if upload.size > MAX_BYTES:
            context["errors"] = {
                "scan": ["Tệp quá lớn (tối đa 20 MB). / The file is too large (20 MB at most)."]
            }
            return render(request, "documents/intake.html", context, status=400)
        stashed = (upload.name, upload.read())
    if stashed is not None:
        context["token"], context["file_name"] = _stash(*stashed), stashed[0]
    if request.POST.get("action") == "read":
        return _read(request, context, stashed)
    return _register(request, context, entity, values, stashed)


def _read(request: HttpRequest, context: dict[str, Any], stashed: tuple[str, bytes] | None) -> HttpResponse:
    if stashed is None:
        context["errors"] = {"scan": ["Chọn tệp bản quét. / Choose the scan's file."]}
        return render(request, "documents/intake.html", context, status=400)
    try:
        reading = intake.propose(request.user, stashed[1])
    except ocr.OcrUnavailable:
        context["errors"] = {"scan": ["Máy chủ chưa cài Tesseract tiếng Việt. / Tesseract is not installed."]}
        return render(request, "documents/intake.html", context, status=503)
    except Exception:
        context["errors"] = {
            "scan": ["Không đọc được bản quét (PDF hoặc ảnh). / The scan could not be read."]
        }
        return render(request, "documents/intake.html", context, status=400)
    proposed = reading.proposal.as_dict()
    values = dict(context["values"])
    for name, value in proposed.items():
        if value:
            values[name] = value.isoformat() if isinstance(value, dt.date) else value
    context["values"] = values
    context["duplicate"] = reading.duplicate
    context["notice"] = (
        "Đã đọc bản quét: kiểm tra, sửa nếu cần rồi bấm «Vào sổ». / "
        "The scan was read: check, correct if needed, then press “Register”."
    )
    return render(request, "documents/intake.html", context)


def _register(
    request: HttpRequest, context: dict[str, Any], entity: Any, values: dict[str, str], stashed: Any
) -> HttpResponse:
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    data["arrival_date"] = dt.datetime.now(dt.UTC)
    if stashed is not None:
        data["scan"] = SimpleUploadedFile(stashed[0], stashed[1])
    try:
        doc = services.create_record(entity, request.user, data)
    except EngineError as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            errors.setdefault(problem.field or "form", []).append(problem.message)
        context["errors"] = errors
        return render(request, "documents/intake.html", context, status=400)
    note = f" Trùng với văn bản số đến {doc.duplicate_of.arrival_number}." if doc.duplicate_of_id else ""
    messages.success(
        request, f"Đã vào sổ, số đến {doc.arrival_number}.{note} / Registered, number {doc.arrival_number}."
    )
    return redirect(reverse("admin:documents_incomingdocument_change", args=[doc.pk]))
