"""Human-readable numbers from patterns such as `NV-{yyyy}-{seq:05}`.

Tokens: {yyyy} {yy} {mm} {dd} (local date), {seq} or {seq:0N}, and any field
of the record, e.g. `{agency_code}-{yy}{mm}{dd}-{seq:04}`. The counter key is
the pattern rendered without its sequence, so `{yyyy}` yields one gap-free
series per year and `{yy}{mm}{dd}` one per day.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import NumberCounter

SEQ = re.compile(r"\{seq(?::0?(\d+))?\}")
TOKEN = re.compile(r"\{(\w+)\}")


def _render_without_seq(pattern: str, when: datetime, record: Any) -> str:
    local = timezone.localtime(when)
    dates = {
        "yyyy": f"{local.year:04d}",
        "yy": f"{local.year % 100:02d}",
        "mm": f"{local.month:02d}",
        "dd": f"{local.day:02d}",
    }

    def token(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in dates:
            return dates[name]
        return str(getattr(record, name, "") or "")

    return TOKEN.sub(token, SEQ.sub("{#}", pattern))


def next_number(register: str, pattern: str, record: Any = None, when: datetime | None = None) -> str:
    """Reserve the next number; must run inside the transaction that saves the record."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the saving transaction")
    when = when or timezone.now()
    period = _render_without_seq(pattern, when, record)
    seq_match = SEQ.search(pattern)
    width = int(seq_match.group(1)) if seq_match and seq_match.group(1) else 0
    value = _increment(register, period)
    return period.replace("{#}", str(value).zfill(width))


def _increment(register: str, period: str) -> int:
    counters = NumberCounter.objects.select_for_update()
    try:
        counter = counters.get(register=register, period=period)
    except NumberCounter.DoesNotExist:
        try:
            with transaction.atomic():
                counter = NumberCounter.objects.create(register=register, period=period, value=0)
        except IntegrityError:
            # Another transaction created it first; wait for its lock like everyone else.
            counter = counters.get(register=register, period=period)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
