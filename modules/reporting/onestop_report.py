"""The one-stop report of TT 01/2018 Art. 11, produced from the dossiers.

Art. 11 (domain.md §2) asks for: deployment status; intake and handling figures; the
published counter and online procedure lists; evaluation results; inter-agency
procedures proposed. Only the second and the count of the published procedure list are
in the data; the others are the unit's own words, left as sections to write (the
export says so) rather than invented.

The figures, per one-stop unit (the dossier's receiving unit, `desk`; for a dossier refused
before it was taken in, the unit that holds it) and for a period
[start, end], in the layout of the periodic one-stop report (TT 02/2017/TT-VPCP):
- dossiers to handle = carried over (received before the period, still open at its
  start) + received in the period (online / at the counter or kiosk / by post);
- resolved by the end (processed, returned or stopped): on time (early included) or late
  (after the promised date, or more than one supplement request, 766/QĐ-TTg);
- still open at the end: within the time limit (waiting for a supplement included: the
  clock is stopped) or overdue;
- refused at intake and withdrawn, apart.
States are read from each dossier's timeline as they stood at the period's start and
end, as `modules/onestop/kpis.py` does, so a past period's report does not move. Rows
come through `access.scoped_queryset`: a reader sees the figures of the dossiers they may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from modules.engine import access, registry

OPEN = ("accepted", "processing", "supplement", "payment")
WORKING = ("accepted", "processing", "payment")  # the clock runs (not while a supplement is awaited)
RESOLVED = ("processed", "returned", "stopped")


@dataclass(frozen=True)
class Row:
    unit_id: int | None
    unit: str
    total: int  # dossiers to handle in the period
    carried_over: int
    received: int
    received_online: int
    received_counter: int  # at the counter or a self-service kiosk
    received_postal: int
    resolved: int
    resolved_on_time: int
    resolved_late: int
    pending: int
    pending_in_time: int
    pending_overdue: int
    waiting_supplement: int  # part of pending_in_time
    refused: int
    withdrawn: int

    @property
    def on_time_rate(self) -> float | None:
        decided = self.resolved_on_time + self.resolved_late + self.pending_overdue
        return round(100 * self.resolved_on_time / decided, 1) if decided else None


COUNTS = tuple(f.name for f in fields(Row) if f.name not in ("unit_id", "unit"))


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    procedures_published: int  # active procedures in the catalogue (the published list)
    units: list[Row]
    total: Row


def _moment(day: dt.date) -> dt.datetime:
    """The first instant of `day` in the platform's time zone."""
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def _state_before(moment: dt.datetime) -> Subquery:
    timeline = registry.model_for("onestop.Dossier").timeline.rel.related_model
    return Subquery(
        timeline.objects.filter(parent=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-position", "-id")
        .values("status")[:1]
    )


def _aggregates(start: dt.date, end: dt.date) -> dict[str, Count]:
    carried = Q(receipt_date__lt=start, start_state__in=OPEN)
    new = Q(receipt_date__gte=start)
    resolved = Q(end_state__in=RESOLVED)
    in_time = (Q(promised_date__isnull=True) | Q(finished_on__lte=F("promised_date"))) & Q(
        supplement_count__lte=1
    )
    overdue = Q(end_state__in=WORKING, promised_date__lt=end)
    pending = Q(end_state__in=OPEN)
    return {
        "total": Count("id"),
        "carried_over": Count("id", filter=carried),
        "received": Count("id", filter=new),
        "received_online": Count("id", filter=new & Q(channel="online")),
        "received_counter": Count("id", filter=new & Q(channel__in=("counter", "kiosk"))),
        "received_postal": Count("id", filter=new & Q(channel="postal")),
        "resolved": Count("id", filter=resolved),
        "resolved_on_time": Count("id", filter=resolved & in_time),
        "resolved_late": Count("id", filter=resolved & ~in_time),
        "pending": Count("id", filter=pending),
        "pending_in_time": Count("id", filter=pending & ~overdue),
        "pending_overdue": Count("id", filter=pending & overdue),
        "waiting_supplement": Count("id", filter=Q(end_state="supplement")),
        "refused": Count("id", filter=Q(end_state="refused")),
        "withdrawn": Count("id", filter=Q(end_state="withdrawn")),
    }


def dossiers_of_period(user: Any, start: dt.date, end: dt.date) -> Any:
    """The dossiers of the period the user may see: carried over, or received in it."""
    end_moment = _moment(end + dt.timedelta(days=1))
    rows = (
        access.scoped_queryset(user, registry.entity_by_label("onestop.Dossier"), "view")
        .filter(receipt_date__lte=end)
        .annotate(
            start_state=_state_before(_moment(start)),
            end_state=_state_before(end_moment),
            finished_on=TruncDate("finished_at"),
        )
    )
    carried = Q(receipt_date__lt=start, start_state__in=OPEN)
    received = Q(receipt_date__gte=start, end_state__isnull=False) & ~Q(end_state="new")
    return rows.filter(carried | received)


def build(user: Any, start: dt.date, end: dt.date) -> Report:
    """The report for [start, end]: one grouped query per one-stop unit, one for the total."""
    aggregates = _aggregates(start, end)
    rows = list(
        dossiers_of_period(user, start, end)
        .annotate(report_unit=Coalesce("desk_id", "owner_unit_id"))  # refused at intake: no desk
        .order_by()
        .values("report_unit")
        .annotate(**aggregates)
    )
    names = dict(
        registry.model_for("org.Unit")
        .objects.filter(pk__in=[r["report_unit"] for r in rows if r["report_unit"]])
        .values_list("pk", "name")
    )
    units = sorted(
        (
            Row(
                unit_id=r["report_unit"],
                unit=names.get(r["report_unit"], "Chưa xác định / Not set"),
                **{name: r[name] for name in COUNTS},
            )
            for r in rows
        ),
        key=lambda row: row.unit,
    )
    total = dossiers_of_period(user, start, end).aggregate(**aggregates)
    procedures = registry.model_for("onestop.Procedure").objects.filter(is_active=True).count()
    return Report(
        start=start,
        end=end,
        procedures_published=procedures,
        units=units,
        total=Row(unit_id=None, unit="Tổng cộng / Total", **{name: total[name] or 0 for name in COUNTS}),
    )


# The layout's columns: (field, Vietnamese heading, English heading), in the report's order.
COLUMNS = (
    ("total", "Tổng số hồ sơ phải giải quyết", "Dossiers to handle"),
    ("carried_over", "Kỳ trước chuyển qua", "Carried over"),
    ("received", "Mới tiếp nhận trong kỳ", "Received in the period"),
    ("received_online", "Trong đó: trực tuyến", "of which online"),
    ("received_counter", "Trực tiếp (quầy, ki-ốt)", "at the counter or kiosk"),
    ("received_postal", "Qua bưu chính công ích", "by public post"),
    ("resolved", "Đã giải quyết", "Resolved"),
    ("resolved_on_time", "Trước hạn, đúng hạn", "early or on time"),
    ("resolved_late", "Quá hạn", "late"),
    ("pending", "Đang giải quyết", "Still open"),
    ("pending_in_time", "Trong hạn", "within the time limit"),
    ("pending_overdue", "Quá hạn", "overdue"),
    ("waiting_supplement", "Chờ bổ sung", "waiting for a supplement"),
    ("refused", "Từ chối tiếp nhận", "Refused at intake"),
    ("withdrawn", "Rút hồ sơ", "Withdrawn"),
)
NOT_FROM_DATA = (
    ("Tình hình triển khai Bộ phận một cửa", "Deployment status"),
    ("Danh mục thủ tục công bố trực tuyến", "Published online procedure list"),
    ("Kết quả đánh giá việc giải quyết thủ tục", "Evaluation results"),
    ("Thủ tục liên thông đề xuất", "Inter-agency procedures proposed"),
)
