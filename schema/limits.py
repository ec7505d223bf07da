"""Abuse limits applied before execution: document size, tokens, cost and introspection.

- `DocumentLimits` replaces strawberry's ParserCache: it refuses a document over
  `GRAPHQL_MAX_DOCUMENT_BYTES` (UTF-8 bytes) or with more than `GRAPHQL_MAX_TOKENS`
  lexical tokens, with `extensions.code = QUERY_TOO_LARGE`, and caches what it parsed
  (a refused text raises, so it is never cached as accepted).
- `CallerRules` adds the caller's validation rules: the document-shape rule (cost,
  depth, aliases; schema/cost.py) with the budget of an anonymous or a signed-in
  caller, and the introspection policy
  (`GRAPHQL_INTROSPECTION`). Rule classes are fixed per budget, and the rule tuple is
  part of the validation cache's key, so an answer cached for one kind of caller is
  never reused for another, and a refused document stays refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.conf import settings
from graphql import GraphQLError, GraphQLSyntaxError, ValidationRule, parse
from strawberry.extensions import SchemaExtension

from .cost import Sizes, shape_rule

TOO_LARGE = "QUERY_TOO_LARGE"
INTROSPECTION_CODE = "INTROSPECTION_DISABLED"
INTROSPECTION_MODES = ("all", "signed-in", "off")


class QueryTooLarge(GraphQLError):
    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message, extensions={"code": TOO_LARGE, **details})


@lru_cache(maxsize=512)
def _parse(query: str, max_tokens: int) -> Any:
    return parse(query, max_lexical_tokens=max_tokens)


def parse_limited(query: str) -> Any:
    """The parsed document, or a typed QUERY_TOO_LARGE / syntax error."""
    limit_bytes = settings.GRAPHQL_MAX_DOCUMENT_BYTES
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limit_bytes:
        raise QueryTooLarge(
            f"Truy vấn quá dài ({size} byte, tối đa {limit_bytes}). / "
            f"Query document too large ({size} bytes, limit {limit_bytes}).",
            bytes=size,
            limit=limit_bytes,
        )
    max_tokens = settings.GRAPHQL_MAX_TOKENS
    try:
        return _parse(query, max_tokens)
    except GraphQLSyntaxError as error:
        if f"more than {max_tokens} tokens" in error.message:  # graphql-core's token limit
            raise QueryTooLarge(
                f"Truy vấn có quá nhiều từ tố (tối đa {max_tokens}). / "
                f"Query has too many tokens (limit {max_tokens}).",
                limit=max_tokens,
            ) from None
        raise


class DocumentLimits(SchemaExtension):
    """Size and token limits, then a cached parse (instead of strawberry's ParserCache)."""

    def on_operation(self) -> Iterator[None]:
        # Also bounds strawberry's own parse, which reports syntax errors.
        self.execution_context.parse_options["max_lexical_tokens"] = settings.GRAPHQL_MAX_TOKENS
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is None:
            try:
                context.graphql_document = parse_limited(context.query)
            except QueryTooLarge:
                raise  # answered as is: the operation stops here, before validation
            except GraphQLError:
                pass  # a syntax error: strawberry parses again and reports it the usual way
        yield


# --- per-caller rules ---------------------------------------------------------------


def caller_of(context: Any) -> Any:
    """The user behind an operation, over HTTP (request.user) or WebSocket (context["user"])."""
    if isinstance(context, dict):
        return context.get("user")
    request = getattr(context, "request", None)
    return getattr(request, "user", None)


def signed_in(context: Any) -> bool:
    user = caller_of(context)
    return bool(user is not None and user.is_authenticated)


def cost_budget(is_signed_in: bool) -> int:
    return settings.GRAPHQL_COST_LIMIT_SIGNED_IN if is_signed_in else settings.GRAPHQL_COST_LIMIT_ANONYMOUS


def rule_for(is_signed_in: bool) -> type[ValidationRule]:
    """The document-shape rule (cost, depth, aliases) with this kind of caller's budget."""
    pages = settings.STRAWBERRY_DJANGO
    sizes = Sizes(
        default_page=pages.get("PAGINATION_DEFAULT_LIMIT") or 100,
        max_page=pages.get("PAGINATION_MAX_LIMIT") or 1000,
        list_factor=settings.GRAPHQL_COST_LIST_FACTOR,
    )
    return shape_rule(
        cost_budget(is_signed_in), settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_ALIASES, sizes
    )


def introspection_allowed(is_signed_in: bool) -> bool:
    mode = settings.GRAPHQL_INTROSPECTION
    return mode == "all" or (mode == "signed-in" and is_signed_in)


class NoIntrospection(ValidationRule):
    """Refuse `__schema` and `__type` (not `__typename`) with a typed error."""

    def enter_field(self, node: Any, *_: Any) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(
                GraphQLError(
                    "Không được tra cứu cấu trúc API (introspection). / Introspection is disabled.",
                    node,
                    extensions={"code": INTROSPECTION_CODE},
                )
            )


class CallerRules(SchemaExtension):
    """Add the cost rule for this caller's budget and, when not allowed, the introspection ban."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        is_signed_in = signed_in(context.context)
        rules: list[type[ValidationRule]] = [rule_for(is_signed_in)]
        if not introspection_allowed(is_signed_in):
            rules.append(NoIntrospection)
        context.validation_rules = (*context.validation_rules, *rules)
        yield
