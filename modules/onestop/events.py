"""Progress events: a dossier changed status or step. The public tracking page listens to them.

Published after commit. The message carries only what the public lookup shows (the
code, the status, the time), plus the owner fields the staff rule needs.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from realtime.bus import publish

GROUP = "onestop.progress"
EVENT_TYPE = "dossier.progress"


def announce(dossier: Any, previous: str | None) -> None:
    transaction.on_commit(partial(_send, dossier, previous, timezone.now()))


def _send(dossier: Any, previous: str | None, at: Any) -> None:
    from .public import as_message, public_view

    publish(
        GROUP,
        {
            "type": EVENT_TYPE,
            "id": dossier.pk,
            "code": dossier.number,
            "state": dossier.state,
            "previous": previous,
            "at": at.isoformat(),
            "owner_unit_id": dossier.owner_unit_id,
            "created_by_id": dossier.created_by_id,
            "is_shared": False,
            "version": dossier.version,
            "public": as_message(public_view(dossier)),
        },
    )
