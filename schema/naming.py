"""The one rule for generated root field names (issue 12, point 12).

An entity `Task` gives `task(id)` for one row, `tasks(...)` for the offset list and
`tasksConnection(...)` for cursor pages: the entity's name in lowerCamelCase, then its
English plural. Until v0.2.0 the list was named after the declared plural label
(`oneStopDossiers`, `holidayCalendar`, ...); those names stay as deprecated aliases for
one release (`legacy_plural_name`).
"""

from __future__ import annotations

from modules.engine.definitions import Entity

IRREGULAR = {"person": "people", "child": "children"}
DEPRECATION = (
    "Dùng `{new}` (quy tắc tên thống nhất từ v0.2.0); bị bỏ ở v0.3.0. / "
    "Use `{new}` (one naming rule since v0.2.0); removed in v0.3.0."
)


def camel(name: str) -> str:
    words = name.replace("-", " ").replace("_", " ").split()
    if not words:
        return name
    first = words[0]
    return first[:1].lower() + first[1:] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def single_name(entity: Entity) -> str:
    return entity.name[:1].lower() + entity.name[1:]


def english_plural(word: str) -> str:
    """The plural of a camelCase name, inflecting its last word only."""
    cut = max((i for i, c in enumerate(word) if c.isupper()), default=0)
    head, last = word[:cut], word[cut:]
    lower = last.lower()
    if lower in IRREGULAR:
        plural = IRREGULAR[lower]
        return head + (plural[:1].upper() + plural[1:] if last[:1].isupper() else plural)
    if lower.endswith("y") and lower[-2:-1] not in tuple("aeiou"):
        return head + last[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return head + last + "es"
    return head + last + "s"


def plural_name(entity: Entity) -> str:
    return english_plural(single_name(entity))


def legacy_plural_name(entity: Entity) -> str:
    """The list's name before v0.2.0, from the declared English plural label."""
    return camel(entity.plural_en) if entity.plural_en else single_name(entity) + "s"


def deprecation(new: str) -> str:
    return DEPRECATION.format(new=new)
