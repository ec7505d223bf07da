"""Time ranges that never overlap per resource: a meeting room, a vehicle, a driver.

Declared per entity, `Entity(no_overlap=(NoOverlap(per="room", states=(...)),))`: two rows
in one of `states` with the same `per` value may not hold overlapping half-open ranges
[start, end). It is enforced twice, on purpose:

- **In the database, on PostgreSQL**: an exclusion constraint (`NoOverlapConstraint`,
  `EXCLUDE USING gist (per WITH =, tstzrange(start, end, '[)') WITH &&) WHERE ...`; the
  integer `=` in a GiST index needs the `btree_gist` extension, created by the migration).
  No path, not a raw insert nor a second application, can store an overlap.
- **On every write path** (`services.save_record` calls `claim`): the resource is locked, then
  the overlap is looked for, so a refused request gets a typed field error, `OVERLAP` on the
  `per` field, naming the row it collides with and the next free slots, never a constraint
  violation. The lock: on PostgreSQL a transaction advisory lock per (table, field, value)
  (writers of one room queue, other rooms do not wait); on SQLite the database's write lock,
  which `transaction_mode = IMMEDIATE` takes at BEGIN and `claim` takes explicitly anyway, so
  the check and the insert of one transaction never interleave with another's.

The look-up is `per = v AND start > s - longest AND start < e AND end > s`, served by the
B-tree index (per, start) the factory adds: a range longer than `longest` is refused, which
bounds the scan to the rows that start in the `longest` before the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models.constraints import BaseConstraint
from django.utils import timezone

from .errors import FieldProblem, InvalidInput


@dataclass(frozen=True, kw_only=True)
class NoOverlap:
    """Rows sharing `per` (a link) never overlap in time while their state is in `states`.

    `states` empty: every row counts. A row whose `per` is empty (no vehicle yet) takes no time.
    `longest`: the longest range a row may hold (bounds the look-up; longer is refused).
    """

    per: str
    start: str = "starts_at"
    end: str = "ends_at"
    states: tuple[str, ...] = ()
    longest: dt.timedelta = dt.timedelta(days=7)
    free_slots: int = 3  # how many next free slots a refusal proposes


def constraint_name(entity: Any, rule: NoOverlap) -> str:
    return f"{entity.app_label}_{entity.name.lower()}_{rule.per}_no_overlap"


def index_name(entity: Any, rule: NoOverlap) -> str:
    """Django caps index names at 30 characters: a readable prefix and a stable hash."""
    digest = hashlib.sha1(f"{entity.label}.{rule.per}.{rule.start}".encode()).hexdigest()[:8]
    return f"{entity.app_label[:8]}_{rule.per[:8]}_rng_{digest}"


class NoOverlapConstraint(BaseConstraint):
    """PostgreSQL's exclusion constraint for one `NoOverlap`; nothing on other databases.

    On SQLite `constraint_sql`/`create_sql` return None, which Django skips (the table is
    created without it): there, `claim`'s serialised check is the rule.
    """

    def __init__(
        self, *, name: str, per: str, start: str, end: str, states: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(name=name, **kwargs)
        self.per, self.start, self.end, self.states = per, start, end, tuple(states)

    def _body(self, model: type[models.Model], schema_editor: Any) -> str:
        quote = schema_editor.quote_name
        meta = model._meta
        per = quote(meta.get_field(self.per).column)
        start = quote(meta.get_field(self.start).column)
        end = quote(meta.get_field(self.end).column)
        where = [f"{per} IS NOT NULL"]
        if self.states:
            codes = ", ".join(schema_editor.quote_value(code) for code in self.states)
            where.append(f"{quote(meta.get_field('state').column)} IN ({codes})")
        return (
            f"EXCLUDE USING gist ({per} WITH =, tstzrange({start}, {end}, '[)') WITH &&) "
            f"WHERE ({' AND '.join(where)})"
        )

    def constraint_sql(self, model: type[models.Model], schema_editor: Any) -> str | None:
        if schema_editor.connection.vendor != "postgresql":
            return None
        return f"CONSTRAINT {schema_editor.quote_name(self.name)} {self._body(model, schema_editor)}"

    def create_sql(self, model: type[models.Model], schema_editor: Any) -> str | None:
        if schema_editor.connection.vendor != "postgresql":
            return None
        table = schema_editor.quote_name(model._meta.db_table)
        return f"ALTER TABLE {table} ADD {self.constraint_sql(model, schema_editor)}"

    def remove_sql(self, model: type[models.Model], schema_editor: Any) -> str | None:
        if schema_editor.connection.vendor != "postgresql":
            return None
        table = schema_editor.quote_name(model._meta.db_table)
        return f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {schema_editor.quote_name(self.name)}"

    def validate(self, *args: Any, **kwargs: Any) -> None:
        """Judged by `claim` in the write path (with a readable error), not by `full_clean`."""

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs.update(per=self.per, start=self.start, end=self.end, states=self.states)
        return path, args, kwargs

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NoOverlapConstraint):
            return self.deconstruct() == other.deconstruct()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.per))


def constraints(entity: Any) -> list[BaseConstraint]:
    """The exclusion constraints the factory puts in the entity's `Meta` (PostgreSQL only)."""
    return [
        NoOverlapConstraint(
            name=constraint_name(entity, rule),
            per=rule.per,
            start=rule.start,
            end=rule.end,
            states=rule.states,
        )
        for rule in getattr(entity, "no_overlap", ())
    ]


def indexes(entity: Any) -> list[models.Index]:
    """One B-tree index (per, start) per rule: the look-up and the availability lists use it."""
    return [
        models.Index(fields=[rule.per, rule.start], name=index_name(entity, rule))
        for rule in getattr(entity, "no_overlap", ())
    ]


# --- the write path ------------------------------------------------------------------


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def describe(start: dt.datetime, end: dt.datetime) -> str:
    """`08:00–10:00 01/12/2026` (or with both dates when it spans days), local time."""
    start, end = _local(start), _local(end)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M} {start:%d/%m/%Y}"
    return f"{start:%H:%M %d/%m/%Y}–{end:%H:%M %d/%m/%Y}"


def _lock(model: type[models.Model], column: str, value: Any) -> None:
    """Serialise the writers of one resource until the transaction ends (see the module text)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            key = f"{model._meta.db_table}.{column}:{value}"
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        elif connection.vendor == "sqlite":  # a write statement takes the database's write lock
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"UPDATE {table} SET id = id WHERE 0")


def busy(
    model: type[models.Model],
    rule: NoOverlap,
    value: Any,
    start: dt.datetime,
    end: dt.datetime,
    *,
    exclude_pk: Any = None,
) -> models.QuerySet:
    """Every row of resource `value` whose range meets [start, end), whoever owns it (unscoped)."""
    rows = model._default_manager.filter(
        **{
            rule.per: value,
            f"{rule.start}__gt": start - rule.longest,
            f"{rule.start}__lt": end,
            f"{rule.end}__gt": start,
        }
    )
    if rule.states:
        rows = rows.filter(state__in=rule.states)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by(rule.start, "pk")


def next_free(
    model: type[models.Model],
    rule: NoOverlap,
    value: Any,
    start: dt.datetime,
    duration: dt.timedelta,
    *,
    exclude_pk: Any = None,
    count: int | None = None,
    horizon: dt.timedelta = dt.timedelta(days=14),
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The first `count` free slots of `duration` for the resource, from `start` on: one per gap."""
    wanted = rule.free_slots if count is None else count
    taken = busy(model, rule, value, start, start + horizon, exclude_pk=exclude_pk)
    slots: list[tuple[dt.datetime, dt.datetime]] = []
    candidate = start
    for row_start, row_end in taken.values_list(rule.start, rule.end):
        if row_start >= candidate + duration:
            slots.append((candidate, candidate + duration))
            if len(slots) == wanted:
                return slots
        candidate = max(candidate, row_end)
    slots.append((candidate, candidate + duration))  # after the last row, the resource is free
    return slots[:wanted]


def _range_problems(entity: Any, rule: NoOverlap, start: Any, end: Any) -> list[FieldProblem]:
    if start is None or end is None:
        return []  # a required range is the field's own rule (REQUIRED)
    if end <= start:
        return [
            FieldProblem(
                rule.end,
                "INVALID_RANGE",
                "Thời điểm kết thúc phải sau thời điểm bắt đầu. / The end must be after the start.",
            )
        ]
    if end - start > rule.longest:
        days = rule.longest.total_seconds() / 86400
        return [
            FieldProblem(
                rule.end,
                "TOO_LONG",
                f"Khoảng thời gian dài quá {days:g} ngày. / The range is longer than {days:g} days.",
            )
        ]
    return []


def claim(entity: Any, instance: models.Model) -> None:
    """Lock the row's resources and refuse an overlap with a typed, named field error.

    Runs inside `save_record`'s transaction, before the row is written; resources are locked
    in a fixed order (the rules' order, then the value) so two writers never deadlock."""
    rules = getattr(entity, "no_overlap", ())
    if not rules:
        return
    model = type(instance)
    problems: list[FieldProblem] = []
    for rule in rules:
        start, end = getattr(instance, rule.start), getattr(instance, rule.end)
        problems.extend(_range_problems(entity, rule, start, end))
    if problems:
        raise InvalidInput(problems)
    active = [
        rule
        for rule in rules
        if getattr(instance, f"{rule.per}_id", None) is not None
        and getattr(instance, rule.start) is not None
        and (not rule.states or getattr(instance, "state", None) in rule.states)
    ]
    for rule in sorted(active, key=lambda r: (r.per, getattr(instance, f"{r.per}_id"))):
        _lock(model, model._meta.get_field(rule.per).column, getattr(instance, f"{rule.per}_id"))
    for rule in active:
        value = getattr(instance, f"{rule.per}_id")
        start, end = getattr(instance, rule.start), getattr(instance, rule.end)
        clash = busy(model, rule, value, start, end, exclude_pk=instance.pk).values(
            "pk", "number", rule.start, rule.end
        )[:1]
        for row in clash:
            problems.append(_overlap_problem(entity, model, rule, instance, row, value, start, end))
    if problems:
        raise InvalidInput(problems)


def _overlap_problem(
    entity: Any,
    model: type[models.Model],
    rule: NoOverlap,
    instance: models.Model,
    row: dict[str, Any],
    value: Any,
    start: dt.datetime,
    end: dt.datetime,
) -> FieldProblem:
    """Name the colliding row by its number and time only: busy times are public, its purpose is not."""
    spec = entity.field(rule.per)
    other = row["number"] or f"#{row['pk']}"
    slots = next_free(model, rule, value, start, end - start, exclude_pk=instance.pk)
    free = "; ".join(describe(a, b) for a, b in slots)
    message = (
        f"{spec.label_vi} đã có lịch {other} ({describe(row[rule.start], row[rule.end])}). "
        f"Khung giờ trống gần nhất: {free}. / "
        f"The {spec.label_en.lower()} is already taken by {other} "
        f"({describe(row[rule.start], row[rule.end])}). Next free slots: {free}."
    )
    return FieldProblem(rule.per, "OVERLAP", message)
