"""Safe edits of custom-field definitions: the optimistic version check, the default's type
check, the roles check, and the list of what an edit would break for API clients, shown before it is saved.

Two administrators editing one definition at once: each edit carries the `version` it
started from; saving claims the row with `UPDATE … WHERE version = <that>` (PostgreSQL
row lock; SQLite's IMMEDIATE transactions serialise writers), so the later save finds the
version moved and is refused with who changed it and when, never silently overwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from . import custom_values
from .custom_values import Definition, Option

STALE = (
    "Trường này vừa được {who} sửa lúc {when}; hãy tải lại trang rồi sửa lại. / "
    "{who} changed this field at {when}; reload the page and edit again."
)
BAD_DEFAULT = "Giá trị mặc định không hợp lệ: {reason}"
SOMEONE = "một người khác / someone else"


class StaleDefinition(ValidationError):
    """The definition changed since this edit started (`code` = STALE_VERSION)."""

    def __init__(self, who: str, when: str, current: int) -> None:
        super().__init__(STALE.format(who=who, when=when), code="STALE_VERSION")
        self.who, self.when, self.current = who, when, current


def _last_change(pk: int) -> tuple[str, str]:
    from .custom_models import CustomField

    row = CustomField.history.filter(id=pk).select_related("history_user").order_by("-history_id").first()
    if row is None:
        return SOMEONE, "?"
    user = row.history_user
    who = (user.get_full_name() or user.get_username()) if user is not None else SOMEONE
    return who, date_format(timezone.localtime(row.history_date), "d/m/Y H:i:s")


def stale(field: Any) -> StaleDefinition | None:
    """The refusal for `field` when its row moved past `field.version`, else None."""
    from .custom_models import CustomField

    rows = CustomField.objects.filter(pk=field.pk)
    if transaction.get_connection().in_atomic_block:  # hold the row till this edit commits (PostgreSQL)
        rows = rows.select_for_update()
    current = rows.values_list("version", flat=True).first()
    if current is None or current == field.version:
        return None
    who, when = _last_change(field.pk)
    return StaleDefinition(who, when, current)


def claim(field: Any) -> dict[str, Any] | None:
    """Move the row from `field.version` to the next (inside the save's transaction) and
    return its committed state before this edit; raise `StaleDefinition` if someone else
    moved it first."""
    from .custom_models import CustomField

    moved = CustomField.objects.filter(pk=field.pk, version=field.version).update(version=field.version + 1)
    if not moved:
        refusal = stale(field)
        if refusal is not None:
            raise refusal
        return None  # the row is gone: an ordinary insert follows
    field.version += 1
    return CustomField.objects.filter(pk=field.pk).values("type", "code", "entity", "version").first()


# --- a definition as it would be ------------------------------------------------------


def saved_options(field: Any) -> tuple[Option, ...]:
    if not field.pk:
        return ()
    return tuple(
        Option(o.code, o.label_vi, o.label_en, o.retired) for o in field.options.order_by("order", "code")
    )


def definition_of(field: Any, options: tuple[Option, ...] | None = None) -> Definition:
    """The runtime `Definition` of an (unsaved) `CustomField` with these options."""
    return Definition(
        entity=field.entity,
        code=field.code,
        label_vi=field.label_vi,
        label_en=field.label_en,
        help_vi=field.help_vi,
        help_en=field.help_en,
        type=field.type,
        target=field.target,
        required=field.required,
        default=field.default,
        roles_see=tuple(field.roles_see or ()),
        roles_change=tuple(field.roles_change or ()),
        in_list=field.in_list,
        in_filter=field.in_filter,
        in_search=field.in_search,
        archived=field.archived,
        options=saved_options(field) if options is None else tuple(options),
    )


def check_default(field: Any, options: tuple[Option, ...] | None = None) -> None:
    """The default must be a value of the field's type (and an option in use, for a choice);
    it is stored in the same JSON form as values are."""
    if field.default in (None, ""):
        field.default = None
        return
    defn = definition_of(field, options)
    try:
        value = custom_values.normalise(defn, field.default)
    except custom_values.Bad as bad:
        raise ValidationError(
            {"default": ValidationError(BAD_DEFAULT.format(reason=bad.message), code=bad.code)}
        ) from None
    if defn.type == "choice" and any(o.code == value and o.retired for o in defn.options):
        raise ValidationError(
            {
                "default": ValidationError(
                    BAD_DEFAULT.format(reason=custom_values.RETIRED), code="RETIRED_CHOICE"
                )
            }
        )
    field.default = value


UNKNOWN_ROLE = "Vai trò không tồn tại: {codes}. / Unknown role: {codes}."
NOT_ROLES = "Cần một danh sách vai trò. / A list of roles is expected."


def check_roles(field: Any) -> None:
    """Who may see / change: lists of declared roles (`roles.declared_roles`), judged field
    by field, so the form marks each list that is wrong; duplicates are dropped."""
    from .roles import declared_roles

    known = {code for code, _, _ in declared_roles()}
    problems: dict[str, ValidationError] = {}
    for name in ("roles_see", "roles_change"):
        given = getattr(field, name)
        if given in (None, ""):
            setattr(field, name, [])
            continue
        if not isinstance(given, (list, tuple)) or not all(isinstance(code, str) for code in given):
            problems[name] = ValidationError(NOT_ROLES, code="INVALID")
            continue
        unknown = [code for code in given if code not in known]
        if unknown:
            message = UNKNOWN_ROLE.format(codes=", ".join(unknown))
            problems[name] = ValidationError(message, code="INVALID_ROLE")
            continue
        setattr(field, name, list(dict.fromkeys(given)))
    if problems:
        raise ValidationError(problems)


# --- what an edit breaks ----------------------------------------------------------------


@dataclass(frozen=True)
class Breaking:
    """One change an API client may trip over; `description` is shown to the administrator."""

    kind: str
    description: str


KINDS_VI = {
    "FIELD_REMOVED": "Trường bị bỏ / Field removed",
    "FIELD_CHANGED_KIND": "Kiểu trường đổi / Field type changed",
    "TYPE_REMOVED": "Kiểu bị bỏ / Type removed",
    "ARG_CHANGED_KIND": "Kiểu tham số đổi / Argument type changed",
    "REQUIRED_INPUT_FIELD_ADDED": "Thêm trường bắt buộc / Required input field added",
    "OPTION_RETIRED": "Lựa chọn ngừng dùng / Option retired",
    "REQUIRED_ADDED": "Trường thành bắt buộc / Field now required",
    "VISIBILITY_NARROWED": "Thu hẹp vai trò được xem / Fewer roles may see it",
    "CHANGE_NARROWED": "Thu hẹp vai trò được sửa / Fewer roles may change it",
}


def _schema_changes(before: Definition | None, after: Definition | None, entity: str) -> list[Breaking]:
    """graphql-core's `find_breaking_changes` between the served schema and the schema with
    this edit (built aside, under the rebuild lock, leaving `schema.generated` as it was)."""
    from graphql import find_breaking_changes

    from schema import custom, generated, runtime
    from schema.schema import build_schema

    served = runtime.current_schema()
    now = dict(custom_values.every_active())
    defs = [d for d in now.get(entity, ()) if before is None or d.code != before.code]
    if after is not None and not after.archived:
        defs.append(after)
    proposed = {**now, entity: tuple(defs)}
    if not defs:
        proposed.pop(entity)
    with runtime._lock:
        kept = dict(vars(generated))
        try:
            with custom.building(proposed):
                edited = build_schema()
        finally:
            for name in set(vars(generated)) - set(kept):
                delattr(generated, name)
            for name, value in kept.items():
                setattr(generated, name, value)
    return [
        Breaking(change.type.name, _describe(change))
        for change in find_breaking_changes(served._schema, edited._schema)
    ]


def _describe(change: Any) -> str:
    return f"{KINDS_VI.get(change.type.name, change.type.name)}: {change.description}"


def _shape(defn: Definition | None) -> Any:
    if defn is None or defn.archived:
        return None
    return (defn.code, defn.type, defn.target, defn.in_filter)


def breaking_changes(field: Any, options: tuple[Option, ...] | None = None) -> list[Breaking]:
    """What saving `field` (with these options) would break for API clients, before saving.

    Schema changes (a field removed, archived, renamed, retyped, taken out of the filter)
    come from graphql-core; rules the schema cannot show (an option retired, a field made
    required, fewer roles seeing or changing it) are listed beside them."""
    before = None
    if field.pk:
        for defn in custom_values.all_definitions(field.entity):
            stored = type(field)._default_manager.filter(pk=field.pk).values_list("code", flat=True).first()
            if defn.code == stored:
                before = defn
    after = definition_of(field, options)
    found: list[Breaking] = []
    if _shape(before) != _shape(after) and (before is not None and not before.archived):
        found += _schema_changes(before, after, field.entity)
    if before is None or before.archived or after.archived:
        return found
    kept = {o.code for o in after.options if not o.retired}
    for option in before.options:
        if not option.retired and option.code not in kept:
            found.append(
                Breaking("OPTION_RETIRED", f"{KINDS_VI['OPTION_RETIRED']}: {after.code}.{option.code}")
            )
    if after.required and not before.required:
        found.append(Breaking("REQUIRED_ADDED", f"{KINDS_VI['REQUIRED_ADDED']}: {after.code}"))
    for kind, old, new in (
        ("VISIBILITY_NARROWED", before.roles_see, after.roles_see),
        ("CHANGE_NARROWED", before.roles_change, after.roles_change),
    ):
        lost = sorted(_role_names(set(old) - set(new))) if old else ["mọi vai trò khác / every other role"]
        if new and lost:
            found.append(Breaking(kind, f"{KINDS_VI[kind]}: {after.code} ({', '.join(lost)})"))
    return found


def _role_names(codes: set[str]) -> list[str]:
    """Roles as people know them (Vietnamese names), not their codes."""
    from .roles import declared_roles

    names = {code: label_vi for code, label_vi, _ in declared_roles()}
    return [names.get(code, code) for code in codes]
