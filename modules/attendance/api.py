"""GraphQL for attendance: enrollment and deletion (biometric role, audited), check-in, statistics.

Enrollment data has no generated API (`Entity.graphql=False`): `biometricEnrollment`
reads it for the biometric role and logs the view; `enrollFace` and
`deleteBiometricData` write it. `attendanceCheckIn` is the kiosk's mutation (the same
as POST /attendance/checkin). `lateness` gives the rate per unit and month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from strawberry.file_uploads import Upload
from strawberry.types import Info

from modules.engine import access, registry
from schema.enums import codes_enum, lazy_at

from . import faces, services
from .reminder import DUE_KINDS
from .stages import StageTimer

if TYPE_CHECKING:
    from schema.common import FieldError


# --- statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatenessRow:
    unit_id: int | None
    unit: str
    month: dt.date
    check_ins: int
    late: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.late / self.check_ins, 1) if self.check_ins else None


def lateness(user: Any, start: dt.date, end: dt.date) -> list[LatenessRow]:
    """Lateness per unit and month over the morning check-ins the user may see."""
    rows = (
        access.scoped_queryset(user, registry.entity_by_label("attendance.CheckIn"), "view")
        .filter(kind="in", at__date__gte=start, at__date__lte=end)
        .annotate(month=TruncMonth("at"))
        .values("owner_unit_id", "owner_unit__name", "month")
        .annotate(total=Count("id"), late=Count("id", filter=Q(late=True)))
        .order_by("month", "owner_unit__name")
    )
    return [
        LatenessRow(
            unit_id=r["owner_unit_id"],
            unit=r["owner_unit__name"] or "—",
            month=r["month"].date() if hasattr(r["month"], "date") else r["month"],
            check_ins=r["total"],
            late=r["late"],
        )
        for r in rows
    ]


# --- GraphQL types ---------------------------------------------------------------------------

# one enum for one set (schema/enums.py): the generated `CheckInKind`, and the due kinds
CheckInKindEnum = lazy_at("attendance.CheckIn.kind")
DueKind = codes_enum("AttendanceTaskDue", "Hạn của nhiệm vụ / How a task stands at check-in", DUE_KINDS)


@strawberry.type(name="AttendanceTask")
class TaskView:
    number: str
    title: str
    deadline: dt.date
    when: str
    kind: DueKind = strawberry.field(description="Quá hạn, đến hạn hôm nay, sắp đến hạn / How it stands")


@strawberry.type(name="AttendanceCheckIn", description="Kết quả chấm công / A check-in's result")
class CheckInView:
    recognised: bool
    distance: Optional[float]
    person_id: Optional[strawberry.ID]
    name: str
    kind: Optional[CheckInKindEnum] = strawberry.field(description="Vào / ra; null khi không ghi / In or out")
    late: bool
    minutes_late: int
    recorded: bool = strawberry.field(description="False: đã chấm trong vài phút trước / already checked in")
    at: Optional[dt.datetime]
    greeting: str
    tasks: list[TaskView]
    error: Optional[str] = None
    error_code: Optional[str] = strawberry.field(
        default=None, description="Mã lỗi, ví dụ TOO_MANY_PIXELS / The error's code, e.g. TOO_MANY_PIXELS"
    )


@strawberry.type(name="BiometricEnrollment", description="Dữ liệu khuôn mặt (không có véc-tơ) / Enrollment")
class EnrollmentView:
    person_id: strawberry.ID
    person: str
    photos: int
    consent_text: str
    consent_at: dt.datetime
    keep_photos: bool


@strawberry.type(name="BiometricWrite")
class WriteResult:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]


@strawberry.type(name="LatenessRow")
class LatenessView:
    unit: str
    month: dt.date
    check_ins: int
    late: int
    rate: Optional[float]


def check_in_view(result: services.CheckInResult) -> CheckInView:
    return CheckInView(
        recognised=result.recognised,
        distance=result.distance,
        person_id=strawberry.ID(str(result.person_id)) if result.person_id else None,
        name=result.name,
        kind=result.kind or None,
        late=result.late,
        minutes_late=result.minutes_late,
        recorded=result.recorded,
        at=result.at,
        greeting=result.greeting,
        tasks=[TaskView(**t) for t in result.tasks],
    )


def enrollment_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.common import write_outcome
    from schema.context import require_user

    def enroll_face(
        info: Info, person: strawberry.ID, photos: list[Upload], consent_text: str, keep_photos: bool = False
    ) -> WriteResult:
        user = require_user(info)
        return write_outcome(
            WriteResult,
            lambda: services.enroll(
                user,
                person,
                [faces.bounded_read(p) for p in photos],
                consent_text,
                keep_photos,
                via="graphql",
            ),
        )

    def delete_biometric_data(info: Info, person: strawberry.ID) -> WriteResult:
        user = require_user(info)
        return write_outcome(WriteResult, lambda: services.delete_biometrics(user, person, via="graphql"))

    def attendance_check_in(info: Info, kiosk_token: str, image: Upload) -> CheckInView:
        kiosk = services.kiosk_for_token(kiosk_token)
        if kiosk is None:
            return _refused("UNKNOWN_KIOSK", "Mã ki-ốt không hợp lệ. / Unknown kiosk.")
        timer = StageTimer()  # the debug log's line; HTTP kiosks also get a Server-Timing header
        try:
            view = check_in_view(services.check_in(kiosk, faces.bounded_read(image), timer=timer))
        except faces.FaceError as exc:
            timer.log(exc.code)
            return _refused(exc.code, exc.message)
        timer.log("recognised" if view.recognised else "not recognised")
        return view

    return {
        "enroll_face": strawberry.mutation(
            resolver=django_resolver(enroll_face),
            name="enrollFace",
            description="Đăng ký khuôn mặt (1–5 ảnh, có sự đồng ý) / Enroll a face (1–5 photos, consent)",
        ),
        "delete_biometric_data": strawberry.mutation(
            resolver=django_resolver(delete_biometric_data),
            name="deleteBiometricData",
            description="Xoá toàn bộ dữ liệu khuôn mặt của một người / Delete a person's face data",
        ),
        "attendance_check_in": strawberry.mutation(
            resolver=django_resolver(attendance_check_in),
            name="attendanceCheckIn",
            description="Chấm công tại ki-ốt / Check in at a kiosk",
        ),
    }


def _refused(code: str, message: str) -> CheckInView:
    return CheckInView(
        recognised=False,
        distance=None,
        person_id=None,
        name="",
        kind=None,
        late=False,
        minutes_late=0,
        recorded=False,
        at=None,
        greeting="",
        tasks=[],
        error=f"{code}: {message}",
        error_code=code,
    )


def enrollment_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def biometric_enrollment(info: Info, person: strawberry.ID) -> Optional[EnrollmentView]:
        user = require_user(info)
        if not services.may_manage(user):
            return None
        row = services.model("Enrollment").objects.select_related("person").filter(person_id=person).first()
        if row is None:
            return None
        services.audit(user, row.person, "view", "graphql")
        return EnrollmentView(
            person_id=strawberry.ID(str(row.person_id)),
            person=row.person.full_name,
            photos=row.photos,
            consent_text=row.consent_text,
            consent_at=row.consent_at,
            keep_photos=row.keep_photos,
        )

    def lateness_query(info: Info, date_from: dt.date, date_to: dt.date) -> list[LatenessView]:
        return [
            LatenessView(unit=r.unit, month=r.month, check_ins=r.check_ins, late=r.late, rate=r.rate)
            for r in lateness(require_user(info), date_from, date_to)
        ]

    return {
        "biometric_enrollment": strawberry.field(
            resolver=django_resolver(biometric_enrollment),
            name="biometricEnrollment",
            description="Dữ liệu khuôn mặt của một người (ghi nhật ký) / A person's enrollment (logged)",
        ),
        "lateness": strawberry.field(
            resolver=django_resolver(lateness_query),
            name="lateness",
            description="Tỷ lệ đi muộn theo đơn vị và tháng / Lateness per unit and month",
        ),
    }


# --- admin ------------------------------------------------------------------------------------


def kiosk_links(kiosk: Any, user: Any) -> list[dict[str, str]]:
    return [
        {
            "title": "Cấp mã ki-ốt mới / New kiosk token",
            "url": reverse("attendance-kiosk-token", args=[kiosk.pk]),
            "icon": "key",
        }
    ]
