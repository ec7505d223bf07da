"""The declarative vocabulary of a module: fields, entities, workflows.

A module's `definition.py` builds a `Module` out of these plain objects. They
hold no Django state, so a definition can be read (by settings, docs, or a
later runtime-field editor) without building anything. The engine turns them
into models, admins, GraphQL types, permissions and events.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_PROVIDED: Any = object()

# Field kinds the engine knows how to store, edit, filter and expose.
KINDS = (
    "text",
    "longtext",
    "integer",
    "decimal",
    "money",
    "percent",
    "boolean",
    "date",
    "datetime",
    "choice",
    "link",
    "multilink",
    "children",
    "file",
    "json",
)

# Link targets that are not entities of a module.
USER = "auth.User"

ON_DELETE_CHOICES = ("protect", "cascade", "set_null")

# Where the person named for someone else must work, seen from the recorder's unit.
WITHIN_CHOICES = ("unit", "above", "below", "anywhere")


@dataclass(frozen=True, kw_only=True)
class Delegation:
    """Who may record an act in someone else's name, e.g. a leader's secretary.

    A user holding one of `by` may name, in an actor link, a person holding one of
    `for_roles` who works `within`, seen from the recorder's unit: "unit" (the same
    unit), "above" (the same unit or one it belongs to: the line up to the ministry),
    "below" (the same unit or a sub-unit), or "anywhere".
    """

    by: tuple[str, ...]
    for_roles: tuple[str, ...]
    within: str = "unit"

    def __post_init__(self) -> None:
        if self.within not in WITHIN_CHOICES:
            raise ValueError(f"Delegation: within must be one of {WITHIN_CHOICES}")
        if not self.by or not self.for_roles:
            raise ValueError("Delegation: name the recording roles and the roles recorded for")


@dataclass(frozen=True, kw_only=True)
class Assignee:
    """A link that gives someone work on the record: each person named must see the record.

    An assignment to someone who cannot see the record (`access.scoped_queryset`) is
    refused with a field error naming them, unless the assigning user (or the leader a
    delegated actor link names) holds one of `grant_by`: then that person is given a
    guardian object grant for the actions in `grant`, noted in the record's history.
    """

    grant_by: tuple[str, ...] = ()
    grant: tuple[str, ...] = ("view",)


@dataclass(frozen=True, kw_only=True)
class Field:
    """One column (or relation) of an entity, with its bilingual labels."""

    name: str
    label_vi: str
    label_en: str
    kind: str = "text"
    required: bool = False
    default: Any = NOT_PROVIDED
    help_vi: str = ""
    help_en: str = ""
    index: bool = False
    unique: bool = False
    validators: tuple[Callable[[Any], None], ...] = ()
    # choice
    choices: tuple[tuple[str, str, str], ...] = ()  # (value, label_vi, label_en)
    # choice or text holding the codes of another declared set ("onestop.Dossier.state",
    # "app.Entity.field", "app.Entity.children.column"): the API types it with that set's
    # enum instead of a second enum or a plain string (schema/enums.py)
    codes_of: str = ""
    # text
    max_length: int = 255
    # decimal
    max_digits: int = 18
    decimal_places: int = 2
    # link / multilink: "app_label.Model", e.g. "org.Unit", "tasks.Task", USER
    target: str | None = None
    # What deleting the target does to this row: "protect" refuses the deletion while this
    # row points at it (the default); "cascade" deletes this row with it (a child belongs to
    # its parent); "set_null" empties the link (the row stands without it; optional links only).
    on_delete: str = "protect"
    # children: the columns of the inline table
    columns: tuple[Field, ...] = ()
    # children: "<link>.<children>": on the add form, choosing the link (e.g. a procedure)
    # starts this table as a copy of the linked record's rows (its required documents),
    # the columns of the same name copied; the clerk then ticks what was handed in
    prefill_from: str = ""
    # file: `accept` lists kinds (groups of `filetypes.GROUPS`: "pdf", "images", "office",
    # "text", or MIME types), judged from the bytes; empty = `filetypes.DEFAULT_ACCEPT`.
    # `max_size` in bytes; None = settings.FILES_MAX_SIZE.
    upload_to: str = ""
    accept: tuple[str, ...] = ()
    max_size: int | None = None
    # set by the module's hooks (a derived status, a running total), never by input
    computed: bool = False
    # where the field shows by default
    filterable: bool = False
    searchable: bool = False
    # who did it (a link to a user or a person): the current user, filled in on create, unless
    # one of `delegations` lets the recorder name someone else (`modules/engine/assignments.py`)
    actor: bool = False
    delegations: tuple[Delegation, ...] = ()
    # who is given work on the record (a link or multi-link to users or people): see `Assignee`
    assignee: Assignee | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Field {self.name}: unknown kind {self.kind!r}")
        if self.kind in ("link", "multilink") and not self.target:
            raise ValueError(f"Field {self.name}: a {self.kind} needs a target")
        if self.on_delete not in ON_DELETE_CHOICES:
            raise ValueError(f"Field {self.name}: on_delete must be one of {ON_DELETE_CHOICES}")
        if self.kind == "link" and self.required and self.on_delete == "set_null":
            raise ValueError(f"Field {self.name}: a required link cannot be emptied (on_delete='set_null')")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"Field {self.name}: a choice needs choices")
        if self.kind == "children" and not self.columns:
            raise ValueError(f"Field {self.name}: child rows need columns")
        if self.accept:
            from .filetypes import check_accept

            check_accept(self.accept)
        if self.max_size is not None and self.max_size <= 0:
            raise ValueError(f"Field {self.name}: max_size is a positive number of bytes")
        if (self.actor or self.delegations) and self.kind != "link":
            raise ValueError(f"Field {self.name}: an actor is a single link")
        if self.delegations and not self.actor:
            raise ValueError(f"Field {self.name}: delegations apply to an actor link")
        if self.assignee is not None and self.kind not in ("link", "multilink"):
            raise ValueError(f"Field {self.name}: an assignee is a link or a multi-link")

    @property
    def is_relation(self) -> bool:
        return self.kind in ("link", "multilink", "children")


def _kind(kind: str, **fixed: Any) -> Callable[..., Field]:
    """Build a short constructor such as `Text("title", "Tiêu đề", "Title")`."""

    def make(name: str, label_vi: str, label_en: str, /, **options: Any) -> Field:
        return Field(name=name, label_vi=label_vi, label_en=label_en, kind=kind, **fixed, **options)

    make.__name__ = kind.title()
    make.__doc__ = f"A `{kind}` field."
    return make


Text = _kind("text")
LongText = _kind("longtext")
Integer = _kind("integer")
Decimal = _kind("decimal")
Money = _kind("money")
Percent = _kind("percent")
Boolean = _kind("boolean")
Date = _kind("date")
DateTime = _kind("datetime")
Choice = _kind("choice")
Link = _kind("link")
MultiLink = _kind("multilink")
Children = _kind("children")
File = _kind("file")
Json = _kind("json")


@dataclass(frozen=True, kw_only=True)
class State:
    code: str
    label_vi: str
    label_en: str
    final: bool = False


Guard = Callable[[Any, Any], str | None]  # (instance, user) -> refusal message or None
TransitionHook = Callable[[Any, Any, "Transition", dict], None]  # (instance, user, transition, payload)


@dataclass(frozen=True, kw_only=True)
class Transition:
    """A named move between states, fired by the listed roles only."""

    name: str
    label_vi: str
    label_en: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    hooks: tuple[TransitionHook, ...] = ()
    needs_comment: bool = False


@dataclass(frozen=True, kw_only=True)
class Workflow:
    states: tuple[State, ...]
    initial: str
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        codes = {s.code for s in self.states}
        if self.initial not in codes:
            raise ValueError(f"Workflow initial state {self.initial!r} is not a state")
        for t in self.transitions:
            unknown = (set(t.source) | {t.target}) - codes
            if unknown:
                raise ValueError(f"Transition {t.name}: unknown states {sorted(unknown)}")

    def state(self, code: str) -> State:
        return next(s for s in self.states if s.code == code)

    def transition(self, name: str) -> Transition:
        return next(t for t in self.transitions if t.name == name)


@dataclass(frozen=True, kw_only=True)
class Deadline:
    """Which field is the deadline, and whether its counting uses working days."""

    field: str
    working_days: bool = True
    done_states: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Counter:
    """A running number kept in an integer field, besides the record's `numbering`.

    Gap-free and lock-protected like `numbering` (`engine/numbering.py`): one series per
    value of the `per` fields, restarting at 1 each year of the `yearly_from` date or
    date-time field (local year; now when it is empty), never when it is "". Given once,
    inside the saving transaction: on create (`on=""`) or when transition `on` fires,
    after its hooks. E.g. a register opened yearly per unit and numbered from 01
    (`Counter(field="register_no", per=("desk",), yearly_from="received_at", on="accept")`).
    """

    field: str
    per: tuple[str, ...] = ()
    yearly_from: str = ""
    on: str = ""


ALL = "__all__"  # a Lock over every field of the record


@dataclass(frozen=True, kw_only=True)
class Lock:
    """Fields people may no longer change while a record is in one of `states`.

    A finished record is a fact others count on (a completed task's deadline feeds the
    unit's on-time rate), so the engine refuses, on every write path, a change to a locked
    field with a `LOCKED` field error, unless the user holds one of `roles_may_change`.
    Workflow transitions (the state move and what their hooks set) and values the engine
    derives (`before_save`, the calendar refresh) still write: the lock is about input.
    When several locks cover a field in a state, each of them must let the user through.
    """

    states: tuple[str, ...]
    fields: tuple[str, ...] | str = ALL  # ALL: every declared field, the owning unit and sharing
    except_fields: tuple[str, ...] = ()  # still open in those states (e.g. a citizen's feedback)
    roles_may_change: tuple[str, ...] = ()  # roles that may still correct the locked fields

    def __post_init__(self) -> None:
        if not self.states:
            raise ValueError("Lock: name at least one state")
        if self.fields != ALL and (isinstance(self.fields, str) or not self.fields):
            raise ValueError("Lock: fields is ALL or a tuple of field names")

    def covers(self, state: str, name: str) -> bool:
        """Whether this lock holds `name` in `state` (whoever asks)."""
        if state not in self.states or name in self.except_fields:
            return False
        return self.fields == ALL or name in self.fields


@dataclass(frozen=True, kw_only=True)
class Hooks:
    """The only domain code: callables a module plugs into the generated entity.

    - validate(instance, user) -> {field: [messages]} (empty when valid)
    - validate_children(instance, user, field, rows) -> {"<field>.<index>.<column>": [messages]}:
      the rows of one child table as dicts, judged together (codes unique, formulas
      refer to known codes...); run on every write path, the admin's included
    - before_save(instance, user, created): compute derived fields
    - after_save(instance, user, created): runs inside the transaction
    - graphql_fields: {name: strawberry field} added to the entity's type
    - graphql_mutations: {name: strawberry mutation} added to the schema
    - graphql_queries / graphql_subscriptions: {name: field} added to the root types
    - audit_read(instance, user, via): a record was shown to someone (sensitive data
      keeps a log of every view); called by the admin's record page (via="admin") and by
      the file view for each file read from the record or its child rows (via="file")
    - admin_links(instance, user) -> [{"title", "url", "icon"}]: the module's own pages
      for a record (e.g. a data-entry screen), shown beside History on its admin page
    """

    validate: Callable[[Any, Any], dict[str, list[str]]] | None = None
    validate_children: Callable[[Any, Any, str, list[dict[str, Any]]], dict[str, list[str]]] | None = None
    before_save: Callable[[Any, Any, bool], None] | None = None
    after_save: Callable[[Any, Any, bool], None] | None = None
    graphql_fields: Callable[[], dict[str, Any]] | None = None
    graphql_mutations: Callable[[], dict[str, Any]] | None = None
    graphql_queries: Callable[[], dict[str, Any]] | None = None
    graphql_subscriptions: Callable[[], dict[str, Any]] | None = None
    admin_links: Callable[[Any, Any], list[dict[str, str]]] | None = None
    audit_read: Callable[[Any, Any, str], None] | None = None


ACTIONS = ("view", "add", "change", "delete")


@dataclass(kw_only=True)
class Entity:
    """A declared business object: one table, one admin, one GraphQL type."""

    name: str
    label_vi: str
    label_en: str
    fields: tuple[Field, ...]
    plural_vi: str = ""
    plural_en: str = ""
    title_field: str | None = None
    numbering: str | None = None  # e.g. "NV-{yyyy}-{seq:05}"
    # a transition name: the number is given (and dated) when it fires, not at creation; until
    # then `number` is "" (e.g. an online dossier's code carries the day it is accepted)
    numbering_on: str = ""
    search_fields: tuple[str, ...] = ()
    list_display: tuple[str, ...] = ()
    list_filter: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-id",)
    # column sets that must be unique together, e.g. (("rule", "target", "occurrence"),)
    unique_together: tuple[tuple[str, ...], ...] = ()
    unit_scoped: bool = True  # rows carry an owning unit that scopes visibility
    # a link field: on create, the row belongs to the unit owning the record it names (an
    # applicant's dossier to the unit that published the notice), whoever creates it, so
    # callers from outside the tree (no unit of their own) can create rows
    owner_from: str = ""
    shareable: bool = False  # rows may be marked shared with every unit
    # When set, a row is shared exactly while its workflow state is one of these (e.g.
    # an accepted report), and nobody sets the flag by hand.
    shared_in_states: tuple[str, ...] = ()
    workflow: Workflow | None = None
    # which fields people may no longer change in which workflow states (see `Lock`)
    locks: tuple[Lock, ...] = ()
    deadline: Deadline | None = None
    # running numbers kept in integer fields besides `number` (see `Counter`)
    counters: tuple[Counter, ...] = ()
    # time ranges that never overlap per resource, e.g. a room's bookings
    # (`engine.timeranges.NoOverlap`: an exclusion constraint on PostgreSQL, a serialised check)
    no_overlap: tuple[Any, ...] = ()
    # resources this row takes through another entity's never-overlap rule, e.g. a schedule
    # item's meeting room kept as a room booking (`engine.holds.Holds`, synced by save_record)
    holds: tuple[Any, ...] = ()
    realtime: bool = True
    graphql: bool = True  # False: no generated API (a module serves it its own way, e.g. audited)
    history: bool = True
    # administrators may add fields at run time, kept in the `custom` JSON column
    # (engine/custom_values.py); off for security plumbing (tokens, audits, device events)
    custom_fields: bool = True
    # role code -> actions among ACTIONS; transitions name their own roles
    permissions: dict[str, Sequence[str]] = field(default_factory=dict)
    hooks: Hooks = field(default_factory=Hooks)
    # filled in by the engine when the module is registered
    module: Module | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._check_locks()
        self._check_counters()
        self._check_no_overlap()

    def _check_no_overlap(self) -> None:
        """A range rule on a missing field, a non-link resource or an unknown state is a typo."""
        kinds = {f.name: f.kind for f in self.fields}
        states = {s.code for s in self.workflow.states} if self.workflow else set()
        for rule in self.no_overlap:
            if kinds.get(rule.per) != "link":
                raise ValueError(f"{self.name}: no_overlap per {rule.per!r} is not a link field")
            if kinds.get(rule.start) != "datetime" or kinds.get(rule.end) != "datetime":
                raise ValueError(f"{self.name}: no_overlap needs date-time fields {rule.start}, {rule.end}")
            unknown = sorted(set(rule.states) - states)
            if unknown:
                raise ValueError(f"{self.name}: no_overlap on unknown states {unknown}")

    def _check_counters(self) -> None:
        """A counter on a missing or non-integer field, or an unknown transition, is a typo."""
        kinds = {f.name: f.kind for f in self.fields}
        transitions = {t.name for t in self.workflow.transitions} if self.workflow else set()
        for counter in self.counters:
            if kinds.get(counter.field) != "integer":
                raise ValueError(f"{self.name}: counter {counter.field!r} is not an integer field")
            unknown = [name for name in (*counter.per, counter.yearly_from) if name and name not in kinds]
            if unknown:
                raise ValueError(f"{self.name}: counter {counter.field!r} names unknown fields {unknown}")
            if counter.on and counter.on not in transitions:
                raise ValueError(f"{self.name}: counter {counter.field!r} on unknown transition {counter.on}")
        if self.numbering_on and (not self.numbering or self.numbering_on not in transitions):
            raise ValueError(f"{self.name}: numbering_on {self.numbering_on!r} needs numbering, a transition")

    def _check_locks(self) -> None:
        """A lock naming a state or a field the entity does not have is a typo: refuse it now."""
        if not self.locks:
            return
        if self.workflow is None:
            raise ValueError(f"{self.name}: locks follow workflow states, and it has no workflow")
        states = {s.code for s in self.workflow.states}
        fields = set(self.lockable_fields())
        for lock in self.locks:
            unknown_states = set(lock.states) - states
            if unknown_states:
                raise ValueError(f"{self.name}: lock on unknown states {sorted(unknown_states)}")
            named = set(lock.except_fields) | (set() if lock.fields == ALL else set(lock.fields))
            unknown_fields = named - fields
            if unknown_fields:
                raise ValueError(f"{self.name}: lock on unknown fields {sorted(unknown_fields)}")

    def lockable_fields(self) -> tuple[str, ...]:
        """Every field a lock may hold: the declared ones, the owning unit, sharing by hand."""
        names = [f.name for f in self.fields]
        if self.unit_scoped:
            names.append("owner_unit")
        if self.shareable and not self.shared_in_states:
            names.append("is_shared")
        return tuple(names)

    def locked_fields(self, state: str | None, roles: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The fields someone holding `roles` may not change in `state` (none without a lock)."""
        if state is None or not self.locks:
            return ()
        return tuple(
            name
            for name in self.lockable_fields()
            if any(lock.covers(state, name) and not roles & set(lock.roles_may_change) for lock in self.locks)
        )

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def app_label(self) -> str:
        assert self.module is not None, "entity not registered in a module"
        return self.module.label

    @property
    def label(self) -> str:
        """`app_label.Name`, the form Django uses for model references."""
        return f"{self.app_label}.{self.name}"


PAGE_AUDIENCES = ("public", "board", "staff")


@dataclass(frozen=True, kw_only=True)
class Page:
    """A page of the module's own (a live board, a public form), so that the admin's
    sidebar and `make run`'s summary can point people to it.

    audience: "public" (no account), "board" (signed in, or a read-only board token),
    "staff" (signed in). `url_name` is the Django URL name; `entity` (optional, the
    entity's name) hides a staff or board page from people who may not view that entity.
    """

    url_name: str
    title_vi: str
    title_en: str
    audience: str
    icon: str = "open_in_new"
    entity: str | None = None

    def __post_init__(self) -> None:
        if self.audience not in PAGE_AUDIENCES:
            raise ValueError(f"Page {self.url_name}: audience must be one of {PAGE_AUDIENCES}")


@dataclass(frozen=True, kw_only=True)
class Outbox:
    """Messages a module sends outside (an applicant's email or SMS, another agency's system).

    Each message is written in the same transaction as the change that causes it, and sent by
    the job worker after commit, in order per stream, with retries and exponential backoff
    (`engine/outbox.py`); failures stay visible in the admin. `channels` names the delivery
    channels allowed ("email", "sms", or one a module registers with `outbox.register_channel`).
    """

    name: str
    label_vi: str
    label_en: str
    channels: tuple[str, ...] = ("email",)
    # what a message may be about: (code, label_vi, label_en), shown in the admin by its label
    topics: tuple[tuple[str, str, str], ...] = ()
    max_attempts: int = 8  # then the message is marked failed and waits for an administrator
    backoff_seconds: int = 30  # the first retry's delay, doubled each time
    max_backoff_seconds: int = 3600


@dataclass(kw_only=True)
class Module:
    """A domain: a Django app whose entities are all declared."""

    label: str
    name_vi: str
    name_en: str
    entities: tuple[Entity, ...]
    icon: str = "apps"  # a Material Symbols name for the admin sidebar
    order: int = 100
    # (user) -> the module's part of the admin dashboard (engine.dashboard.Panel: headline
    # figures as admin-list filters, optional trends and rankings), or None
    dashboard: Callable[[Any], Any] | None = None
    # (request) -> extra sidebar links to the module's own pages: [{"title", "icon", "link"}]
    links: Callable[[Any], list[dict[str, Any]]] | None = None
    # the module's own pages (boards, public forms), linked from the sidebar and `make run`
    pages: tuple[Page, ...] = ()
    # the module's outboxes: messages sent after commit, with retries (see `Outbox`)
    outboxes: tuple[Outbox, ...] = ()

    def __post_init__(self) -> None:
        for entity in self.entities:
            entity.module = self
        names = {e.name for e in self.entities}
        for page in self.pages:
            if page.entity is not None and page.entity not in names:
                raise ValueError(f"Page {page.url_name}: {self.label} has no entity {page.entity!r}")

    def entity(self, name: str) -> Entity:
        return next(e for e in self.entities if e.name == name)
