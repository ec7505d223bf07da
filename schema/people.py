"""`assignablePeople`: whom a caller may put in a link to a person (issue 12, point 12).

A client building an assignment form asks, for one link of one entity (`Task.assignee`,
`Task.assignedBy`, ...), the ids to send in that input, with each person's full name and
unit. The candidates are the write path's own rule (`services.link_choices`, the admin's
pickers use it too), so an id offered here is one the mutation accepts; a caller who may
neither add nor change that entity gets FORBIDDEN.
"""

from __future__ import annotations

from typing import Any, Optional

import strawberry
from django.contrib.auth import get_user_model
from strawberry.types import Info
from strawberry_django.resolvers import django_resolver

from modules.engine import registry, services
from modules.engine.definitions import USER, Entity

from .context import BadUserInput, require_user
from .naming import camel

MAX_RESULTS = 50


@strawberry.type(
    name="AssignablePerson",
    description="Một người có thể chọn cho trường liên kết / A person the caller may put in the link",
)
class AssignablePerson:
    id: strawberry.ID = strawberry.field(description="Giá trị gửi trong input / The id to send in the input")
    account_id: strawberry.ID = strawberry.field(description="Mã tài khoản / The user account's id")
    full_name: str = strawberry.field(description="Họ và tên / Full name")
    position: str = strawberry.field(description="Chức vụ / Position")
    unit_id: Optional[strawberry.ID] = strawberry.field(description="Mã đơn vị / The unit's id")
    unit_name: str = strawberry.field(description="Đơn vị công tác / Unit")


def _entity(name: str) -> Entity:
    for entity in registry.entities():
        if entity.name == name and entity.graphql:
            return entity
    raise BadUserInput("entity", f"Không có loại bản ghi «{name}». / No entity named “{name}”.")


def _field(entity: Entity, name: str) -> str:
    for spec in entity.fields:
        if (
            name in (spec.name, camel(spec.name))
            and spec.kind in ("link", "multilink")
            and spec.target in (USER, "org.Person")
        ):
            return spec.name
    raise BadUserInput("field", f"«{name}» không phải trường chọn người. / “{name}” is not a link to people.")


def _rows(rows: list[Any]) -> list[AssignablePerson]:
    person_model = registry.model_for("org.Person")
    users = get_user_model()
    accounts = [row.pk if isinstance(row, users) else row.user_id for row in rows]
    people = {
        p.user_id: p for p in person_model.objects.filter(user_id__in=accounts).select_related("owner_unit")
    }
    result = []
    for row, account in zip(rows, accounts, strict=True):
        person = people.get(account)
        unit = getattr(person, "owner_unit", None)
        name = (person.full_name if person else "") or (
            row.get_full_name() or row.get_username() if isinstance(row, users) else str(row)
        )
        result.append(
            AssignablePerson(
                id=strawberry.ID(str(row.pk)),
                account_id=strawberry.ID(str(account)),
                full_name=name,
                position=(person.position if person else "") or "",
                unit_id=strawberry.ID(str(unit.pk)) if unit else None,
                unit_name=unit.name if unit else "",
            )
        )
    return result


def assignable_people(
    info: Info, entity: str, field: str, search: str = "", limit: int = 20
) -> list[AssignablePerson]:
    user = require_user(info)
    if not 0 < limit <= MAX_RESULTS:
        raise BadUserInput("limit", f"limit từ 1 đến {MAX_RESULTS}. / limit must be 1 to {MAX_RESULTS}.")
    if "\x00" in search:  # PostgreSQL text cannot hold NUL: the caller's mistake, not ours
        raise BadUserInput("search", "Từ khoá không hợp lệ. / Malformed search text.")
    target = _entity(entity)
    queryset = services.link_choices(user, target, _field(target, field), search)
    return _rows(list(queryset[:limit]))


def people_queries() -> dict[str, Any]:
    return {
        "assignable_people": strawberry.field(
            resolver=django_resolver(assignable_people),
            name="assignablePeople",
            description='Người có thể chọn cho một trường liên kết (vd. entity: "Task", field: '
            '"assignee"), tìm theo tên; đúng quy tắc của thao tác ghi. / People the caller may put in '
            "one link of an entity, searchable by name; the write path's own rule.",
        )
    }
