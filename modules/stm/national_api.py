"""GraphQL for the national S&T database: the province's package (read through the caller's
scope, like the file), sending it now through the outbox, and taking in a national list by hand
(the same check and storage as the machine-to-machine door)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from modules.engine import registry
from modules.engine.access import can
from modules.engine.errors import NotFound, PermissionDenied

from . import national_export, national_list
from .national_views import FORBIDDEN, NO_UNIT, exporter_unit, may_export
from .roles import ADMIN

if TYPE_CHECKING:
    from schema.common import FieldError

NO_LIST = (
    "Chỉ quản trị hệ thống nhận danh sách quốc gia bằng tay. / "
    "Only a platform administrator takes in the national list by hand."
)
NO_SEND = (
    "Bạn không có quyền gửi dữ liệu lên CSDL quốc gia. / You may not send data to the national database."
)


@strawberry.type(
    name="StmNationalSend", description="Gửi dữ liệu lên CSDL quốc gia / Sending to the national database"
)
class NationalSend:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]
    queued: Optional[bool] = strawberry.field(
        default=None,
        description="Đã xếp gửi (không: nội dung như lần trước) / Queued (no: same as last time)",
    )
    message_key: Optional[str] = None


@strawberry.type(
    name="StmNationalListImport", description="Nhận danh sách quốc gia / A national list taken in"
)
class NationalListImport:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]
    added: Optional[int] = None
    updated: Optional[int] = None
    unchanged: Optional[int] = None
    ended: Optional[int] = None


def _unit(user: Any, unit: Any) -> Any:
    if not may_export(user):
        raise PermissionDenied(FORBIDDEN)
    found = exporter_unit(user, unit)
    if found is None:
        raise NotFound(NO_UNIT)
    return found


def _send(user: Any, unit: Any) -> Any:
    found = _unit(user, unit)
    if not (user.is_superuser or can(user, registry.entity_by_label("stm.Contract"), "change")):
        raise PermissionDenied(NO_SEND)
    return found, national_export.enqueue(found)


def national_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def national_export_doc(info: Info, unit: Optional[strawberry.ID] = None) -> JSON:
        user = require_user(info)
        return national_export.for_user(user, _unit(user, unit))

    return {
        "stm_national_export": strawberry.field(
            resolver=django_resolver(national_export_doc),
            name="stmNationalExport",
            description="Dữ liệu nhiệm vụ, kết quả, chuyên gia của đơn vị theo định dạng quốc gia v1 "
            "(docs/schemas/national-st-export.v1.json) / The unit's package in the national format v1",
        )
    }


def national_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.common import write_outcome
    from schema.context import require_user

    def send(info: Info, unit: Optional[strawberry.ID] = None) -> NationalSend:
        user = require_user(info)
        return write_outcome(
            NationalSend,
            lambda: _send(user, unit),
            lambda out: {
                "queued": out[1] is not None,
                "message_key": out[1].key if out[1] is not None else None,
            },
        )

    def take_list(info: Info, document: JSON) -> NationalListImport:
        user = require_user(info)

        def store() -> dict[str, int]:
            # national facts: replaced only by the national database's door or a platform admin
            if not (user.is_superuser or user.groups.filter(name=ADMIN).exists()):
                raise PermissionDenied(NO_LIST)
            return national_list.store(document)

        return write_outcome(NationalListImport, store, lambda counts: counts)

    return {
        "stm_national_export_send": strawberry.mutation(
            resolver=django_resolver(send),
            name="stmNationalExportSend",
            description="Xếp gửi dữ liệu của đơn vị lên CSDL quốc gia ngay (qua hộp thư đi, có gửi lại) / "
            "Queue the unit's package for the national database now (through the outbox, with retries)",
        ),
        "stm_national_tasks_import": strawberry.mutation(
            resolver=django_resolver(take_list),
            name="stmNationalTasksImport",
            description="Nhận danh sách nhiệm vụ quốc gia đang thực hiện "
            "(docs/schemas/national-st-tasks.v1.json) / Take in the national list of tasks in progress",
        ),
    }
