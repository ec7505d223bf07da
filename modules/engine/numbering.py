"""Human-readable numbers from patterns such as `NV-{yyyy}-{seq:05}`.

Tokens: {yyyy} {yy} {mm} {dd} (local date), {seq} or {seq:0N}, and any field
of the record, e.g. `{agency_code}-{yy}{mm}{dd}-{seq:04}`. The counter key is
the pattern rendered without its sequence, so `{yyyy}` yields one gap-free
series per year and `{yy}{mm}{dd}` one per day.

`assign_counters` fills an entity's declared `Counter`s (integer running numbers such as
a register's yearly number per unit) from the same counters.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import NumberCounter

if TYPE_CHECKING:
    from .definitions import Counter, Entity

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


def next_numbers(register: str, pattern: str, records: list[Any], when: datetime | None = None) -> list[str]:
    """`next_number` for many records at once: one counter bump a series, not one a record
    (a bulk import's); the numbers follow the records' order, gap-free as one by one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_numbers() must run inside the saving transaction")
    when = when or timezone.now()
    periods = [_render_without_seq(pattern, when, record) for record in records]
    seq_match = SEQ.search(pattern)
    width = int(seq_match.group(1)) if seq_match and seq_match.group(1) else 0
    wanted: dict[str, int] = {}
    for period in periods:
        wanted[period] = wanted.get(period, 0) + 1
    # the value before this batch's first number, per series
    taken = {period: _increment(register, period, by=count) - count for period, count in wanted.items()}
    numbers = []
    for period in periods:
        taken[period] += 1
        numbers.append(period.replace("{#}", str(taken[period]).zfill(width)))
    return numbers


def _increment(register: str, period: str, by: int = 1) -> int:
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
    counter.value += by
    counter.save(update_fields=["value"])
    return counter.value


def assign_counters(entity: Entity, record: Any, on: str = "") -> None:
    """Give each of the entity's counters due `on` creation ("") or that transition its next
    value, unless it already has one; must run inside the saving transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("assign_counters() must run inside the saving transaction")
    for counter in entity.counters:
        if counter.on != on or getattr(record, counter.field) is not None:
            continue
        value = _increment(f"{entity.label}.{counter.field}", _series(counter, record))
        setattr(record, counter.field, value)


def _series(counter: Counter, record: Any) -> str:
    """The counter's series key: the `per` values (ids for links), then the year if yearly."""
    parts = [f"{name}={getattr(record, record._meta.get_field(name).attname)}" for name in counter.per]
    if counter.yearly_from:
        value = getattr(record, counter.yearly_from) or timezone.now()
        if isinstance(value, datetime):
            value = timezone.localtime(value)
        parts.append(f"{value.year:04d}" if isinstance(value, date) else str(value))
    return "/".join(parts)[:100]
