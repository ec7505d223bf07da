"""Assemble the schema: one `EntityApi` per declared entity, merged into root types."""

from __future__ import annotations

from typing import Any

import strawberry
from django.conf import settings
from strawberry.extensions import MaxAliasesLimiter, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry_django.optimizer import DjangoOptimizerExtension

from modules.engine import registry

from .extensions import ErrorCodes, ReadOnlyTokens
from .fastpath import FastPath
from .generate import EntityApi, build_entity_api


def _root(name: str, fields: dict[str, Any], description: str) -> type:
    duplicate = [n for n in fields if n.startswith("__")]
    assert not duplicate, duplicate
    cls = type(name, (), {"__module__": __name__, **fields})
    return strawberry.type(cls, name=name, description=description)


def build_schema() -> strawberry.Schema:
    apis: list[EntityApi] = [build_entity_api(e) for e in registry.entities()]
    query: dict[str, Any] = {}
    mutation: dict[str, Any] = {}
    subscription: dict[str, Any] = {}
    for api in apis:
        for target, fields in (
            (query, api.query_fields),
            (mutation, api.mutation_fields),
            (subscription, api.subscription_fields),
        ):
            clash = set(target) & set(fields)
            if clash:
                raise ValueError(f"GraphQL field names declared twice: {sorted(clash)}")
            target.update(fields)
    return strawberry.Schema(
        query=_root("Query", query, "Truy vấn / Queries"),
        mutation=_root("Mutation", mutation, "Ghi dữ liệu / Mutations"),
        subscription=_root("Subscription", subscription, "Theo dõi thay đổi / Live changes"),
        extensions=[
            ErrorCodes,
            ReadOnlyTokens,
            QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
            MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES),
            ParserCache(maxsize=512),
            ValidationCache(maxsize=512),
            DjangoOptimizerExtension(),
            FastPath,  # answers accepted read queries from a compiled plan (see schema/fastpath.py)
        ],
    )


schema = build_schema()
