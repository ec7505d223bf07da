"""A compiled fast path for read queries over generated entities.

Stock execution resolves every field of every row through graphql-core and
strawberry's resolver chain: for 200 rows with a handful of columns that is
thousands of Python calls, and most of the time of a list query. This module
compiles a validated query document once into a *plan* and then answers it
with a few `values_list` queries and plain dict building.

It is a schema extension (`FastPath`). Strawberry parses (cached), checks the
operation type, validates (cached, with the depth and alias limits) and runs
every other extension as usual; only in `on_execute`, when the document has
been accepted, does the fast path get a chance to set the result and so skip
graphql-core's execution. Anything it does not know answers normally:

- supported: query operations made of generated entity list fields
  (`sampleProjects(filters, ordering, pagination) { totalCount pageInfo results }`)
  and single fields (`sampleProject(id)`), selecting plain columns, forward
  links, multi-links and child rows, administrators' custom fields (`custom { … }`
  from the row's JSON column, schema/fastpath_custom.py), with aliases, fragments
  on the same type, `__typename`, literal and variable arguments (filters and
  ordering also on nested lists);
- not supported, so executed normally: mutations, subscriptions, introspection,
  connections, computed fields (custom resolvers, hooks), files, directives
  (`@skip`/`@include`), nested pagination, anonymous callers, async execution,
  and anything that fails at run time (bad variables, non-null violations, an
  exception): the normal path then produces the data or the exact errors.

Rows are read exactly as stock execution reads them: the root through
`access.scoped_queryset` (the type's `get_queryset`) followed by
strawberry-django's own filter, ordering and pagination functions; every
nested entity through `access.scoped_queryset` on the related rows (so an
invisible linked row is null, as with the optimizer's prefetches). Scalars go
through the schema's own scalar serializers. Filter and ordering methods get
an `info` holding only the caller (`Run.info`): one that reads more of it fails
and the query falls back. `tests/test_fastpath.py` compares both paths byte for byte.

Switch it off with `fastpath.ENABLED = False` or `with fastpath.disabled():`.
`explain(schema, query)` says why a document is not compiled; `STATS` counts
the outcomes ("fast", "unsupported", "fallback", "skipped").
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types.arguments import convert_arguments
from strawberry_django.fields.field import StrawberryDjangoField, StrawberryOffsetPaginatedExtension
from strawberry_django.filters import apply as apply_filters
from strawberry_django.ordering import apply_ordering
from strawberry_django.pagination import OffsetPaginationInput, _resolve_limit
from strawberry_django.pagination import apply as apply_pagination
from strawberry_django.utils.typing import get_django_definition, has_django_definition

from modules.engine import access, registry

from . import fastpath_custom, fastpath_sql, fastpath_sql_rules
from .context import BadUserInput
from .deadline import QueryTimeout, check_deadline
from .fields import ScopedField
from .inputs import check_list_arguments

log = logging.getLogger("onemst.graphql")

ENABLED = True
CACHE_SIZE = 512

# Outcomes, for tests and diagnosis: "fast", "unsupported", "fallback", "skipped".
STATS: Counter[str] = Counter()


@contextmanager
def disabled() -> Iterator[None]:
    """Run the block with the normal execution only (e.g. to compare outputs)."""
    global ENABLED
    previous, ENABLED = ENABLED, False
    try:
        yield
    finally:
        ENABLED = previous


class Unsupported(Exception):
    """The document has a shape the fast path does not compile (decided once per document)."""


class Fallback(Exception):
    """This execution must go the normal way (decided per request)."""


class FastPath(SchemaExtension):
    """Answer accepted read queries from a compiled plan, before graphql-core executes."""

    def on_execute(self) -> Iterator[None]:
        if ENABLED:
            result = try_execute(self.execution_context)
            if result is not None:
                self.execution_context.result = result
        yield


# --- entry --------------------------------------------------------------------------


def try_execute(execution_context: Any) -> GraphQLExecutionResult | None:
    """The result of the operation, or None to let strawberry execute it normally."""
    query = execution_context.query
    document = execution_context.graphql_document
    if not query or document is None or execution_context.pre_execution_errors:
        STATS["skipped"] += 1
        return None
    if execution_context.operation_type.value != "query":
        STATS["skipped"] += 1
        return None
    user = getattr(getattr(execution_context.context, "request", None), "user", None)
    if user is None or not user.is_authenticated or _in_event_loop():
        STATS["skipped"] += 1
        return None
    plan = plan_for(execution_context.schema, query, execution_context.operation_name, document)
    if isinstance(plan, str):
        STATS["unsupported"] += 1
        return None
    try:
        data = plan.run(user, execution_context.variables)
    except QueryTimeout as timeout:  # the server's time limit holds here too (schema/deadline.py)
        return GraphQLExecutionResult(data=None, errors=[timeout])
    except Fallback:
        STATS["fallback"] += 1
        return None
    except Exception:  # e.g. a negative offset: the normal path answers, with its errors
        log.debug("GraphQL fast path fell back to normal execution", exc_info=True)
        STATS["fallback"] += 1
        return None
    STATS["fast"] += 1
    return GraphQLExecutionResult(data=data, errors=None)


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_plans: OrderedDict[tuple[int, str, str | None], Plan | str] = OrderedDict()
_plans_lock = threading.Lock()


def plan_for(schema: Any, query: str, operation_name: str | None, document: Any) -> Plan | str:
    """The compiled plan of a document, or the reason it is not supported (cached)."""
    key = (id(schema), query, operation_name)
    with _plans_lock:
        plan = _plans.get(key)
        if plan is not None:
            _plans.move_to_end(key)
            return plan
    try:
        plan = Compiler(schema, document).compile(operation_name)
    except Unsupported as reason:
        plan = str(reason) or "unsupported"
    except Exception as error:  # a shape this compiler did not foresee: answer normally
        log.warning("GraphQL fast path could not compile a document; using normal execution", exc_info=True)
        plan = f"compile error: {type(error).__name__}"
    with _plans_lock:
        _plans[key] = plan
        while len(_plans) > CACHE_SIZE:
            _plans.popitem(last=False)
    return plan


def explain(schema: Any, query: str, operation_name: str | None = None) -> str | None:
    """Why a query would not take the fast path (None: it would). For tests and debugging."""
    from graphql import parse

    compiler = Compiler(schema, parse(query))
    try:
        compiler.compile(operation_name)
    except Unsupported as reason:
        return str(reason) or "unsupported"
    return None


# --- plans --------------------------------------------------------------------------

# Item kinds of an object plan, in response-key order.
VALUE = 0  # the column value as is
SERIALIZED = 1  # the column value through the scalar's serializer (None stays None)
CONSTANT = 2  # e.g. __typename
ONE = 3  # a forward link: the related object or None
MANY = 4  # a list of related objects (multi-link or child rows)
CUSTOM = 5  # `custom { … }`: administrator-defined fields from the row's JSON (schema/fastpath_custom.py)


@dataclass
class Run:
    """One execution: the user, the coerced variables, the scoped querysets built so far."""

    user: Any
    variables: Any  # graphql-core VariableValues, or None when the operation declares none
    schema: Any
    scoped_cache: dict[tuple[Any, bool], models.QuerySet] = field(default_factory=dict)
    # What the rules depend on (fastpath_sql_rules.stamp), read before the first rule is built.
    stamp: tuple[Any, ...] | None = None
    raw_arguments: dict[int, Any] = field(default_factory=dict)  # id(site) -> the arguments as given

    def scoped(self, entity: Any, model: type[models.Model], *, nested: bool) -> models.QuerySet:
        """The rows of `model` this user may see, as the type's `get_queryset` gives them.

        Built once per execution and model (the rule depends only on the user and
        the entity), then chained: stock execution builds it again for every
        relation that leads to the same type. Nested rows come from the base
        manager and root rows from the default manager, as with strawberry-django.
        """
        key = (model, nested)
        queryset = self.scoped_cache.get(key)
        if queryset is None:
            if self.stamp is None:
                self.stamp = fastpath_sql_rules.stamp(self.user)
            manager = model._base_manager if nested else model._default_manager
            queryset = manager.all()
            if entity is not None:
                queryset = access.scoped_queryset(self.user, entity, "view", queryset)
            self.scoped_cache[key] = queryset
        return queryset.all()

    @property
    def info(self) -> Any:
        return SimpleNamespace(context={"user": self.user})

    def arguments(self, site: ArgumentSite) -> dict[str, Any]:
        raw = self.raw_arguments[id(site)] = get_argument_values(site.gql_field, site.node, self.variables)
        return convert_arguments(
            raw,
            site.field.arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )


@dataclass
class ArgumentSite:
    """Where a field's arguments are read at run time."""

    gql_field: Any
    node: FieldNode
    field: Any  # the strawberry field (its arguments convert the raw values)


@dataclass
class ObjectPlan:
    """How to read and render one selection on a Django-backed type."""

    type_name: str
    model: type[models.Model]
    entity: Any  # the declared entity whose `scoped_queryset` applies, or None (plain rows)
    columns: list[str] = field(default_factory=lambda: ["pk"])
    items: list[tuple[str, int, int, Any]] = field(default_factory=list)  # (key, kind, column, aux)
    relations: list[Any] = field(default_factory=list)
    # key -> (GraphQL named type, model field, non-null) of each column item (schema/fastpath_sql.py)
    scalars: dict[str, tuple[Any, Any, bool]] = field(default_factory=dict)

    def column(self, name: str) -> int:
        if name in self.columns:
            return self.columns.index(name)
        self.columns.append(name)
        return len(self.columns) - 1

    def render(self, run: Run, rows: list[tuple]) -> list[dict[str, Any]]:
        """One response object per row (rows as read by `values_list(*self.columns, ...)`)."""
        resolved = [relation.resolve(run, rows) for relation in self.relations]
        items = self.items
        for _, kind, _, aux in items:
            if kind == CUSTOM and aux.hidden_from(run.user):
                raise Fallback("a custom field hidden from this user")  # stock answers PERMISSION_DENIED
        out = []
        for row in rows:
            obj: dict[str, Any] = {}
            for key, kind, index, aux in items:
                if kind == VALUE:
                    obj[key] = row[index]
                elif kind == SERIALIZED:
                    value = row[index]
                    if value is None:
                        if aux[1]:
                            raise Fallback("null in a non-null field")
                        obj[key] = None
                    else:
                        obj[key] = aux[0](value)
                elif kind == CONSTANT:
                    obj[key] = aux
                elif kind == CUSTOM:
                    obj[key] = aux.render(row[index])
                elif kind == ONE:
                    found = resolved[aux].get(row[index])
                    if found is None and not self.relations[aux].nullable:
                        raise Fallback("null in a non-null link")
                    obj[key] = found
                else:  # MANY
                    obj[key] = list(resolved[aux].get(row[0], ()))
            out.append(obj)
        return out


@dataclass
class ForwardLink:
    """A foreign key: the linked rows, read through the target's scoping (missing = null)."""

    attname: str
    column: int
    target: ObjectPlan
    nullable: bool

    def resolve(self, run: Run, rows: list[tuple]) -> dict[Any, dict[str, Any]]:
        check_deadline()
        column = self.column
        ids = {row[column] for row in rows} - {None}
        if not ids:
            return {}
        target = self.target
        queryset = run.scoped(target.entity, target.model, nested=True).filter(pk__in=ids)
        found = list(queryset.values_list(*target.columns))
        return dict(zip((row[0] for row in found), target.render(run, found), strict=True))


@dataclass
class RelatedList:
    """Multi-link or child rows: one query for all parents, grouped by parent, in queryset order."""

    parent_lookup: str  # the filter/values name that leads from a target row to its parent
    target: ObjectPlan
    site: ArgumentSite | None  # arguments given (filters/ordering), read at run time
    ordering_cls: Any
    nullable: bool = False

    def resolve(self, run: Run, rows: list[tuple]) -> dict[Any, list[dict[str, Any]]]:
        check_deadline()
        if not rows:
            return {}
        target = self.target
        queryset = run.scoped(target.entity, target.model, nested=True)
        queryset, pagination = _apply_list_arguments(run, queryset, self.site, self.ordering_cls)
        if pagination is not None:
            raise Fallback("nested pagination")  # the optimizer pages nested lists with window functions
        parent_ids = [row[0] for row in rows]
        queryset = queryset.filter(**{f"{self.parent_lookup}__in": parent_ids})
        found = list(queryset.values_list(*target.columns, self.parent_lookup))
        rendered = target.render(run, found)
        grouped: dict[Any, list[dict[str, Any]]] = {}
        for row, obj in zip(found, rendered, strict=True):
            grouped.setdefault(row[-1], []).append(obj)
        return grouped


def _apply_list_arguments(
    run: Run, queryset: models.QuerySet, site: ArgumentSite | None, ordering_cls: Any
) -> tuple[models.QuerySet, Any]:
    """strawberry-django's order of work: filters, then ordering, then `pk` if still unordered.

    Returns the queryset and the pagination argument (applied by the caller).
    """
    pagination = None
    if site is not None:
        kwargs = run.arguments(site)
        try:
            check_list_arguments(kwargs)
        except BadUserInput as error:  # the normal path gives the typed error
            raise Fallback("bad list arguments") from error
        if kwargs.get("order"):
            raise Fallback("deprecated `order` argument")
        # `info` carries the caller only: a filter or ordering method reads who asks (a custom
        # field's visibility, schema/custom.py); one that needs more fails here and the query
        # falls back.
        queryset = apply_filters(kwargs.get("filters"), queryset, run.info, None)
        if ordering_cls is not None:
            queryset = apply_ordering(ordering_cls, kwargs.get("ordering"), run.info, queryset)
        pagination = kwargs.get("pagination")
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    return queryset, pagination


@dataclass
class SingleRoot:
    """`sampleProject(id: ...)`: one visible row or null."""

    key: str
    entity: Any
    site: ArgumentSite
    plan: ObjectPlan

    def run(self, run: Run) -> Any:
        kwargs = run.arguments(self.site)
        try:
            queryset = run.scoped(self.entity, self.plan.model, nested=False).filter(pk=kwargs["id"])
            if not queryset.ordered:
                queryset = queryset.order_by("pk")  # what `.first()` does
            rows = list(queryset.values_list(*self.plan.columns)[:1])
        except (ValueError, TypeError) as error:  # a malformed id: the normal path answers BAD_USER_INPUT
            raise Fallback("malformed id") from error
        return self.plan.render(run, rows)[0] if rows else None


@dataclass
class ListRoot:
    """`sampleProjects(filters, ordering, pagination) { totalCount pageInfo { ... } results { ... } }`."""

    key: str
    entity: Any
    model: type[models.Model]
    site: ArgumentSite
    ordering_cls: Any
    items: list[tuple[str, str, Any]]  # (key, "total" | "results" | "page" | "typename", aux)

    def run(self, run: Run) -> dict[str, Any]:
        queryset = run.scoped(self.entity, self.model, nested=False)
        queryset, pagination = _apply_list_arguments(run, queryset, self.site, self.ordering_cls)
        pagination = pagination or OffsetPaginationInput()
        out: dict[str, Any] = {}
        total = None
        for key, what, aux in self.items:
            if what == "total":
                if total is None:
                    total = queryset.count()
                out[key] = total
            elif what == "results":
                page = apply_pagination(pagination, queryset)
                # PostgreSQL writes the JSON, when it can
                built = fastpath_sql.results(run, aux, page, self._page_part(run))
                if built is None:
                    built = aux.render(run, list(page.values_list(*aux.columns)))
                out[key] = built
            elif what == "page":
                info = {"offset": pagination.offset, "limit": _resolve_limit(pagination.limit)}
                out[key] = {
                    k: (aux_value if name == "__typename" else _int(info[name])) for k, name, aux_value in aux
                }
            else:
                out[key] = aux
        return out

    def _page_part(self, run: Run) -> tuple[tuple[Any, ...], Any] | None:
        """(key, this list) of this page's compiled text for the current run (fastpath_sql_rules.py)."""
        arguments = fastpath_sql_rules.page_arguments(run.raw_arguments.get(id(self.site)))
        return None if arguments is None else (("page", id(self), arguments), self)


def _enum_serializer(named: GraphQLEnumType, non_null: bool) -> Any:
    """A stored code as its enum name; an empty optional choice ("") is null, as `ScopedField`
    shows it (a non-null one falls back, so the stock path reports it)."""

    def serialize(value: Any) -> Any:
        if value == "":
            if non_null:
                raise Fallback("empty value in a non-null enum")
            return None
        return named.serialize(value)

    return serialize


def _int(value: Any) -> Any:
    return None if value is None else GraphQLInt.serialize(value)


@dataclass
class Plan:
    operation: OperationDefinitionNode
    roots: list[tuple[str, Any]]  # (key, SingleRoot | ListRoot | constant)
    gql_schema: Any
    schema: Any

    def run(self, user: Any, variables: dict[str, Any] | None) -> dict[str, Any]:
        coerced = None
        if self.operation.variable_definitions:
            coerced = get_variable_values(
                self.gql_schema, self.operation.variable_definitions, variables or {}
            )
            if isinstance(coerced, list):
                raise Fallback("invalid variables")
        run = Run(user=user, variables=coerced, schema=self.schema)
        data: dict[str, Any] = {}
        for key, root in self.roots:
            check_deadline()
            data[key] = root.run(run) if isinstance(root, (SingleRoot, ListRoot)) else root
        return data


# --- compiling ----------------------------------------------------------------------


def _named(gql_type: Any) -> tuple[Any, bool]:
    """(the named type, whether the outer type is non-null)."""
    non_null = isinstance(gql_type, GraphQLNonNull)
    while isinstance(gql_type, (GraphQLNonNull, GraphQLList)):
        gql_type = gql_type.of_type
    return gql_type, non_null


def _generated_entity(origin: type, model: type[models.Model]) -> Any:
    """The entity whose scoping a type's `get_queryset` applies; None if it has none.

    Only the generated `get_queryset` (schema.generate) is understood; any other
    custom one makes the type unsupported.
    """
    get_queryset = getattr(origin, "get_queryset", None)
    if get_queryset is None:
        return None
    func = getattr(get_queryset, "__func__", None)
    if (
        func is not None
        and func.__module__ == "schema.generate"
        and func.__qualname__ == "_entity_type.<locals>.get_queryset"
    ):
        entity = registry.entity_for(model)
        if entity is not None:
            return entity
    raise Unsupported(f"custom get_queryset on {origin.__name__}")


class Compiler:
    def __init__(self, schema: Any, document: Any) -> None:
        self.schema = schema
        self.gql_schema = schema._schema
        self.document = document
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.name_of = schema.config.name_converter.get_graphql_name

    def compile(self, operation_name: str | None) -> Plan:
        from graphql import get_operation_ast

        operation = get_operation_ast(self.document, operation_name)
        if operation is None:
            raise Unsupported("no such operation")
        if operation.operation != OperationType.QUERY:
            raise Unsupported(f"{operation.operation.value} operation")
        if operation.directives:
            raise Unsupported("directive on the operation")
        query_type = self.gql_schema.query_type
        roots: list[tuple[str, Any]] = []
        for key, nodes in self.collect(query_type.name, [operation.selection_set]).items():
            name = nodes[0].name.value
            if name == "__typename":
                roots.append((key, query_type.name))
            elif name.startswith("__"):
                raise Unsupported("introspection")
            else:
                roots.append((key, self.root_field(key, nodes, query_type)))
        return Plan(operation=operation, roots=roots, gql_schema=self.gql_schema, schema=self.schema)

    # -- selections

    def collect(self, type_name: str, selection_sets: list[Any]) -> dict[str, list[FieldNode]]:
        """Fields by response key, fragments flattened (graphql-core's collect_fields, no directives)."""
        fields: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()

        def walk(selection_set: Any) -> None:
            for selection in selection_set.selections:
                if selection.directives:
                    raise Unsupported("directive")
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    fields.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    if condition is not None and condition.name.value != type_name:
                        raise Unsupported("fragment on another type")
                    walk(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in visited:
                        continue
                    visited.add(name)
                    fragment = self.fragments.get(name)
                    if fragment is None or getattr(fragment, "variable_definitions", None):
                        raise Unsupported("fragment variables")
                    if fragment.type_condition.name.value != type_name or getattr(
                        selection, "arguments", None
                    ):
                        raise Unsupported("fragment on another type")
                    walk(fragment.selection_set)
                else:
                    raise Unsupported("unknown selection")

        for selection_set in selection_sets:
            walk(selection_set)
        return fields

    @staticmethod
    def sub_selections(nodes: list[FieldNode]) -> list[Any]:
        return [n.selection_set for n in nodes if n.selection_set is not None]

    def strawberry_fields(self, type_name: str) -> tuple[Any, dict[str, Any]]:
        definition = self.schema.get_type_by_name(type_name)
        if definition is None or getattr(definition, "is_interface", False):
            raise Unsupported(f"type {type_name}")
        return definition, {self.name_of(f): f for f in definition.fields}

    # -- root fields

    def root_field(self, key: str, nodes: list[FieldNode], query_type: GraphQLObjectType) -> Any:
        name = nodes[0].name.value
        _, fields = self.strawberry_fields(query_type.name)
        sfield = fields.get(name)
        gql_field = query_type.fields.get(name)
        if sfield is None or gql_field is None or not isinstance(sfield, StrawberryDjangoField):
            raise Unsupported(f"root field {name}")
        site = ArgumentSite(gql_field=gql_field, node=nodes[0], field=sfield)
        named, _ = _named(gql_field.type)
        resolver = sfield.base_resolver
        if resolver is not None:
            func = resolver.wrapped_func
            if (
                getattr(func, "__module__", None) == "schema.generate"
                and getattr(func, "__qualname__", "") == "_list_fields.<locals>.resolve_one"
                and not sfield.extensions
                and set(gql_field.args) == {"id"}
            ):
                plan = self.object_plan(named.name, self.sub_selections(nodes))
                if plan.entity is None:
                    raise Unsupported(f"root field {name}")
                return SingleRoot(key=key, entity=plan.entity, site=site, plan=plan)
            raise Unsupported(f"root field {name} has a custom resolver")
        extension_types = {type(e).__name__ for e in sfield.extensions}
        if not (
            getattr(sfield, "is_paginated", False)
            and extension_types == {"_AuthExtension", "StrawberryOffsetPaginatedExtension"}
            and any(isinstance(e, StrawberryOffsetPaginatedExtension) for e in sfield.extensions)
            and not sfield.permission_classes
            and set(gql_field.args) <= {"filters", "ordering", "pagination"}
        ):
            raise Unsupported(f"root field {name}")
        return self.list_root(key, nodes, sfield, site, named)

    def list_root(
        self, key: str, nodes: list[FieldNode], sfield: Any, site: ArgumentSite, paginated: Any
    ) -> ListRoot:
        items: list[tuple[str, str, Any]] = []
        entity = None
        model = sfield.django_model
        page_fields = paginated.fields
        for item_key, item_nodes in self.collect(paginated.name, self.sub_selections(nodes)).items():
            item = item_nodes[0].name.value
            if item == "__typename":
                items.append((item_key, "typename", paginated.name))
            elif item == "totalCount":
                items.append((item_key, "total", None))
            elif item == "results":
                named, _ = _named(page_fields["results"].type)
                plan = self.object_plan(named.name, self.sub_selections(item_nodes))
                if plan.entity is None or plan.model is not model:
                    raise Unsupported("results of an unscoped type")
                entity = plan.entity
                items.append((item_key, "results", plan))
            elif item == "pageInfo":
                named, _ = _named(page_fields["pageInfo"].type)
                subs = []
                for sub_key, sub_nodes in self.collect(named.name, self.sub_selections(item_nodes)).items():
                    sub = sub_nodes[0].name.value
                    if sub not in ("offset", "limit", "__typename"):
                        raise Unsupported(f"pageInfo.{sub}")
                    subs.append((sub_key, sub, named.name))
                items.append((item_key, "page", subs))
            else:
                raise Unsupported(f"paginated field {item}")
        if entity is None:
            entity = registry.entity_for(model)
            type_name = _named(page_fields["results"].type)[0].name
            definition = self.schema.get_type_by_name(type_name)
            if entity is None or _generated_entity(definition.origin, model) is not entity:
                raise Unsupported("list of an unscoped type")
        return ListRoot(
            key=key, entity=entity, model=model, site=site, ordering_cls=sfield.get_ordering(), items=items
        )

    # -- objects

    def object_plan(self, type_name: str, selection_sets: list[Any]) -> ObjectPlan:
        definition, fields = self.strawberry_fields(type_name)
        gql_type = self.gql_schema.type_map[type_name]
        if not has_django_definition(definition.origin):
            raise Unsupported(f"{type_name} is not a Django type")
        model = get_django_definition(definition.origin).model
        plan = ObjectPlan(
            type_name=type_name, model=model, entity=_generated_entity(definition.origin, model)
        )
        for key, nodes in self.collect(type_name, selection_sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                plan.items.append((key, CONSTANT, 0, type_name))
                continue
            sfield = fields.get(name)
            gql_field = gql_type.fields.get(name)
            if sfield is None or gql_field is None:
                raise Unsupported(f"{type_name}.{name}")
            self.add_field(plan, key, nodes, sfield, gql_field)
        return plan

    def add_custom(self, plan: ObjectPlan, key: str, nodes: list[FieldNode], gql_field: Any) -> None:
        """`custom { … }`: read from the `custom` column of the same row (no query of its own)."""
        where = f"{plan.type_name}.custom"
        named, _ = _named(gql_field.type)
        if nodes[0].arguments or not isinstance(named, GraphQLObjectType):
            raise Unsupported(f"{where}: shape")
        _, fields = self.strawberry_fields(named.name)
        selected = [
            (sub_key, sub_nodes[0].name.value)
            for sub_key, sub_nodes in self.collect(named.name, self.sub_selections(nodes)).items()
        ]
        selection = fastpath_custom.compile_selection(plan.entity, named, fields, selected)
        if selection is None:
            raise Unsupported(f"{where}: not a custom field now defined")
        plan.items.append((key, CUSTOM, plan.column(fastpath_custom.STORED_TEXT), selection))

    def add_field(
        self, plan: ObjectPlan, key: str, nodes: list[FieldNode], sfield: Any, gql_field: Any
    ) -> None:
        where = f"{plan.type_name}.{nodes[0].name.value}"
        if nodes[0].name.value == "custom" and getattr(plan.entity, "custom_fields", False):
            self.add_custom(plan, key, nodes, gql_field)
            return
        if (
            type(sfield) not in (StrawberryDjangoField, ScopedField)
            or sfield.base_resolver is not None
            or sfield.extensions
            or sfield.permission_classes
            or sfield.directives
        ):
            raise Unsupported(f"{where} is computed")
        django_name = sfield.django_name or sfield.python_name
        try:
            model_field = plan.model._meta.get_field(django_name)
        except FieldDoesNotExist as missing:
            raise Unsupported(f"{where} is not a model field") from missing
        named, non_null = _named(gql_field.type)
        if not model_field.is_relation:
            if isinstance(model_field, models.FileField) or not isinstance(
                named, (GraphQLScalarType, GraphQLEnumType)
            ):
                raise Unsupported(f"{where}: {type(model_field).__name__}")
            if nodes[0].arguments:
                raise Unsupported(f"{where} has arguments")
            column = plan.column(model_field.attname)
            plan.scalars[key] = (named, model_field, non_null)
            if isinstance(named, GraphQLEnumType):  # declared choices and states (schema/enums.py)
                plan.items.append((key, SERIALIZED, column, (_enum_serializer(named, non_null), non_null)))
                return
            # Text columns hold str and boolean columns bool: the scalar would return them as is.
            plain = (
                named.name == "String" and isinstance(model_field, (models.CharField, models.TextField))
            ) or (named.name == "Boolean" and isinstance(model_field, models.BooleanField))
            if plain:
                kind, aux = VALUE, None
            else:
                kind, aux = SERIALIZED, (named.serialize, non_null)
            if kind == VALUE and non_null and model_field.null:
                kind, aux = SERIALIZED, (lambda value: value, True)
            plan.items.append((key, kind, column, aux))
            return
        if not isinstance(named, GraphQLObjectType):
            raise Unsupported(f"{where}: not an object type")
        target = self.object_plan(named.name, self.sub_selections(nodes))
        if target.model is not model_field.related_model:
            raise Unsupported(f"{where}: type of another model")
        if isinstance(model_field, models.ForeignKey):  # also one-to-one
            if nodes[0].arguments:
                raise Unsupported(f"{where} has arguments")
            if not model_field.target_field.primary_key:
                raise Unsupported(f"{where}: to_field")
            column = plan.column(model_field.attname)
            link = ForwardLink(
                attname=model_field.attname, column=column, target=target, nullable=not non_null
            )
            plan.relations.append(link)
            plan.items.append((key, ONE, column, len(plan.relations) - 1))
            return
        if isinstance(model_field, models.ManyToManyField):
            parent_lookup = model_field.related_query_name()
        elif (
            isinstance(model_field, models.ManyToOneRel)
            and not isinstance(model_field, models.OneToOneRel)
            and model_field.field.target_field.primary_key
        ):  # child rows: the reverse side of their foreign key to the parent
            parent_lookup = model_field.field.name
        else:
            raise Unsupported(f"{where}: {type(model_field).__name__}")
        if not isinstance(gql_field.type, GraphQLNonNull) or not isinstance(
            gql_field.type.of_type, GraphQLList
        ):
            raise Unsupported(f"{where}: list shape")
        if set(gql_field.args) - {"filters", "ordering", "pagination"}:
            raise Unsupported(f"{where} has other arguments")
        site = ArgumentSite(gql_field=gql_field, node=nodes[0], field=sfield) if nodes[0].arguments else None
        related = RelatedList(
            parent_lookup=parent_lookup, target=target, site=site, ordering_cls=sfield.get_ordering()
        )
        plan.relations.append(related)
        plan.items.append((key, MANY, 0, len(plan.relations) - 1))
