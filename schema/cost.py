"""The shape of a GraphQL document after fragment expansion: cost, depth and aliases.

Fragments that each spread the next one twice stay small on the wire yet expand to
2^n fields. strawberry's depth and alias limiters expand every spread again (no
memo), so a 1.3 KB document kept a CPU busy for minutes inside validation, and the
executor would then expand it once more. This validation rule measures each
operation once, computing each fragment's measure once (memoised by name), so it is
linear in the document. It refuses, before anything runs:
- a cost over the caller's budget: `extensions.code = QUERY_TOO_COMPLEX`, with `cost`
  and `limit`;
- a depth over `GRAPHQL_MAX_DEPTH` or more aliases than `GRAPHQL_MAX_ALIASES` (the
  messages strawberry's limiters gave; introspection fields do not count for depth,
  as with them).

What one field costs: 1, plus its sub-selection times a multiplier:
- a field with a page-size argument (`pagination: {limit}`, relay `first`/`last`):
  the page size asked for (a literal; the default page when absent; the largest page
  allowed when it comes from a variable, which validation cannot see);
- a list field of a page object (`results`, `edges`): 1, the page was counted above;
- any other list field (multi-links, child rows, introspection lists): `list_factor`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValidationRule,
    get_named_type,
)

PAGE_ARGUMENTS = ("first", "last")
CODE = "QUERY_TOO_COMPLEX"


@dataclass(frozen=True)
class Sizes:
    default_page: int
    max_page: int
    list_factor: int


@dataclass(frozen=True)
class Measure:
    cost: int = 0
    height: int = 0  # field levels below this point (a leaf is 0), introspection not counted
    aliases: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(self.cost + other.cost, max(self.height, other.height), self.aliases + other.aliases)


class ShapeCounter:
    """Measures the operations of one document; fragment measures are memoised by name."""

    def __init__(self, schema: Any, document: Any, sizes: Sizes) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.sizes = sizes
        self.memo: dict[str, Measure] = {}
        self.active: set[str] = set()

    def operation(self, node: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(node.operation)
        return self.selections(node.selection_set, root) if root else Measure()

    def selections(self, selection_set: Any, parent: Any) -> Measure:
        total = Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, target or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> Measure:
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:  # unknown or cyclic: other rules report it
            return Measure()
        self.active.add(name)
        target = self.schema.get_type(fragment.type_condition.name.value)
        measure = self.selections(fragment.selection_set, target) if target is not None else Measure()
        self.active.discard(name)
        self.memo[name] = measure
        return measure

    def field(self, node: FieldNode, parent: Any) -> Measure:
        aliases = 1 if node.alias else 0
        if node.selection_set is None:
            return Measure(cost=1, aliases=aliases)
        name = node.name.value
        definition = getattr(parent, "fields", {}).get(name)
        if definition is not None:
            target, multiplier = get_named_type(definition.type), self.multiplier(node, definition, parent)
        elif name in ("__schema", "__type"):
            target, multiplier = self.schema.get_type("__Schema" if name == "__schema" else "__Type"), 1
        else:  # unknown field: FieldsOnCorrectTypeRule reports it
            return Measure(cost=1, aliases=aliases)
        below = self.selections(node.selection_set, target)
        height = 0 if name.startswith("__") else 1 + below.height
        return Measure(cost=1 + multiplier * below.cost, height=height, aliases=aliases + below.aliases)

    def multiplier(self, node: FieldNode, definition: Any, parent: Any) -> int:
        page = self.page_size(node, definition)
        if page is not None:
            return page
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        if not isinstance(field_type, GraphQLList):
            return 1
        if "pageInfo" in getattr(parent, "fields", {}):
            return 1  # `results` / `edges` of a page: the page size was counted on the parent
        return self.sizes.list_factor

    def page_size(self, node: FieldNode, definition: Any) -> int | None:
        """The page size this field asks for, or None when it takes no page argument."""
        arguments = {a.name.value: a.value for a in node.arguments or ()}
        if "pagination" in definition.args:
            value = arguments.get("pagination")
            if value is None:
                return self.sizes.default_page
            if isinstance(value, ObjectValueNode):
                limit = next((f.value for f in value.fields if f.name.value == "limit"), None)
                return self.sizes.default_page if limit is None else self._size(limit)
            return self.sizes.max_page  # a variable: assume the largest page allowed
        if any(name in definition.args for name in PAGE_ARGUMENTS):
            given = [arguments[name] for name in PAGE_ARGUMENTS if name in arguments]
            return max((self._size(value) for value in given), default=self.sizes.default_page)
        return None

    def _size(self, value: Any) -> int:
        if isinstance(value, IntValueNode):
            number = int(value.value)
            return self.sizes.max_page if number < 0 or number > self.sizes.max_page else number
        return self.sizes.max_page  # a variable or null: assume the largest page allowed


def _too_complex(cost: int, limit: int, node: Any) -> GraphQLError:
    return GraphQLError(
        f"Truy vấn quá nặng (chi phí {cost}, tối đa {limit}): hãy chọn ít trường hơn hoặc trang nhỏ hơn. / "
        f"Query too complex (cost {cost}, limit {limit}): select fewer fields or smaller pages.",
        node,
        extensions={"code": CODE, "cost": cost, "limit": limit},
    )


@lru_cache(maxsize=32)
def shape_rule(limit: int, max_depth: int, max_aliases: int, sizes: Sizes) -> type[ValidationRule]:
    """A validation rule class for one budget (cached): the schema's validation cache keys
    on the rule tuple, so answers for different budgets are never mixed up."""

    class DocumentShapeRule(ValidationRule):
        def enter_document(self, node: Any, *_: Any) -> Any:
            counter = ShapeCounter(self.context.schema, node, sizes)
            aliases = 0
            for definition in node.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                measure = counter.operation(definition)
                aliases += measure.aliases
                name = definition.name.value if definition.name else "anonymous"
                if measure.height > max_depth:
                    self.report_error(
                        GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}", definition)
                    )
                if measure.cost > limit:
                    self.report_error(_too_complex(measure.cost, limit, definition))
            if aliases > max_aliases:
                self.report_error(GraphQLError(f"{aliases} aliases found. Allowed: {max_aliases}"))
            return self.SKIP  # nothing else to visit

    DocumentShapeRule.__name__ = DocumentShapeRule.__qualname__ = f"DocumentShapeRule{limit}"
    return DocumentShapeRule


def document_cost(schema: Any, document: Any, sizes: Sizes) -> dict[str | None, int]:
    """Each operation's cost by name (for tests and for choosing budgets)."""
    counter = ShapeCounter(schema, document, sizes)
    return {
        (d.name.value if d.name else None): counter.operation(d).cost
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }
