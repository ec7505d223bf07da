"""Custom fields at run time: their definitions per entity, who may see or change them,
and the typed check of the `custom` JSON column on every write (`services.save_record`).

Definitions are read once per process and re-read when the shared version token moves:
every save of a `CustomField` or `ChoiceOption` writes a new token to the shared cache
(Redis, or the file cache on the embedded setup) after commit, and bumps a local counter
at once, so the writing process sees its own change inside its transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from . import registry
from .errors import FieldProblem, InvalidInput

VERSION_KEY = "engine:custom-fields:version"
PERSON = "org.Person"

REQUIRED = "Trường này là bắt buộc. / This field is required."
MAY_NOT_CHANGE = "Bạn không được sửa trường này. / You may not change this field."
UNKNOWN = "Trường bổ sung không tồn tại. / Unknown custom field."
ARCHIVED = "Trường đã lưu trữ, không sửa được. / The field is archived and cannot be changed."
RETIRED = "Lựa chọn này đã ngừng dùng. / This option is retired."
NOT_AN_OPTION = "Giá trị không có trong danh sách. / Not one of the options."
NOT_FOUND_LINK = "Không tìm thấy bản ghi được liên kết. / The linked record was not found."
RETYPE = (
    "Không đổi được kiểu hoặc mã của trường đã có dữ liệu ({count} bản ghi); hãy tạo trường mới. / "
    "The type or code of a field that holds values ({count} records) cannot change; add a new field."
)

_local = {"bump": 0}
_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "defs": {}}


@dataclass(frozen=True)
class Option:
    code: str
    label_vi: str
    label_en: str
    retired: bool


@dataclass(frozen=True)
class Definition:
    """One custom field as the write path, the admin and the API use it."""

    entity: str
    code: str
    label_vi: str
    label_en: str
    help_vi: str
    help_en: str
    type: str
    target: str
    required: bool
    default: Any
    roles_see: tuple[str, ...]
    roles_change: tuple[str, ...]
    in_list: bool
    in_filter: bool
    in_search: bool
    archived: bool
    options: tuple[Option, ...]

    @property
    def key(self) -> str:
        """The name errors carry (`extensions.field`)."""
        return f"custom.{self.code}"

    @property
    def link_target(self) -> str:
        return PERSON if self.type == "person" else self.target


# --- version ----------------------------------------------------------------------


def version() -> str | None:
    """The shared token that moves on every change of a definition (one cache read).

    None when the definitions' tables do not exist yet (a database not migrated): there are
    no custom fields then, and the declared schema serves.
    """
    token = cache.get(VERSION_KEY)
    if token is None:  # evicted or first start: derive it from the tables, then share it
        from .custom_models import ChoiceOption, CustomField

        try:
            with transaction.atomic():  # a savepoint: a failed read must not spoil the request's transaction
                fields = CustomField.objects.aggregate(n=Count("id"), at=Max("updated_at"))
                options = ChoiceOption.objects.aggregate(n=Count("id"), top=Max("id"))
        except DatabaseError:
            return None
        token = f"db-{fields['n']}-{fields['at']}-{options['n']}-{options['top']}"
        cache.set(VERSION_KEY, token, None)
    return f"{token}.{_local['bump']}"


def bump(**_: Any) -> None:
    """A definition changed: this process now, every process once the change commits."""
    with _lock:
        _local["bump"] += 1
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


# --- definitions ------------------------------------------------------------------


def _load() -> dict[str, tuple[Definition, ...]]:
    from .custom_models import ChoiceOption, CustomField

    options: dict[int, list[Option]] = {}
    for row in ChoiceOption.objects.order_by("order", "code"):
        options.setdefault(row.field_id, []).append(Option(row.code, row.label_vi, row.label_en, row.retired))
    found: dict[str, list[Definition]] = {}
    for row in CustomField.objects.order_by("order", "code"):
        found.setdefault(row.entity, []).append(
            Definition(
                entity=row.entity,
                code=row.code,
                label_vi=row.label_vi,
                label_en=row.label_en,
                help_vi=row.help_vi,
                help_en=row.help_en,
                type=row.type,
                target=row.target,
                required=row.required,
                default=row.default,
                roles_see=tuple(row.roles_see or ()),
                roles_change=tuple(row.roles_change or ()),
                in_list=row.in_list,
                in_filter=row.in_filter,
                in_search=row.in_search,
                archived=row.archived,
                options=tuple(options.get(row.pk, ())),
            )
        )
    return {label: tuple(defs) for label, defs in found.items()}


def all_definitions(label: str) -> tuple[Definition, ...]:
    """Every definition of an entity (`app.Entity`), archived ones included."""
    key = version()
    if key is None:  # tables not migrated yet: nothing can be defined
        return ()
    with _lock:
        if _cache["key"] == key:
            return _cache["defs"].get(label, ())
    try:
        with transaction.atomic():  # a savepoint: a failed read must not spoil the caller's transaction
            defs = _load()
    except DatabaseError:  # tables missing (a database not migrated, a stale shared token): none
        return ()
    with _lock:
        _cache.update(key=key, defs=defs)
    return defs.get(label, ())


def definitions(label: str) -> tuple[Definition, ...]:
    """The active (not archived) custom fields of an entity, in their order."""
    return tuple(d for d in all_definitions(label) if not d.archived)


def every_active() -> dict[str, tuple[Definition, ...]]:
    """Active definitions of every entity that allows custom fields (for building the API)."""
    return {
        e.label: definitions(e.label) for e in registry.entities() if e.custom_fields and definitions(e.label)
    }


# --- who may see / change ---------------------------------------------------------


def roles_of(user: Any) -> frozenset[str]:
    cached = getattr(user, "_onemst_custom_roles", None)
    if cached is None:
        cached = (
            frozenset(user.groups.values_list("name", flat=True))
            if getattr(user, "pk", None)
            else frozenset()
        )
        with contextlib.suppress(AttributeError):  # AnonymousUser takes no attributes
            user._onemst_custom_roles = cached
    return cached


def may_see(defn: Definition, user: Any) -> bool:
    if getattr(user, "is_superuser", False) or not defn.roles_see:
        return True
    return bool(roles_of(user) & set(defn.roles_see))


def may_change(defn: Definition, user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    if not may_see(defn, user):
        return False
    return not defn.roles_change or bool(roles_of(user) & set(defn.roles_change))


def visible(label: str, user: Any) -> tuple[Definition, ...]:
    return tuple(d for d in definitions(label) if may_see(d, user))


# --- values -----------------------------------------------------------------------


class Bad(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
        raise Bad("INVALID", "Cần một số nguyên. / An integer is expected.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise Bad("INVALID", "Cần một số nguyên. / An integer is expected.") from error
    if number != number.to_integral_value() or abs(number) >= 10**15:
        raise Bad("INVALID", "Cần một số nguyên. / An integer is expected.")
    return int(number)


def normalise(defn: Definition, value: Any) -> Any:
    """The JSON form a value is stored in, or `Bad`: decimals as exact strings, dates ISO."""
    kind = defn.type
    if kind in ("text", "longtext"):
        if not isinstance(value, str):
            raise Bad("INVALID", "Cần một chuỗi văn bản. / Text is expected.")
        if kind == "text" and len(value) > 255:
            raise Bad("TOO_LONG", "Tối đa 255 ký tự. / At most 255 characters.")
        return value
    if kind == "integer":
        return _integer(value)
    if kind == "money":
        amount = _integer(value)
        if amount < 0:
            raise Bad("INVALID", "Số tiền không được âm. / An amount cannot be negative.")
        return amount
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
            raise Bad("INVALID", "Cần một số. / A number is expected.")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as error:
            raise Bad("INVALID", "Cần một số. / A number is expected.") from error
        if not number.is_finite() or abs(number) >= 10**16:
            raise Bad("INVALID", "Cần một số. / A number is expected.")
        return str(number)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise Bad("INVALID", "Cần có hoặc không. / Yes or no is expected.")
        return value
    if kind == "date":
        day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
        if day is None and isinstance(value, str):
            try:
                day = parse_date(value)
            except ValueError:
                day = None
        if day is None:
            raise Bad("INVALID", "Ngày không hợp lệ (YYYY-MM-DD). / Invalid date (YYYY-MM-DD).")
        return day.isoformat()
    if kind == "datetime":
        moment = value if isinstance(value, dt.datetime) else None
        if moment is None and isinstance(value, str):
            try:
                moment = parse_datetime(value)
            except ValueError:
                moment = None
        if moment is None:
            raise Bad("INVALID", "Ngày giờ không hợp lệ. / Invalid date and time.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    if kind == "choice":
        if not isinstance(value, str) or value not in {o.code for o in defn.options}:
            raise Bad("INVALID_CHOICE", NOT_AN_OPTION)
        return value
    if kind in ("link", "person"):
        pk = getattr(value, "pk", value)
        if isinstance(pk, bool) or not str(pk).isdigit():
            raise Bad("NOT_FOUND", NOT_FOUND_LINK)
        return int(pk)
    raise Bad("INVALID", f"Kiểu không hỗ trợ / Unsupported type: {kind}")


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _old_values(instance: Any) -> dict[str, Any]:
    stored = type(instance)._default_manager.filter(pk=instance.pk).values_list("custom", flat=True).first()
    return stored if isinstance(stored, dict) else {}


def check(entity: Any, user: Any, instance: Any, *, created: bool) -> None:
    """Judge `instance.custom` against the definitions; store normalised values or raise.

    Unchanged values are kept as they are (an archived field's value, a retired option on an
    old record); a changed one must be allowed to the user, of its type, and, for choices,
    an option in use; links must point at a record the user can see (`scoped_queryset`)."""
    if not getattr(entity, "custom_fields", False):
        return
    from .access import scoped_queryset

    values = instance.custom
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise InvalidInput([FieldProblem("custom", "INVALID", "Cần một đối tượng. / An object is expected.")])
    defs = {d.code: d for d in all_definitions(entity.label)}
    if not defs and not values:
        return
    old = {} if created else _old_values(instance)
    problems: list[FieldProblem] = []
    result = dict(values)
    for code, value in values.items():
        defn = defs.get(code)
        unchanged = code in old and old[code] == value
        if defn is None:
            if not unchanged:
                problems.append(FieldProblem(f"custom.{code}", "UNKNOWN_FIELD", UNKNOWN))
            continue
        if unchanged:
            continue
        if defn.archived:
            problems.append(FieldProblem(defn.key, "READ_ONLY", ARCHIVED))
            continue
        if not may_change(defn, user):
            problems.append(FieldProblem(defn.key, "FORBIDDEN", MAY_NOT_CHANGE))
            continue
        if _empty(value):
            result[code] = None
            continue
        try:
            result[code] = normalise(defn, value)
        except Bad as bad:
            problems.append(FieldProblem(defn.key, bad.code, bad.message))
            continue
        if defn.type == "choice" and any(o.code == value and o.retired for o in defn.options):
            problems.append(FieldProblem(defn.key, "RETIRED_CHOICE", RETIRED))
        if defn.type in ("link", "person"):
            try:
                target = registry.entity_by_label(defn.link_target)
            except (KeyError, StopIteration, ValueError):
                problems.append(FieldProblem(defn.key, "NOT_FOUND", NOT_FOUND_LINK))
                continue
            if not scoped_queryset(user, target, "view").filter(pk=result[code]).exists():
                problems.append(FieldProblem(defn.key, "NOT_FOUND", NOT_FOUND_LINK))
    for defn in defs.values():
        if defn.archived:
            continue
        if created and defn.code not in values and defn.default is not None:
            result[defn.code] = defn.default
        # Required on new records and when a value is cleared: records made before the field
        # existed are not blocked from every other edit.
        cleared = defn.code in values and _empty(values[defn.code]) and not _empty(old.get(defn.code))
        missing = _empty(result.get(defn.code))
        if defn.required and missing and (created or cleared) and may_change(defn, user):
            problems.append(FieldProblem(defn.key, "REQUIRED", REQUIRED))
    if problems:
        raise InvalidInput(problems)
    instance.custom = result


def merge_input(instance: Any, given: dict[str, Any]) -> None:
    """An API input names only the custom fields it changes: the others keep their value."""
    current = instance.custom if isinstance(getattr(instance, "custom", None), dict) else {}
    instance.custom = {**current, **{code: _json_safe(value) for code, value in given.items()}}


def _json_safe(value: Any) -> Any:
    """Typed API values (Decimal, dates) as JSON, so the model's own clean accepts them."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# --- definitions themselves -------------------------------------------------------


def check_definition(field: Any) -> None:
    """The entity allows custom fields, a link names an entity, and a field holding values
    keeps its type and code (a retype or rename would silently strand them)."""
    try:
        entity = registry.entity_by_label(field.entity)
    except (KeyError, StopIteration, ValueError):
        entity = None
    if entity is None or not entity.custom_fields:
        raise ValidationError(
            {
                "entity": ValidationError(
                    "Đối tượng không nhận trường bổ sung. / This entity takes no custom fields.",
                    code="NOT_ALLOWED",
                )
            }
        )
    if field.type == "link":
        try:
            registry.entity_by_label(field.target)
        except (KeyError, StopIteration, ValueError):
            raise ValidationError(
                {
                    "target": ValidationError(
                        "Cần một đối tượng dạng app.Entity. / Name an entity as app.Entity.", code="INVALID"
                    )
                }
            ) from None
    if not field.pk:
        return
    before = type(field)._default_manager.filter(pk=field.pk).values("type", "code", "entity").first()
    if before is None or (before["type"], before["code"], before["entity"]) == (
        field.type,
        field.code,
        field.entity,
    ):
        return
    model = registry.model_for(before["entity"])
    count = (
        model._default_manager.filter(custom__has_key=before["code"])
        .exclude(**{f"custom__{before['code']}": None})
        .count()
    )
    if count:
        raise ValidationError(
            {"type": ValidationError(RETYPE.format(count=count), code="RETYPE_WITH_VALUES")}
        )
