"""Petitions: public intake and feedback, published answers, statistics (GraphQL and the dashboard).

Anyone may file a petition (`submitPetition`, or the page `/kien-nghi/`) and later say
how satisfied they are with the published answer (`petitionFeedback`, with the key
given at filing). Both are rate-limited per address. Staff handle petitions through the
generated API and the admin; `petitionStats` and the dashboard give the figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
from django.conf import settings
from django.db import transaction
from strawberry.types import Info

from modules.engine import access, registry, services
from modules.engine.errors import FieldProblem, InvalidInput, NotFound
from modules.engine.ratelimit import check_rate
from schema.enums import enum_at, lazy_at, plain

from . import rules

if TYPE_CHECKING:
    from schema.common import FieldError

INTAKE_GROUP = "petitions.intake"


def entity() -> Any:
    return registry.entity_by_label("petitions.Petition")


def receiving_unit_id() -> int | None:
    """The unit that keeps the receipt register (settings.PETITIONS_RECEIVING_UNIT, by code)."""
    units = registry.model_for("org.Unit").objects
    code = getattr(settings, "PETITIONS_RECEIVING_UNIT", "PC")
    unit = units.filter(code=code).first() or units.filter(parent__isnull=True, kind="ministry").first()
    return unit.pk if unit else None


def file_petition(values: dict[str, Any], client: str) -> Any:
    """Public intake: validated, numbered in the register, owned by the receiving unit.

    A complaint or denunciation, or a text not in Vietnamese, is registered too and classified
    at once (`hooks.classify_at_intake`): the answer carries the notice with the legal reason."""
    check_rate(INTAKE_GROUP, client, getattr(settings, "PETITIONS_INTAKE_RATE", "10/h"))
    allowed = {
        "kind",
        "content_type",
        "channel",
        "petitioner_name",
        "address",
        "phone",
        "email",
        "subject",
        "content",
        "proposal",
        "related_rule",
    }
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise InvalidInput(
            [
                FieldProblem(name, "UNKNOWN_FIELD", f"Trường không nhận / Unknown field: {name}")
                for name in unknown
            ]
        )
    values = {k: v for k, v in values.items() if v is not None}
    values.setdefault("channel", "online")
    if values.get("kind") in (rules.COMPLAINT, rules.DENUNCIATION):
        values.setdefault("content_type", "other")  # not a petition: Art. 5's types do not apply
    model = registry.model_for(entity())
    with transaction.atomic():
        petition = model()
        services.apply_values(entity(), None, petition, values)
        petition.owner_unit_id = receiving_unit_id()
        services.validate_instance(entity(), None, petition, {})
        return services.save_record(
            entity(), None, petition, created=True, expected_version=None, reason="intake"
        )


def give_feedback(number: str, key: str, satisfaction: str, comment: str, client: str) -> Any:
    check_rate(INTAKE_GROUP, client, getattr(settings, "PETITIONS_INTAKE_RATE", "10/h"))
    model = registry.model_for(entity())
    with transaction.atomic():
        petition = (
            model.objects.select_for_update().filter(number=number.strip(), feedback_key=key.strip()).first()
        )
        if petition is None:
            raise NotFound("Không tìm thấy kiến nghị. / Petition not found.")
        if petition.state not in ("answered", "published"):
            raise InvalidInput(
                [FieldProblem(None, "NOT_YET", "Kiến nghị chưa có trả lời. / Not answered yet.")]
            )
        if satisfaction not in {code for code, _vi, _en in rules.SATISFACTION}:
            raise InvalidInput(
                [FieldProblem("satisfaction", "INVALID", "Chọn mức độ hài lòng. / Choose a level.")]
            )
        petition.satisfaction, petition.feedback = satisfaction, comment.strip()[:2000]
        return services.save_record(
            entity(), None, petition, created=False, expected_version=petition.version, reason="feedback"
        )


# --- statistics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    year: int
    received: int
    answered: int
    answered_on_time: int
    on_time_rate: float | None
    average_days: float | None
    satisfied: int
    feedback: int
    by_month: list[tuple[int, int, int]]  # (month, received, answered)


def compute_stats(user: Any, year: int) -> Stats:
    """One year's figures over the petitions `user` may see (answers count when recorded)."""
    rows = access.scoped_queryset(user, entity(), "view").filter(created_at__year=year)
    data = list(rows.values("created_at", "answered_at", "answered_on_time", "satisfaction"))
    answered = [r for r in data if r["answered_at"]]
    days = [(r["answered_at"] - r["created_at"]).total_seconds() / 86400 for r in answered]
    on_time = sum(1 for r in answered if r["answered_on_time"])
    months = []
    for month in range(1, 13):
        got = sum(1 for r in data if r["created_at"].month == month)
        done = sum(1 for r in answered if r["answered_at"].year == year and r["answered_at"].month == month)
        months.append((month, got, done))
    with_feedback = [r for r in data if r["satisfaction"]]
    return Stats(
        year=year,
        received=len(data),
        answered=len(answered),
        answered_on_time=on_time,
        on_time_rate=round(100 * on_time / len(answered), 1) if answered else None,
        average_days=round(sum(days) / len(days), 1) if days else None,
        satisfied=sum(1 for r in with_feedback if r["satisfaction"] in rules.SATISFIED),
        feedback=len(with_feedback),
        by_month=months,
    )


@dataclass(frozen=True)
class UnitKpi:
    unit_id: int | None
    unit: str
    received: int
    answered: int
    on_time: int
    late: int  # answered late, or past the deadline unanswered

    @property
    def on_time_rate(self) -> float | None:
        decided = self.on_time + self.late
        return round(100 * self.on_time / decided, 1) if decided else None


def unit_kpis(user: Any, start: dt.date, end: dt.date, today: dt.date | None = None) -> list[UnitKpi]:
    """Per handling unit, petitions received in [start, end] that the user may see."""
    from django.db.models import Count, Q

    from modules.engine import workdays

    today = today or workdays.today()
    rows = (
        access.scoped_queryset(user, entity(), "view")
        .filter(created_at__date__gte=start, created_at__date__lte=end)
        .values("assigned_unit_id", "assigned_unit__name")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            on_time=Count("id", filter=Q(answered_on_time=True)),
            late=Count(
                "id",
                filter=Q(answered_at__isnull=False, answered_on_time=False)
                | Q(answered_at__isnull=True, answer_deadline__lt=today, state="handling"),
            ),
        )
        .order_by("-received")
    )
    return [
        UnitKpi(
            unit_id=r["assigned_unit_id"],
            unit=r["assigned_unit__name"] or "Chưa giao / Not assigned",
            received=r["received"],
            answered=r["answered"],
            on_time=r["on_time"],
            late=r["late"],
        )
        for r in rows
    ]


# --- GraphQL ---------------------------------------------------------------------------------


@strawberry.type(name="PetitionKpi", description="Kiến nghị theo đơn vị xử lý / Petitions per handling unit")
class UnitKpiView:
    unit_id: Optional[strawberry.ID]
    unit: str
    received: int
    answered: int
    on_time: int
    late: int
    on_time_rate: Optional[float]


# the generated enums of these declared sets (one enum for one set, schema/enums.py)
ContentTypeEnum = lazy_at("petitions.Petition.content_type")
KindEnum = lazy_at("petitions.Petition.kind")


@strawberry.input(name="PetitionInput", description="Một kiến nghị gửi trực tuyến / A petition filed online")
class PetitionInput:
    petitioner_name: str
    address: str
    phone: str
    subject: str
    content: str
    content_type: Optional[ContentTypeEnum] = strawberry.field(
        default=None, description="Bắt buộc với phản ánh, kiến nghị / Required for a petition"
    )
    kind: Optional[KindEnum] = strawberry.field(
        default=None, description="Mặc định: phản ánh, kiến nghị / Default: a petition"
    )
    email: Optional[str] = None
    proposal: Optional[str] = None
    related_rule: Optional[str] = None


@strawberry.type(name="PetitionFiled")
class FiledResult:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]
    number: Optional[str]
    feedback_key: Optional[str] = strawberry.field(
        description="Giữ để phản hồi sau / Keep it to give feedback"
    )
    accepted: Optional[bool] = strawberry.field(
        default=None,
        description="Được tiếp nhận để xử lý (không: xem notice) / Taken in for handling (else: notice)",
    )
    notice: Optional[str] = strawberry.field(
        default=None,
        description="Lý do không tiếp nhận, có căn cứ pháp lý / Why not taken in, with the legal basis",
    )


@strawberry.type(name="PublishedPetition", description="Kết quả xử lý đã công khai / A published answer")
class PublishedView:
    number: str
    subject: str
    content_type: ContentTypeEnum
    received_on: dt.date
    answer: str
    published_at: dt.datetime


@strawberry.type(name="PetitionStats")
class StatsView:
    year: int
    received: int
    answered: int
    answered_on_time: int
    on_time_rate: Optional[float]
    average_days: Optional[float] = strawberry.field(
        description="Số ngày trả lời bình quân / Average days to answer"
    )
    satisfied: int
    feedback: int


def _client(info: Info) -> str:
    request = info.context.request if not isinstance(info.context, dict) else None
    return request.META.get("REMOTE_ADDR", "") if request is not None else "ws"


def petition_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.common import write_outcome
    from schema.generate import input_to_dict

    def submit(info: Info, input: PetitionInput) -> FiledResult:
        return write_outcome(
            FiledResult,
            lambda: file_petition(input_to_dict(input), _client(info)),
            lambda petition: {
                "number": petition.number,
                "feedback_key": petition.feedback_key,
                "accepted": petition.state == "received",
                "notice": petition.notice or None,
            },
        )

    def feedback(info: Info, number: str, key: str, satisfaction: Any, comment: str = "") -> FiledResult:
        return write_outcome(
            FiledResult,
            lambda: give_feedback(number, key, plain(satisfaction), comment, _client(info)),
            lambda _: {"number": number},
        )

    feedback.__annotations__["satisfaction"] = enum_at("petitions.Petition.satisfaction")  # built by now

    return {
        "submit_petition": strawberry.mutation(
            resolver=django_resolver(submit),
            name="submitPetition",
            description="Gửi kiến nghị, không cần đăng nhập / File a petition, no log-in",
        ),
        "petition_feedback": strawberry.mutation(
            resolver=django_resolver(feedback),
            name="petitionFeedback",
            description="Đánh giá mức độ hài lòng với trả lời / Rate the answer",
        ),
    }


def published(limit: int = 50) -> list[Any]:
    rows = registry.model_for(entity()).objects.filter(state="published").order_by("-published_at")
    return list(rows[: max(1, min(limit, 200))])


def petition_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import BadUserInput, require_user

    def published_petitions(info: Info, limit: int = 50) -> list[PublishedView]:
        return [
            PublishedView(
                number=p.number,
                subject=p.subject,
                content_type=p.content_type,
                received_on=p.created_at.date(),
                answer=p.answer,
                published_at=p.published_at,
            )
            for p in published(limit)
        ]

    def petition_stats(info: Info, year: int) -> StatsView:
        user = require_user(info)
        if not 1900 <= year <= 9999:  # a year the calendar can hold (issue 11.8)
            raise BadUserInput("year", "Năm không hợp lệ. / The year is out of range.")
        s = compute_stats(user, year)
        return StatsView(
            year=s.year,
            received=s.received,
            answered=s.answered,
            answered_on_time=s.answered_on_time,
            on_time_rate=s.on_time_rate,
            average_days=s.average_days,
            satisfied=s.satisfied,
            feedback=s.feedback,
        )

    def petition_kpis(info: Info, date_from: dt.date, date_to: dt.date) -> list[UnitKpiView]:
        return [
            UnitKpiView(
                unit_id=strawberry.ID(str(k.unit_id)) if k.unit_id else None,
                unit=k.unit,
                received=k.received,
                answered=k.answered,
                on_time=k.on_time,
                late=k.late,
                on_time_rate=k.on_time_rate,
            )
            for k in unit_kpis(require_user(info), date_from, date_to)
        ]

    return {
        "petition_kpis": strawberry.field(
            resolver=django_resolver(petition_kpis),
            name="petitionKpis",
            description="Kiến nghị theo đơn vị xử lý trong kỳ / Petition KPIs per unit and period",
        ),
        "published_petitions": strawberry.field(
            resolver=django_resolver(published_petitions),
            name="publishedPetitions",
            description="Kết quả xử lý kiến nghị đã công khai (không có thông tin cá nhân) / "
            "Published answers",
        ),
        "petition_stats": strawberry.field(
            resolver=django_resolver(petition_stats),
            name="petitionStats",
            description="Thống kê kiến nghị trong năm / A year's petition figures",
        ),
    }
