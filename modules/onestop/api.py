"""GraphQL for the one-stop shop: public lookup and progress, receipt in one step, re-scheduling.

`dossierLookup` and `dossierProgress` need no log-in and show only the public view
(`public.py`); both are rate-limited per client address. The generated API lists,
filters and moves dossiers through their workflow for the staff.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
from django.utils import timezone
from strawberry.types import Info

from modules.engine import registry, services
from modules.engine.errors import FieldProblem, InvalidInput
from schema.enums import lazy_at

from . import events, public, rules
from .ratelimits import LookupLimited, check_lookup_rate

if TYPE_CHECKING:
    from schema.common import FieldError


# the generated enums of these declared sets (one enum for one set, schema/enums.py)
DossierStateEnum = lazy_at("onestop.Dossier.state")
CopyKindEnum = lazy_at("onestop.Procedure.components.copy_kind")
ChannelEnum = lazy_at("onestop.Dossier.channel")
ApplicantKindEnum = lazy_at("onestop.Dossier.applicant_kind")
CollectionEnum = lazy_at("onestop.Dossier.collection")


@strawberry.type(name="DossierTimelineEntry")
class TimelineView:
    at: dt.datetime
    status: DossierStateEnum
    status_label: str
    note: str


@strawberry.type(
    name="DossierPublic", description="Hồ sơ tra cứu công khai / A dossier as the public sees it"
)
class PublicView:
    code: str
    procedure: str
    processing_days: int
    received_at: Optional[dt.datetime]
    promised_date: Optional[dt.date]
    status: DossierStateEnum
    status_code: int = strawberry.field(description="Mã trạng thái Cổng DVCQG 1–10 / National portal status")
    status_label: str
    timeline: list[TimelineView]
    returned_on: Optional[dt.date] = strawberry.field(
        default=None, description="Ngày trả kết quả / The day the result was handed back"
    )


@strawberry.type(
    name="DossierForm", description="Một mẫu phiếu của hồ sơ, bản PDF / One of a dossier's forms, as PDF"
)
class FormView:
    number: str = strawberry.field(description="Số mẫu theo TT 01/2018/TT-VPCP / Form number (2018)")
    number_2025: Optional[str] = strawberry.field(
        description="Số mẫu theo TT 03/2025/TT-VPCP, khi đã biết / Form number (2025), when known"
    )
    title: str
    url: str = strawberry.field(description="Tải về (đăng nhập, cùng quyền xem hồ sơ) / Download address")


@strawberry.type(name="DossierLookupResult")
class LookupResult:
    dossier: Optional[PublicView]
    error: Optional[str] = strawberry.field(description="MALFORMED | NOT_FOUND | RATE_LIMITED")
    message: Optional[str]


@strawberry.input(name="DossierComponentInput")
class ComponentInput:
    name: str
    copy_kind: CopyKindEnum = "original"  # a default is the stored code; the SDL prints ORIGINAL
    count: int = 1
    provided: bool = True


@strawberry.input(
    name="DossierReceiveInput", description="Hồ sơ nhận tại quầy / A dossier received at the counter"
)
class ReceiveInput:
    procedure: strawberry.ID
    applicant_name: str
    address: str
    phone: str
    channel: ChannelEnum = "counter"
    applicant_kind: ApplicantKindEnum = "person"
    applicant_id: Optional[str] = None
    email: Optional[str] = None
    sets: int = 1
    collection: CollectionEnum = "counter"
    components: list[ComponentInput] = strawberry.field(default_factory=list)


@strawberry.type(name="DossierWriteResult")
class WriteResult:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]
    id: Optional[strawberry.ID]
    code: Optional[str]
    version: Optional[int]
    promised_date: Optional[dt.date]


def public_type(found: public.PublicDossier) -> PublicView:
    return PublicView(
        code=found.code,
        procedure=found.procedure,
        processing_days=found.processing_days,
        received_at=found.received_at,
        promised_date=found.promised_date,
        status=found.status,
        status_code=found.status_code,
        status_label=found.status_label,
        returned_on=found.returned_on,
        timeline=[
            TimelineView(at=t.at, status=t.status, status_label=t.status_label, note=t.note)
            for t in found.timeline
        ],
    )


def answer_lookup(raw: str, client: str) -> LookupResult:
    try:
        check_lookup_rate(client)
    except LookupLimited as exc:
        return LookupResult(dossier=None, error="RATE_LIMITED", message=exc.message)
    code = public.normalise_code(raw)
    if not public.is_well_formed(code):
        return LookupResult(dossier=None, error="MALFORMED", message=public.MALFORMED)
    found = public.lookup(code)
    if found is None:
        return LookupResult(dossier=None, error="NOT_FOUND", message=public.NOT_FOUND)
    return LookupResult(dossier=public_type(found), error=None, message=None)


def client_address(info: Info) -> str:
    context = info.context
    if isinstance(context, dict):  # WebSocket
        client = (context.get("request") and getattr(context["request"], "scope", {}).get("client")) or None
        return str(client[0]) if client else "ws"
    return context.request.META.get("REMOTE_ADDR", "") or "unknown"


@strawberry.type(name="DossierKpi", description="Hồ sơ theo đơn vị xử lý / Dossiers per processing unit")
class KpiView:
    unit_id: Optional[strawberry.ID]
    unit: str
    received: int
    on_time: int = strawberry.field(description="Hoàn thành trước hạn, đúng hạn / Completed early or on time")
    late: int = strawberry.field(description="Quá hạn (đã hoặc chưa xong) / Late, finished or not")
    in_progress: int
    waiting_supplement: int
    withdrawn: int
    refused: int = strawberry.field(description="Từ chối tiếp nhận (Mẫu 03) / Refused at intake")
    transfer_late: int = strawberry.field(
        description="Chuyển xử lý muộn (quy tắc 15 giờ) / Passed to the processing unit late"
    )
    on_time_rate: Optional[float]


@strawberry.type(name="DossierBoardRow")
class BoardRowView:
    code: str
    procedure: str
    state: DossierStateEnum
    promised: Optional[dt.date]


@strawberry.type(name="DossierBoardTile")
class BoardTileView:
    key: str = strawberry.field(description="Tên trường số liệu / The figure's field, e.g. overdue")
    count: int
    url: str = strawberry.field(description="Danh sách quản trị cùng bộ lọc / The admin list, same filter")


@strawberry.type(name="DossierBoard", description="Màn hình Bộ phận một cửa / The counter's board")
class BoardView:
    received_today: int
    processing: int
    overdue: int
    transfer_late: int = strawberry.field(
        description="Đang giải quyết, chuyển xử lý muộn (quy tắc 15 giờ) / In progress, transferred late"
    )
    waiting_supplement: int
    returned_today: int
    portal_backlog: int = strawberry.field(description="Chưa đồng bộ Cổng DVCQG / Portal sync backlog")
    latest: list[BoardRowView]
    tiles: list[BoardTileView] = strawberry.field(
        description="Mỗi ô số và danh sách quản trị cùng bộ lọc / Each tile and its admin list"
    )
    latest_url: str = strawberry.field(description="Danh sách hồ sơ đầy đủ / The full dossier list")


def dossier_fields() -> dict[str, Any]:
    """`Dossier.forms`: the forms the dossier has by now (Mẫu 01–05), each with its PDF address."""
    import strawberry_django

    from . import forms

    def forms_of(root: Any) -> list[FormView]:
        return [
            FormView(
                number=form.number_2018,
                number_2025=form.number_2025 or None,
                title=form.title,
                url=forms.url(root, form),
            )
            for form in forms.available(root)
        ]

    return {
        "forms": strawberry_django.field(
            resolver=forms_of,
            only=["received_at", "supplement_requested_at", "state", "refusal_reason", "rescheduled"],
            description="Các mẫu phiếu của hồ sơ (PDF) / The dossier's forms (PDF)",
        )
    }


def dossier_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from modules.engine import workdays
    from schema.context import require_user

    from . import kpis

    def dossier_lookup(info: Info, code: str) -> LookupResult:
        return answer_lookup(code, client_address(info))

    def dossier_kpis(info: Info, date_from: dt.date, date_to: dt.date) -> list[KpiView]:
        return [
            KpiView(
                unit_id=strawberry.ID(str(r.unit_id)) if r.unit_id else None,
                unit=r.unit,
                received=r.received,
                on_time=r.on_time,
                late=r.late,
                in_progress=r.in_progress,
                waiting_supplement=r.waiting_supplement,
                withdrawn=r.withdrawn,
                refused=r.refused,
                transfer_late=r.transfer_late,
                on_time_rate=r.on_time_rate,
            )
            for r in kpis.compute(require_user(info), date_from, date_to)
        ]

    def dossier_board(info: Info) -> BoardView:
        board = kpis.counter_board(require_user(info), workdays.today())
        return BoardView(
            received_today=board.received_today,
            processing=board.processing,
            overdue=board.overdue,
            transfer_late=board.transfer_late,
            waiting_supplement=board.waiting_supplement,
            returned_today=board.returned_today,
            portal_backlog=board.portal_backlog,
            latest=[BoardRowView(**row) for row in board.latest],
            tiles=[
                BoardTileView(key=key, count=getattr(board, key), url=url) for key, url in board.urls.items()
            ],
            latest_url=board.latest_url,
        )

    def dossier_register_url(info: Info, desk: strawberry.ID, date_from: dt.date, date_to: dt.date) -> str:
        """The register's PDF address, once the unit and period are judged (typed errors)."""
        from django.urls import reverse

        from . import register

        period = register.resolve(require_user(info), desk, date_from, date_to)
        return reverse("onestop-register") + f"?desk={period.desk.pk}&from={period.start}&to={period.end}"

    return {
        "dossier_register_url": strawberry.field(
            resolver=django_resolver(dossier_register_url),
            name="dossierRegisterUrl",
            description="Sổ theo dõi hồ sơ (Mẫu 06) của một bộ phận một cửa trong kỳ, bản PDF / "
            "A one-stop unit's tracking register for a period, as PDF",
        ),
        "dossier_kpis": strawberry.field(
            resolver=django_resolver(dossier_kpis),
            name="dossierKpis",
            description="Chỉ số hồ sơ theo đơn vị trong kỳ / Dossier KPIs per unit and period",
        ),
        "dossier_board": strawberry.field(
            resolver=django_resolver(dossier_board),
            name="dossierBoard",
            description="Số liệu màn hình một cửa / The counter board's figures",
        ),
        "dossier_lookup": strawberry.field(
            resolver=django_resolver(dossier_lookup),
            name="dossierLookup",
            description="Tra cứu hồ sơ theo mã, không cần đăng nhập / "
            "Look a dossier up by its code, no log-in",
        ),
    }


# --- mutations ---------------------------------------------------------------------------------


def receive(user: Any, values: dict[str, Any]) -> Any:
    """Create and accept a dossier at the counter in one transaction: code, clock, slip."""
    from django.db import transaction

    entity = registry.entity_by_label("onestop.Dossier")
    with transaction.atomic():
        dossier = services.create_record(entity, user, values)
        return services.fire_transition(entity, user, dossier.pk, "accept", dossier.version)


def reschedule(user: Any, pk: Any, version: int, new_date: dt.date, reason: str) -> Any:
    """Mẫu 04: an apology and a new date, at least a day before the deadline, only once."""
    from django.db import transaction

    from modules.engine import workdays

    entity = registry.entity_by_label("onestop.Dossier")
    with transaction.atomic():
        dossier = services.fetch_for(entity, user, pk, "change")
        if dossier.version != version:
            raise services.StaleVersion(version, dossier.version)
        problems = []
        if not reason.strip():
            problems.append(FieldProblem("reason", "REQUIRED", "Cần nêu lý do. / A reason is required."))
        if dossier.state not in ("accepted", "processing", "payment") or dossier.promised_date is None:
            problems.append(
                FieldProblem(None, "INVALID", "Hồ sơ không ở bước đang xử lý. / Not in processing.")
            )
        else:
            refusal = rules.may_reschedule(dossier.promised_date, workdays.today(), bool(dossier.rescheduled))
            if refusal:
                problems.append(
                    FieldProblem(None, "TOO_LATE" if "trước hạn" in refusal else "ONCE_ONLY", refusal)
                )
            if new_date <= dossier.promised_date:
                problems.append(
                    FieldProblem("newDate", "INVALID", "Ngày hẹn mới phải sau ngày hẹn cũ. / Must be later.")
                )
        if problems:
            raise InvalidInput(problems)
        dossier.rescheduled = True
        dossier.reschedule_reason = reason.strip()
        dossier.promised_date = workdays.next_working_day(new_date)
        dossier._timeline_note = f"Hẹn lại ngày trả {dossier.promised_date:%d/%m/%Y}"
        dossier.rescheduled_at = timezone.now()  # the apology's date on Mẫu 04
        dossier._notice = "reschedule"  # the applicant is told the new date
        return services.save_record(
            entity, user, dossier, created=False, expected_version=version, reason="reschedule"
        )


def _result(write: Any) -> WriteResult:
    from schema.common import write_outcome

    return write_outcome(
        WriteResult,
        write,
        lambda row: {
            "id": strawberry.ID(str(row.pk)),
            "code": row.number,
            "version": row.version,
            "promised_date": row.promised_date,
        },
    )


def dossier_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from modules.engine import idempotency
    from schema.context import require_user
    from schema.generate import input_to_dict
    from schema.idempotency import KeyArgument, key_for

    def dossier_receive(info: Info, input: ReceiveInput, idempotency_key: str | None = None) -> WriteResult:
        """A counter retry with the same key gets the same dossier and code, not a second one."""
        user = require_user(info)
        data = input_to_dict(input)
        return _result(
            lambda: idempotency.run_once(
                user, key_for(info, idempotency_key), "dossierReceive", data, lambda: receive(user, data)
            )
        )

    dossier_receive.__annotations__["idempotency_key"] = KeyArgument

    def dossier_reschedule(
        info: Info, id: strawberry.ID, version: int, new_date: dt.date, reason: str
    ) -> WriteResult:
        user = require_user(info)
        return _result(lambda: reschedule(user, id, version, new_date, reason))

    return {
        "dossier_receive": strawberry.mutation(
            resolver=django_resolver(dossier_receive),
            name="dossierReceive",
            description="Tiếp nhận hồ sơ tại quầy (tạo và tiếp nhận) / Receive a dossier at the counter",
        ),
        "dossier_reschedule": strawberry.mutation(
            resolver=django_resolver(dossier_reschedule),
            name="dossierReschedule",
            description="Xin lỗi và hẹn lại ngày trả (Mẫu 04), một lần / "
            "Apologise and re-schedule once (form 04)",
        ),
    }


# --- subscriptions -----------------------------------------------------------------------------


def dossier_subscriptions() -> dict[str, Any]:
    from asgiref.sync import sync_to_async

    from realtime.feeds import Feed, feed_resolver

    async def dossier_progress(info: Info, code: str) -> Feed:
        """Public: a client must first find the dossier (same answer as the lookup), then
        receives its public view at every change."""
        answer = await sync_to_async(answer_lookup)(code, client_address(info))
        if answer.error is not None:
            raise InvalidInput(
                [FieldProblem("code", answer.error, answer.message or "")], answer.message or ""
            )
        wanted = answer.dossier.code

        def accepts(message: dict[str, Any]) -> bool:
            return message.get("type") == events.EVENT_TYPE and message.get("code") == wanted

        return Feed(group=events.GROUP, accepts=accepts, to_event=_progress_event)

    return {
        "dossier_progress": strawberry.subscription(
            resolver=feed_resolver(dossier_progress, PublicView),
            name="dossierProgress",
            description="Tiến độ hồ sơ, công khai, trực tiếp / A dossier's progress, public and live",
        )
    }


def _progress_event(message: dict[str, Any]) -> PublicView:
    """Built from the public view carried by the event: no query in the fan-out loop."""
    view = message["public"]
    return PublicView(
        code=view["code"],
        procedure=view["procedure"],
        processing_days=view["processing_days"],
        received_at=dt.datetime.fromisoformat(view["received_at"]) if view["received_at"] else None,
        promised_date=dt.date.fromisoformat(view["promised_date"]) if view["promised_date"] else None,
        status=view["status"],
        status_code=view["status_code"],
        status_label=view["status_label"],
        returned_on=dt.date.fromisoformat(view["returned_on"]) if view.get("returned_on") else None,
        timeline=[
            TimelineView(
                at=dt.datetime.fromisoformat(t["at"]),
                status=t["status"],
                status_label=t["status_label"],
                note=t["note"],
            )
            for t in view["timeline"]
        ],
    )
