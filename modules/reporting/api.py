"""GraphQL for reporting: the form as a sheet to fill, typed values, review, consolidation, live status.

The generated API already lists and filters regimes, forms, periods and submissions,
and fires their workflow transitions (`submissionSubmit`, `submissionAccept`...).
This adds what a frontend needs to *fill in* a form that an administrator built
in the admin a minute ago: the indicators of the version bound to the period, and
one mutation that writes any of them with field-level errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from modules.engine import access, registry, services
from modules.engine.errors import FieldProblem, InvalidInput, NotFound
from modules.engine.files import original_name
from realtime.feeds import Feed, feed_resolver
from realtime.visibility import LiveRule
from schema.enums import codes_enum, lazy_at

from . import consolidation, events, submissions
from .board import CELL_STATUSES
from .forms import Indicator

if TYPE_CHECKING:
    from schema.common import FieldError

# --- types -------------------------------------------------------------------------------

# the generated enums of these declared sets (one enum for one set, schema/enums.py)
SubmissionStateEnum = lazy_at("reporting.Submission.state")
TimelinessEnum = lazy_at("reporting.Submission.timeliness")
IndicatorKindEnum = lazy_at("reporting.ReportForm.indicators.kind")
FindingCheckEnum = lazy_at("reporting.Submission.findings.kind")
CellStatus = codes_enum(
    "ReportCellStatus",
    "Trạng thái một đơn vị trên bảng tin / What a board cell shows",
    tuple((code, vi, en) for code, vi, en, _colour in CELL_STATUSES),
)


@strawberry.type(name="ReportIndicator", description="Chỉ tiêu của biểu mẫu / An indicator of a form")
class IndicatorView:
    code: str
    section: str
    label_vi: str
    label_en: str
    kind: IndicatorKindEnum = strawberry.field(description="Kiểu chỉ tiêu / The indicator's type")
    unit: str
    required: bool
    min_value: Optional[Decimal]
    max_value: Optional[Decimal]
    formula: str
    computed: bool = strawberry.field(description="Tự tính, không nhập / Computed, not entered")
    options: list[str] = strawberry.field(description="Lựa chọn hoặc cột bảng / Choices or table columns")


@strawberry.type(name="ReportTableCell")
class TableCellView:
    row: int
    column: str
    number: Optional[Decimal]
    text: str


@strawberry.type(name="ReportFinding", description="Kết quả kiểm tra chất lượng / A data-quality finding")
class FindingView:
    code: str
    check: FindingCheckEnum = strawberry.field(description="Loại kiểm tra / What was checked")
    message: str


@strawberry.type(
    name="ReportEntry", description="Một chỉ tiêu và giá trị đã nhập / An indicator and its value"
)
class EntryView:
    indicator: IndicatorView
    number: Optional[Decimal]
    text: Optional[str]
    file: Optional[str] = strawberry.field(description="Tên tệp đã nộp / The uploaded file's name")
    file_url: Optional[str] = strawberry.field(
        description="Địa chỉ tải tệp (có kiểm tra quyền) / The file's download address (checked)"
    )
    cells: list[TableCellView]
    comment: Optional[str] = strawberry.field(description="Ý kiến của người duyệt / The reviewer's comment")


@strawberry.type(
    name="ReportSheet", description="Báo cáo của đơn vị để nhập, xem, duyệt / A submission to fill or review"
)
class SheetView:
    id: strawberry.ID
    number: str
    version: int
    state: SubmissionStateEnum
    timeliness: Optional[TimelinessEnum]
    deadline: Optional[dt.date]
    unit: str
    period: str
    editable: bool
    general_comment: Optional[str]
    entries: list[EntryView]
    findings: list[FindingView]


@strawberry.type(name="ReportUnitValue")
class UnitValueView:
    unit_id: strawberry.ID
    unit_code: str
    unit_name: str
    province_code: str
    value: Decimal


@strawberry.type(
    name="ReportConsolidation", description="Tổng hợp một chỉ tiêu trong kỳ / One indicator, one period"
)
class ConsolidationView:
    code: str
    total: Optional[Decimal]
    average: Optional[Decimal]
    count: int = strawberry.field(
        description="Số đơn vị có số liệu đã tiếp nhận / Units with accepted values"
    )
    units: list[UnitValueView]


@strawberry.type(name="ReportSeriesPoint")
class SeriesPointView:
    period_id: strawberry.ID
    label: str
    year: int
    index: int
    total: Optional[Decimal]
    average: Optional[Decimal]
    count: int


@strawberry.type(name="ReportWriteResult", description="Kết quả ghi / Result of a write")
class WriteResult:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]
    id: Optional[strawberry.ID]
    version: Optional[int]


@strawberry.type(
    name="ReportStatusEvent", description="Báo cáo đổi trạng thái / A submission's status changed"
)
class StatusEvent:
    id: strawberry.ID
    number: str
    period_id: strawberry.ID
    unit_id: strawberry.ID
    state: SubmissionStateEnum
    timeliness: Optional[TimelinessEnum]


@strawberry.type(
    name="ReportBoardCell", description="Một đơn vị trên bảng tin báo cáo / One unit on the board"
)
class BoardCellView:
    unit_id: strawberry.ID
    unit_code: str
    unit_name: str
    province_code: str
    status: CellStatus = strawberry.field(description="Trạng thái ô / What the cell shows")
    submission_id: Optional[strawberry.ID]
    number: str
    submitted_at: Optional[dt.datetime]


@strawberry.type(name="ReportBoardCount")
class BoardCountView:
    status: CellStatus
    count: int


@strawberry.type(
    name="ReportBoard", description="Bảng tin báo cáo của một kỳ / The reporting board of a period"
)
class BoardView:
    period_id: strawberry.ID
    period_label: str
    regime_name: str
    deadline: dt.date
    cells: list[BoardCellView]
    counts: list[BoardCountView]


@strawberry.input(name="ReportCellInput")
class CellInput:
    row: int
    column: str
    number: Optional[Decimal] = None
    text: Optional[str] = None


@strawberry.input(
    name="ReportValueInput", description="Giá trị một chỉ tiêu; để trống để xoá / One value; blank clears it"
)
class ValueInput:
    code: str
    number: Optional[Decimal] = None
    text: Optional[str] = None
    cells: Optional[list[CellInput]] = None


@strawberry.input(name="ReportCommentInput")
class CommentInput:
    code: str
    comment: str


# --- helpers -----------------------------------------------------------------------------


def indicator_view(ind: Indicator) -> IndicatorView:
    return IndicatorView(
        code=ind.code,
        section=ind.section,
        label_vi=ind.label_vi,
        label_en=ind.label_en,
        kind=ind.kind,
        unit=ind.unit,
        required=ind.required,
        min_value=ind.min_value,
        max_value=ind.max_value,
        formula=ind.formula,
        computed=ind.computed,
        options=list(ind.options),
    )


def visible_submission(user: Any, pk: Any) -> Any:
    entity = submissions.submission_entity()
    if not str(pk).isdigit():
        raise NotFound("Không tìm thấy báo cáo. / Report not found.")
    row = (
        access.scoped_queryset(user, entity, "view")
        .select_related("period__form", "period__regime", "owner_unit")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy báo cáo. / Report not found.")
    return row


def sheet(user: Any, pk: Any) -> SheetView:
    row = visible_submission(user, pk)
    values = {v.code: v for v in row.values.all()}
    cells = {}
    for cell in row.table_cells.all().order_by("row", "position"):
        cells.setdefault(cell.code, []).append(
            TableCellView(row=cell.row, column=cell.column, number=cell.number, text=cell.text)
        )
    comments = {c.code: c.comment for c in row.comments.all()}
    entries = []
    for ind in submissions.indicators_of(row):
        value = values.get(ind.code)
        entries.append(
            EntryView(
                indicator=indicator_view(ind),
                number=value.number if value else None,
                text=(value.text or None) if value else None,
                file=original_name(value.attachment.name) if value and value.attachment else None,
                file_url=value.attachment.url if value and value.attachment else None,
                cells=cells.get(ind.code, []),
                comment=comments.get(ind.code),
            )
        )
    entity = submissions.submission_entity()
    return SheetView(
        id=strawberry.ID(str(row.pk)),
        number=row.number,
        version=row.version,
        state=row.state,
        timeliness=row.timeliness or None,
        deadline=row.deadline,
        unit=row.owner_unit.name,
        period=row.period.label,
        editable=row.state in submissions.EDITABLE_STATES and access.can(user, entity, "change", row),
        general_comment=comments.get("") or None,
        entries=entries,
        findings=[FindingView(code=f.code, check=f.kind, message=f.message) for f in row.findings.all()],
    )


def _entry(value: ValueInput) -> submissions.Entry:
    return submissions.Entry(
        code=value.code,
        number=value.number,
        text=value.text,
        cells=[submissions.TableCell(c.row, c.column, c.number, c.text or "") for c in value.cells or ()],
    )


def _result(write: Any) -> WriteResult:
    from schema.common import write_outcome

    return write_outcome(
        WriteResult, write, lambda row: {"id": strawberry.ID(str(row.pk)), "version": row.version}
    )


# --- queries -----------------------------------------------------------------------------


def report_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def report_sheet(info: Info, submission: strawberry.ID) -> Optional[SheetView]:
        try:
            return sheet(require_user(info), submission)
        except NotFound:
            return None

    def report_indicators(info: Info, period: strawberry.ID) -> list[IndicatorView]:
        user = require_user(info)
        entity = registry.entity_by_label("reporting.ReportPeriod")
        found = access.scoped_queryset(user, entity, "view").select_related("form").filter(pk=period).first()
        if found is None or found.form is None:
            return []
        return [indicator_view(i) for i in submissions.indicators_of_form(found.form)]

    def report_consolidation(info: Info, period: strawberry.ID, code: str) -> ConsolidationView:
        result = consolidation.consolidate(require_user(info), period, code)
        return ConsolidationView(
            code=result.code,
            total=result.total,
            average=result.average,
            count=result.count,
            units=[
                UnitValueView(
                    unit_id=strawberry.ID(str(u.unit_id)),
                    unit_code=u.unit_code,
                    unit_name=u.unit_name,
                    province_code=u.province_code,
                    value=u.value,
                )
                for u in result.units
            ],
        )

    def report_series(info: Info, regime: strawberry.ID, code: str, last: int = 12) -> list[SeriesPointView]:
        return [
            SeriesPointView(
                period_id=strawberry.ID(str(p.period_id)),
                label=p.label,
                year=p.year,
                index=p.index,
                total=p.total,
                average=p.average,
                count=p.count,
            )
            for p in consolidation.series(require_user(info), regime, code, last)
        ]

    def report_board(info: Info, period: strawberry.ID) -> Optional[BoardView]:
        from . import board

        found = board.build(require_user(info), period)
        if found is None:
            return None
        return BoardView(
            period_id=strawberry.ID(str(found.period_id)),
            period_label=found.period_label,
            regime_name=found.regime_name,
            deadline=found.deadline,
            cells=[
                BoardCellView(
                    unit_id=strawberry.ID(str(c.unit_id)),
                    unit_code=c.unit_code,
                    unit_name=c.unit_name,
                    province_code=c.province_code,
                    status=c.status,
                    submission_id=strawberry.ID(str(c.submission_id)) if c.submission_id else None,
                    number=c.number,
                    submitted_at=c.submitted_at,
                )
                for c in found.cells
            ],
            counts=[BoardCountView(status=k, count=n) for k, n in found.counts.items()],
        )

    from . import onestop_report_api

    return onestop_report_api.queries() | {
        "report_board": strawberry.field(
            resolver=django_resolver(report_board),
            name="reportBoard",
            description="Các đơn vị của kỳ báo cáo và trạng thái / The units of a period and their status",
        ),
        "report_sheet": strawberry.field(
            resolver=django_resolver(report_sheet),
            name="reportSheet",
            description="Báo cáo của đơn vị theo biểu mẫu: chỉ tiêu, giá trị, ý kiến, kiểm tra / "
            "A submission laid out by its form",
        ),
        "report_indicators": strawberry.field(
            resolver=django_resolver(report_indicators),
            name="reportIndicators",
            description="Chỉ tiêu của phiên bản biểu mẫu gắn với kỳ / "
            "The indicators of the period's form version",
        ),
        "report_consolidation": strawberry.field(
            resolver=django_resolver(report_consolidation),
            name="reportConsolidation",
            description="Tổng, trung bình và bảng theo tỉnh (báo cáo đã tiếp nhận) / "
            "Total, average and per-province table (accepted reports)",
        ),
        "report_series": strawberry.field(
            resolver=django_resolver(report_series),
            name="reportSeries",
            description="Chuỗi thời gian của một chỉ tiêu / An indicator's time series",
        ),
    }


# --- mutations ---------------------------------------------------------------------------


def return_with_comments(
    user: Any, pk: Any, version: int, comment: str, comments: list[tuple[str, str]]
) -> Any:
    """Return a report for revision with comments per indicator, in one transaction."""
    from django.db import transaction

    entity = submissions.submission_entity()
    with transaction.atomic():
        row = services.fetch_for(entity, user, pk, "view")
        codes = {ind.code for ind in submissions.indicators_of(row)}
        unknown = [
            FieldProblem(
                f"indicatorComments.{code}", "UNKNOWN_FIELD", f"Chỉ tiêu không có / Unknown indicator: {code}"
            )
            for code, _ in comments
            if code not in codes
        ]
        if unknown:
            raise InvalidInput(unknown)
        row = services.fire_transition(entity, user, pk, "return_for_revision", version, comment)
        model = row.comments.model
        start = row.comments.count()
        model.objects.bulk_create(
            model(parent=row, code=code, comment=text.strip(), position=start + i)
            for i, (code, text) in enumerate(comments)
            if text.strip()
        )
        return row


def submission_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def save_report_values(
        info: Info, id: strawberry.ID, version: int, values: list[ValueInput]
    ) -> WriteResult:
        user = require_user(info)
        return _result(lambda: submissions.save_values(user, id, version, [_entry(v) for v in values]))

    def return_submission(
        info: Info,
        id: strawberry.ID,
        version: int,
        comment: str,
        indicator_comments: Optional[list[CommentInput]] = None,
    ) -> WriteResult:
        user = require_user(info)
        pairs = [(c.code, c.comment) for c in indicator_comments or ()]
        return _result(lambda: return_with_comments(user, id, version, comment, pairs))

    return {
        "save_report_values": strawberry.mutation(
            resolver=django_resolver(save_report_values),
            name="saveReportValues",
            description="Ghi số liệu các chỉ tiêu (nguyên khối) / Write indicator values, all or nothing",
        ),
        "return_submission": strawberry.mutation(
            resolver=django_resolver(return_submission),
            name="submissionReturnWithComments",
            description="Trả lại báo cáo kèm ý kiến từng chỉ tiêu / "
            "Return for revision with comments per indicator",
        ),
    }


def new_form_version(user: Any, pk: Any) -> Any:
    """A draft copy of a form version, to edit and publish when it should come into force."""
    from django.db import transaction

    entity = registry.entity_by_label("reporting.ReportForm")
    with transaction.atomic():
        source = services.fetch_for(entity, user, pk, "view")
        if not access.can(user, entity, "add"):
            raise services.PermissionDenied("Bạn không có quyền tạo biểu mẫu. / You may not create forms.")
        copy = registry.model_for(entity)(regime_id=source.regime_id, title=source.title, notes=source.notes)
        copy = services.save_record(
            entity, user, copy, created=True, expected_version=None, reason="new version"
        )
        model = copy.indicators.model
        columns = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "parent")]
        model.objects.bulk_create(
            model(parent=copy, **{c: getattr(row, c) for c in columns}) for row in source.indicators.all()
        )
        return copy


def form_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from modules.engine import idempotency
    from schema.context import require_user
    from schema.idempotency import KeyArgument, key_for

    def new_version(info: Info, id: strawberry.ID, idempotency_key: str | None = None) -> WriteResult:
        """A retry with the same key gets the same draft, not a second one."""
        user = require_user(info)
        return _result(
            lambda: idempotency.run_once(
                user,
                key_for(info, idempotency_key),
                "reportFormNewVersion",
                {"id": id},
                lambda: new_form_version(user, id),
            )
        )

    new_version.__annotations__["idempotency_key"] = KeyArgument

    return {
        "new_report_form_version": strawberry.mutation(
            resolver=django_resolver(new_version),
            name="reportFormNewVersion",
            description="Tạo phiên bản mới (bản nháp) từ một biểu mẫu / A new draft version of a form",
        )
    }


# --- subscriptions -----------------------------------------------------------------------


def _status_event(message: dict[str, Any]) -> StatusEvent:
    return StatusEvent(
        id=strawberry.ID(str(message["id"])),
        number=message["number"],
        period_id=strawberry.ID(str(message["period_id"])),
        unit_id=strawberry.ID(str(message["owner_unit_id"])),
        state=message["state"],
        timeliness=message["timeliness"] or None,
    )


def report_subscriptions() -> dict[str, Any]:
    from schema.context import require_user

    async def report_status(info: Info, period: strawberry.ID) -> Feed:
        user = require_user(info)
        rule = LiveRule(user, submissions.submission_entity())
        await rule.refresh()
        period_id = int(period) if str(period).isdigit() else -1

        def accepts(message: dict[str, Any]) -> bool:
            return message.get("type") == events.EVENT_TYPE and message["period_id"] == period_id

        return Feed(group=events.GROUP, accepts=accepts, to_event=_status_event, rule=rule)

    return {
        "report_status": strawberry.subscription(
            resolver=feed_resolver(report_status, StatusEvent),
            name="reportStatus",
            description="Trạng thái báo cáo của các đơn vị trong kỳ, trực tiếp / "
            "Live submission status in a period",
        )
    }
