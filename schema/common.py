"""Types every generated entity shares: errors, people accounts, roles, files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
import strawberry_django
from django.contrib.auth.models import Group, User
from strawberry.types.base import get_object_definition

from modules.engine.errors import EngineError
from modules.engine.files import original_name

Result = TypeVar("Result")
Written = TypeVar("Written")


@strawberry.type(description="Một lỗi gắn với một trường (field = null: lỗi chung). / A field-level error.")
class FieldError:
    field: str | None
    code: str
    message: str


def field_errors(error: EngineError) -> list[FieldError]:
    return [FieldError(field=_camel(p.field), code=p.code, message=p.message) for p in error.problems]


def write_outcome(
    result_type: type[Result],
    write: Callable[[], Written],
    fields: Callable[[Written], dict[str, Any]] | None = None,
) -> Result:
    """A module mutation's answer: `ok` plus what `fields` reads from the written record, or
    `ok = false` with field-level errors, never an exception. Fields the result type
    declares and the outcome does not give are null, so every module's result reads alike."""
    definition = get_object_definition(result_type, strict=True)
    empty = {f.python_name: None for f in definition.fields if f.python_name not in ("ok", "errors")}
    try:
        written = write()
    except EngineError as error:
        return result_type(ok=False, errors=field_errors(error), **empty)
    return result_type(ok=True, errors=[], **{**empty, **(fields(written) if fields else {})})


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


@strawberry.type(
    name="StoredFile",
    description="Một tệp đã tải lên; tải về qua địa chỉ có kiểm tra quyền. / "
    "An uploaded file, served through an address that checks who asks.",
)
class StoredFile:
    """The root is the record's `EngineFieldFile`; the storage's path is never shown."""

    @strawberry.field(description="Tên tệp lúc tải lên / The file's name when uploaded")
    def name(self) -> str:
        return original_name(self.name)  # type: ignore[attr-defined]

    @strawberry.field(description="Địa chỉ tải về (cần đăng nhập và quyền xem bản ghi) / Download address")
    def url(self) -> str:
        return self.url  # type: ignore[attr-defined]

    @strawberry.field(description="Kích thước (byte); null nếu tệp không còn / Size in bytes")
    def size(self) -> int | None:
        try:
            return self.size  # type: ignore[attr-defined]
        except OSError:
            return None


@strawberry.type(description="Kết quả xoá / Result of a delete")
class DeletePayload:
    ok: bool
    id: strawberry.ID | None
    errors: list[FieldError]


# Link targets that are not declared entities, by model label.
EXTERNAL_TYPES: dict[str, type] = {"auth.User": UserAccount, "auth.Group": RoleType}
