"""What anyone may see of a dossier by its code, with no log-in: never more than the receipt slip.

The receipt slip (Mẫu 01) is the applicant's own paper; the public lookup shows a subset
of it (code, procedure, receipt time, promised date) plus the progress (status, the
timeline of steps with their dates). No name, address, phone, email or ID number: a
code found on the street tells a stranger only how far a dossier has come.
`PUBLIC_FIELDS` and `SLIP_FIELDS` are compared by a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from modules.engine import registry

from . import rules

# Fields of the receipt slip (Mẫu 01), and the public ones: the latter must be a subset,
# apart from progress (status and timeline), which is not personal data.
SLIP_FIELDS = (
    "code",
    "procedure",
    "applicant_name",
    "address",
    "phone",
    "email",
    "documents",
    "sets",
    "processing_days",
    "received_at",
    "promised_date",
    "collection",
)
# the day the result was handed back is progress too (it happens after the slip is printed)
PROGRESS_FIELDS = ("status", "status_code", "timeline", "returned_on")
PUBLIC_FIELDS = ("code", "procedure", "processing_days", "received_at", "promised_date", *PROGRESS_FIELDS)

NOT_FOUND = "Không tìm thấy hồ sơ với mã này. / No dossier with this code."
MALFORMED = (
    "Mã hồ sơ gồm mã cơ quan, ngày nhận (YYMMDD) và số thứ tự, ví dụ 000.00.00.G09-261123-0001. / "
    "A code is the agency code, the receipt date (YYMMDD) and a sequence, e.g. 000.00.00.G09-261123-0001."
)
STATUS_LABELS = {state: (vi, en) for state, _n, vi, en in rules.PORTAL_STATUSES}


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    status: str
    status_label: str
    note: str


@dataclass(frozen=True)
class PublicDossier:
    code: str
    procedure: str
    processing_days: int
    received_at: dt.datetime | None
    promised_date: dt.date | None
    status: str
    status_code: int
    status_label: str
    timeline: list[TimelineEntry]
    returned_on: dt.date | None = None  # ngày trả kết quả


def normalise_code(raw: str) -> str:
    return (raw or "").strip().upper()


def is_well_formed(code: str) -> bool:
    return bool(rules.CODE_PATTERN.match(code))


def lookup(code: str) -> PublicDossier | None:
    """The public view of dossier `code`, or None: unknown and withheld look the same."""
    dossier = (
        registry.model_for("onestop.Dossier")
        .objects.select_related("procedure")
        .filter(number=code)
        .exclude(state="new")  # an unconfirmed online submission has no public existence yet
        .first()
    )
    if dossier is None:
        return None
    return public_view(dossier)


def public_view(dossier: Any) -> PublicDossier:
    timeline = [
        TimelineEntry(
            at=row.at,
            status=row.status,
            status_label=STATUS_LABELS.get(row.status, (row.status, ""))[0],
            note=_public_note(row.note),
        )
        for row in dossier.timeline.order_by("position", "id")
    ]
    return PublicDossier(
        code=dossier.number,
        procedure=dossier.procedure.name,
        processing_days=dossier.procedure.processing_days,
        received_at=timezone.localtime(dossier.received_at) if dossier.received_at else None,
        promised_date=dossier.promised_date,
        status=dossier.state,
        status_code=rules.PORTAL_CODE[dossier.state],
        status_label=STATUS_LABELS[dossier.state][0],
        timeline=timeline,
        returned_on=timezone.localtime(dossier.returned_at).date() if dossier.returned_at else None,
    )


def _public_note(note: str) -> str:
    """Step notes name units and dates, never people; free-text comments stay internal."""
    if note.startswith(("Chuyển ", "Hẹn trả", "Hẹn lại", "Đã trả kết quả ngày")):
        return note
    return ""


def as_message(view: PublicDossier) -> dict[str, Any]:
    """The public view as plain JSON for a channel-layer message."""
    return {
        "code": view.code,
        "procedure": view.procedure,
        "processing_days": view.processing_days,
        "received_at": view.received_at.isoformat() if view.received_at else None,
        "promised_date": view.promised_date.isoformat() if view.promised_date else None,
        "status": view.status,
        "status_code": view.status_code,
        "status_label": view.status_label,
        "returned_on": view.returned_on.isoformat() if view.returned_on else None,
        "timeline": [
            {"at": t.at.isoformat(), "status": t.status, "status_label": t.status_label, "note": t.note}
            for t in view.timeline
        ],
    }
