"""Assemble the schema: one `EntityApi` per declared entity, merged into root types."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import ValidationCache
from strawberry_django.optimizer import DjangoOptimizerExtension

from modules.engine import registry

from .deadline import DeadlineExecutor, ExecutionDeadline
from .extensions import ErrorCodes, ReadOnlyTokens
from .fastpath import FastPath
from .generate import EntityApi, build_entity_api
from .limits import CallerRules, DocumentLimits
from .people import people_queries


def _root(name: str, fields: dict[str, Any], description: str) -> type:
    duplicate = [n for n in fields if n.startswith("__")]
    assert not duplicate, duplicate
    cls = type(name, (), {"__module__": __name__, **fields})
    return strawberry.type(cls, name=name, description=description)


def _fragment(api: EntityApi, root: str, fields: dict[str, Any]) -> type | None:
    """One entity's part of a root type, kept on its `EntityApi`.

    Making a root type re-resolves every field it is given (strawberry specialises each
    generic list type again: ~130 ms for Query on a loaded machine), while a root that
    inherits parts already made only merges them (~10 ms). A custom-field change gives new
    APIs to a few entities (schema/runtime.py): only their parts are made again."""
    if not fields:
        return None
    made = api.fragments.get(root)
    if made is None:
        name = f"{root}Part{api.entity.label.replace('.', '')}"
        made = strawberry.type(type(name, (), {"__module__": __name__, **fields}), name=name)
        api.fragments[root] = made
    return made


def _merged(name: str, parts: list[type], description: str) -> type:
    """A root type made of parts, their fields in the parts' order (strawberry keeps the
    bases' order)."""
    cls = type(name, tuple(parts), {"__module__": __name__})
    return strawberry.type(cls, name=name, description=description)


def build_schema(apis: list[EntityApi] | None = None) -> strawberry.Schema:
    """The schema of these entity APIs (every entity's, built now, by default).

    schema/runtime.py passes the APIs of the entities that a custom-field change left alone,
    so a change rebuilds only the entities it touches."""
    if apis is None:
        apis = [build_entity_api(e) for e in registry.entities()]
    query: dict[str, Any] = {}
    mutation: dict[str, Any] = {}
    subscription: dict[str, Any] = {}
    parts: dict[str, list[type]] = {"Query": [], "Mutation": [], "Subscription": []}
    for api in apis:
        for root, target, fields in (
            ("Query", query, api.query_fields),
            ("Mutation", mutation, api.mutation_fields),
            ("Subscription", subscription, api.subscription_fields),
        ):
            clash = set(target) & set(fields)
            if clash:
                raise ValueError(f"GraphQL field names declared twice: {sorted(clash)}")
            target.update(fields)
            part = _fragment(api, root, fields)
            if part is not None:
                parts[root].append(part)
    people = people_queries()  # whom an assignment input may name (schema/people.py)
    clash = set(query) & set(people)
    if clash:
        raise ValueError(f"GraphQL field names declared twice: {sorted(clash)}")
    parts["Query"].append(_root("QueryPartPeople", people, ""))
    return strawberry.Schema(
        query=_merged("Query", parts["Query"], "Truy vấn / Queries"),
        mutation=_merged("Mutation", parts["Mutation"], "Ghi dữ liệu / Mutations"),
        subscription=_merged("Subscription", parts["Subscription"], "Theo dõi thay đổi / Live changes"),
        extensions=[
            ErrorCodes,
            ReadOnlyTokens,
            ExecutionDeadline,  # GRAPHQL_TIMEOUT_SECONDS per operation (schema/deadline.py)
            DocumentLimits,  # size and token limits, then a cached parse (schema/limits.py)
            # Cost budget by caller, depth and aliases (memoised per fragment: strawberry's own
            # limiters expand every spread) and introspection (schema/limits.py, schema/cost.py).
            CallerRules,
            # Factories, not instances: a shared instance holds one request's execution context,
            # so two requests at once (threads, or awaits on one loop) validated each other's
            # documents. The validation cache itself is shared by strawberry (keyed by maxsize).
            lambda: ValidationCache(maxsize=512),
            DjangoOptimizerExtension,
            FastPath,  # answers accepted read queries from a compiled plan (see schema/fastpath.py)
        ],
        execution_context_class=DeadlineExecutor,
    )


DECLARED_APIS: list[EntityApi] = [build_entity_api(e) for e in registry.entities()]
schema = build_schema(DECLARED_APIS)
