"""Status events: a submission changed state or timeliness. The live board listens to them.

Published after commit on one channel-layer group; `reportStatus(period)` keeps, for
each subscriber, the events of rows they may see (realtime/feeds.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from realtime.bus import publish

GROUP = "reporting.status"
EVENT_TYPE = "report.status"


def announce(submission: Any) -> None:
    transaction.on_commit(partial(_send, submission))


def _send(submission: Any) -> None:
    publish(
        GROUP,
        {
            "type": EVENT_TYPE,
            "id": submission.pk,
            "number": submission.number,
            "period_id": submission.period_id,
            "owner_unit_id": submission.owner_unit_id,
            "state": submission.state,
            "timeliness": submission.timeliness,
            "created_by_id": submission.created_by_id,
            "is_shared": bool(submission.is_shared),
            "version": submission.version,
        },
    )
