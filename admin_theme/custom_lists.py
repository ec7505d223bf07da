"""Custom fields on an entity's change list: columns, filters and search, per role.

A field the user may not see (`custom_values.visible`) is no column, no filter and no search
target, and the list refuses any URL lookup on the `custom` column (`?custom__x=…` would
otherwise let anyone guess a hidden value: Django allows lookups on local fields).
Columns show values as people read them (`engine.custom_display`), with the names of linked
records read once per page, never one query per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import DecimalField, QuerySet, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date
from unfold.contrib.filters.admin import DropdownFilter, TextFilter
from unfold.contrib.filters.forms import RangeDateForm, RangeNumericForm

from modules.engine import access, custom_query, custom_search, custom_values, registry
from modules.engine import search as engine_search
from modules.engine.custom_display import label_of, link_names, value_of
from modules.engine.custom_values import Definition
from modules.engine.definitions import Entity
from modules.engine.i18n import bilingual

NAMES_ATTR = "_onemst_custom_names"
PARAM = "cf_"  # a custom filter's URL parameter: cf_<code>, cf_<code>_from, cf_<code>_to
EMPTY = "-"


def visible(entity: Entity, user: Any) -> tuple[Definition, ...]:
    return custom_values.visible(entity.label, user) if entity.custom_fields else ()


# --- columns -------------------------------------------------------------------------


def list_columns(entity: Entity, user: Any) -> list[Any]:
    """Columns for the custom fields flagged "in list" that this user may see."""
    columns = []
    for defn in visible(entity, user):
        if not defn.in_list:
            continue

        def column(obj: Any, defn: Definition = defn) -> str:
            value = (obj.custom or {}).get(defn.code)
            text = value_of(defn, value, obj.__dict__.get(NAMES_ATTR))
            return EMPTY if text is None else text

        column.short_description = label_of(defn)  # type: ignore[attr-defined]
        column.__name__ = f"custom_{defn.code}"
        columns.append(column)
    return columns


# --- filters -------------------------------------------------------------------------


class _CustomFilter:
    defn: Definition

    @property
    def field(self) -> str:
        return f"custom__{self.defn.code}"


class ChoiceFilter(_CustomFilter, DropdownFilter):
    """A choice field: its options by label (retired ones too: old records hold them)."""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(o.code, str(bilingual(o.label_vi, o.label_en))) for o in self.defn.options]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value in (None, ""):
            return queryset
        if value not in {o.code for o in self.defn.options}:
            raise IncorrectLookupParameters(value)
        return queryset.filter(**{self.field: value})


class YesNoFilter(_CustomFilter, DropdownFilter):
    """A yes/no field: Có / Không."""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", str(bilingual("Có", "Yes"))), ("0", str(bilingual("Không", "No")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value in (None, ""):
            return queryset
        if value not in ("0", "1"):
            raise IncorrectLookupParameters(value)
        return queryset.filter(**{self.field: value == "1"})


class RangeFilter(_CustomFilter, admin.ListFilter):
    """A date or number field: from … to (either end may be empty), with Unfold's inputs."""

    template = "unfold/filters/filters_numeric_range.html"
    form_class: type = RangeNumericForm
    upper_lookup = "lte"  # the "to" end is included

    def __init__(self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        self.request = request
        for name in self.expected_parameters():
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value

    @property
    def parameter_name(self) -> str:
        return f"{PARAM}{self.defn.code}"

    def expected_parameters(self) -> list[str]:
        return [f"{self.parameter_name}_from", f"{self.parameter_name}_to"]

    def has_output(self) -> bool:
        return True

    def bound(self, text: str) -> Any:
        raise NotImplementedError

    def upper(self, text: str) -> Any:
        """The "to" end, compared with `upper_lookup`."""
        return self.bound(text)

    def target(self) -> Any:
        raise NotImplementedError

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        low, high = (self.used_parameters.get(n) for n in self.expected_parameters())
        if low in (None, "") and high in (None, ""):
            return queryset
        try:
            low = None if low in (None, "") else self.bound(low)
            high = None if high in (None, "") else self.upper(high)
        except (ValueError, InvalidOperation) as error:
            raise IncorrectLookupParameters(str(error)) from error
        alias = f"_onemst_range_{self.defn.code}"
        queryset = queryset.alias(**{alias: self.target()})
        if low is not None:
            queryset = queryset.filter(**{f"{alias}__gte": low})
        if high is not None:
            queryset = queryset.filter(**{f"{alias}__{self.upper_lookup}": high})
        return queryset

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        yield {
            "request": self.request,
            "parameter_name": self.parameter_name,
            "form": self.form_class(
                name=self.parameter_name,
                data={n: self.used_parameters.get(n) for n in self.expected_parameters()},
            ),
        }


class DateRangeFilter(RangeFilter):
    """Dates are stored ISO (YYYY-MM-DD), so their text orders as the dates do."""

    template = "unfold/filters/filters_date_range.html"
    form_class = RangeDateForm

    def bound(self, text: str) -> str:
        day = parse_date(text.strip())
        if day is None:  # the admin's date input may send dd/mm/yyyy
            day = dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
        return day.isoformat()

    def target(self) -> Any:
        return Cast(KT(self.field), TextField())  # plain text comparison, not a JSON one


class DateTimeRangeFilter(DateRangeFilter):
    """A date-time field, by days in the country's time zone (Asia/Ho_Chi_Minh): from the
    first day's 00:00 to the end of the last day. Compared as instants (`custom_query.typed`,
    the field's index expression), so 08:00+07:00 is before 02:00+00:00."""

    upper_lookup = "lt"  # before the day after the last one

    def bound(self, text: str) -> dt.datetime:
        """The day's first instant, in the current time zone (Asia/Ho_Chi_Minh)."""
        day = dt.date.fromisoformat(super().bound(text))
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    def upper(self, text: str) -> dt.datetime:
        day = dt.date.fromisoformat(DateRangeFilter.bound(self, text)) + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    def target(self) -> Any:
        return custom_query.typed(self.defn.code, "datetime")


class NumberRangeFilter(RangeFilter):
    """Integers, money and decimals (decimals are stored as exact text): compared as numbers."""

    def bound(self, text: str) -> Decimal:
        number = Decimal(text.strip().replace(",", "."))
        if not number.is_finite():
            raise ValueError(text)
        return number

    def target(self) -> Any:
        return Cast(KT(self.field), DecimalField(max_digits=30, decimal_places=6))


class ContainsFilter(_CustomFilter, TextFilter):
    """A text field: the rows whose value contains the words typed, diacritics and case
    ignored like the search ("nguyen" finds "Nguyễn"; `custom_search.Fold`)."""

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        term = engine_search.fold((self.value() or "").strip())
        if not term:
            return queryset
        if len(term) > 255:
            raise IncorrectLookupParameters(term[:40])
        alias = f"_onemst_contains_{self.defn.code}"
        queryset = queryset.alias(**{alias: custom_search.Fold(KT(self.field))})
        return queryset.filter(**{f"{alias}__contains": term})


class LinkFilter(_CustomFilter, DropdownFilter):
    """A link or person field: pick one of the linked records this user may see.

    The engine's rule decides twice: the options are the target's rows in the user's
    `access.scoped_queryset` (the rule the write path judges links by) that the visible rows
    point at, and a value given in the URL outside that scope is refused as a bad filter
    (whether or not such a record exists), so another unit's record can be neither picked
    nor probed ("which of my rows point at record 42?")."""

    LIMIT = 500  # a dropdown, not a search: the most recent ones when there are more

    def _target(self, request: HttpRequest) -> QuerySet | None:
        try:
            target = registry.entity_by_label(self.defn.link_target)
        except (KeyError, StopIteration, ValueError):
            return None
        return access.scoped_queryset(request.user, target, "view")

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        visible = self._target(request)
        if visible is None:
            return []
        alias = f"_onemst_link_{self.defn.code}"
        used = (
            model_admin.get_queryset(request)
            .annotate(**{alias: custom_query.typed(self.defn.code, self.defn.type)})
            .filter(**{f"{alias}__isnull": False})
            .values(alias)
        )
        rows = visible.filter(pk__in=used).order_by("-pk")[: self.LIMIT]
        return sorted(((str(row.pk), str(row)) for row in rows), key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value in (None, ""):
            return queryset
        text = str(value)
        visible = self._target(request)
        well_formed = text.isdigit() and len(text) <= 18  # a bigint, not an overflow
        if not well_formed or visible is None or not visible.filter(pk=int(text)).exists():
            raise IncorrectLookupParameters(text[:40])
        alias = f"_onemst_link_{self.defn.code}"
        queryset = queryset.alias(**{alias: custom_query.typed(self.defn.code, self.defn.type)})
        return queryset.filter(**{alias: int(text)})


FILTERS = {
    "choice": ChoiceFilter,
    "boolean": YesNoFilter,
    "date": DateRangeFilter,
    "datetime": DateTimeRangeFilter,
    "integer": NumberRangeFilter,
    "money": NumberRangeFilter,
    "decimal": NumberRangeFilter,
    "text": ContainsFilter,
    "longtext": ContainsFilter,
    "link": LinkFilter,
    "person": LinkFilter,
}


def list_filters(entity: Entity, user: Any) -> list[type]:
    """One filter class per custom field flagged "in filters" that this user may see."""
    found = []
    for defn in visible(entity, user):
        base = FILTERS.get(defn.type)
        if not defn.in_filter or base is None:
            continue
        attrs: dict[str, Any] = {"__module__": __name__, "defn": defn, "title": label_of(defn)}
        if base in (ChoiceFilter, YesNoFilter, ContainsFilter, LinkFilter):
            attrs["parameter_name"] = f"{PARAM}{defn.code}"
        found.append(type(f"Custom{defn.code.title().replace('_', '')}Filter", (base,), attrs))
    return found


# --- the admin mixin ----------------------------------------------------------------


class CustomFieldsListMixin:
    """For a generated admin: custom columns, filters and search for the viewer's role."""

    entity: Entity

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [*super().get_list_filter(request), *list_filters(self.entity, request.user)]

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest | None = None) -> bool:
        if lookup.split("__", 1)[0] == "custom":  # only through the filters above
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """The declared search (diacritics ignored), widened to the custom fields marked
        "in search" that this user may see: each word may match either."""
        targets = [d for d in visible(self.entity, request.user) if d.in_search]
        if not search_term.strip() or not targets:
            return super().get_search_results(request, queryset, search_term)
        declared = engine_search.matches if engine_search.columns(self.entity) else None
        return custom_search.search(queryset, targets, search_term, declared), False

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        """The names of records that the page's link columns point at, read once."""
        changelist = super().get_changelist_instance(request)
        shown = [d for d in visible(self.entity, request.user) if d.in_list]
        if any(d.type in ("link", "person") for d in shown):
            rows = list(changelist.result_list)
            names = link_names(shown, (row.custom for row in rows), request.user)
            for row in rows:
                row.__dict__[NAMES_ATTR] = names
        return changelist
