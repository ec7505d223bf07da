"""Types every generated entity shares: errors, people accounts, roles, files."""

from __future__ import annotations

import strawberry
import strawberry_django
from django.contrib.auth.models import Group, User

from modules.engine.errors import EngineError


@strawberry.type(description="Một lỗi gắn với một trường (field = null: lỗi chung). / A field-level error.")
class FieldError:
    field: str | None
    code: str
    message: str


def field_errors(error: EngineError) -> list[FieldError]:
    return [FieldError(field=_camel(p.field), code=p.code, message=p.message) for p in error.problems]


def _camel(name: str | None) -> str | None:
    """`owner_unit` -> `ownerUnit`; in a dotted path only snake_case parts change, so
    indicator codes and row numbers (`values.TASKS_TOTAL`, `lines.0.unit_price`) keep theirs."""
    if not name:
        return None
    return ".".join(_camel_part(part) for part in name.split("."))


def _camel_part(part: str) -> str:
    if part != part.lower():
        return part
    head, *rest = part.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


@strawberry_django.type(User, name="UserAccount", description="Tài khoản người dùng / A user account")
class UserAccount:
    id: strawberry.ID
    username: str
    first_name: str
    last_name: str


@strawberry_django.type(Group, name="Role", description="Vai trò (nhóm quyền) / A role")
class RoleType:
    id: strawberry.ID
    name: str


@strawberry.type(description="Kết quả xoá / Result of a delete")
class DeletePayload:
    ok: bool
    id: strawberry.ID | None
    errors: list[FieldError]


# Link targets that are not declared entities, by model label.
EXTERNAL_TYPES: dict[str, type] = {"auth.User": UserAccount, "auth.Group": RoleType}
