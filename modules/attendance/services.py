"""Enrollment, deletion and check-in: the attendance rules, with the audit and the shared index.

- Enrollment takes 1 to 5 photos and the person's recorded consent; every photo must
  pass `faces.for_enrollment`; encodings are stored, photos only if asked. Re-enrolling
  replaces the encodings.
- Deleting a person's biometric data removes their encodings everywhere: the rows go,
  and the index generation moves, so every process reloads before the next check-in.
- A check-in matches against the people allowed at the kiosk's site, records in/out
  and lateness against the unit's schedule on working days, and does not record the
  same person twice within a few minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, workdays
from modules.engine.authcache import generation_of, move_generation
from modules.engine.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied

from . import faces
from .index import DEFAULT_TOLERANCE, LiveIndex
from .stages import NO_TIMER, StageTimer

GENERATION_KEY = "onemst:attendance:faces:generation"
MAX_PHOTOS = 5
DEDUP_MINUTES = 5
DEFAULT_START, DEFAULT_GRACE = "08:00", 10


def model(name: str) -> Any:
    return registry.model_for(f"attendance.{name}")


# --- the index, shared by the processes through a generation in the cache ----------------------


def generation() -> str:
    return generation_of(GENERATION_KEY)


def faces_changed() -> None:
    move_generation(GENERATION_KEY)


def _load() -> tuple[np.ndarray, np.ndarray]:
    rows = model("Enrollment").encodings.rel.related_model.objects.values_list("parent__person_id", "vector")
    rows = list(rows)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 128), dtype=np.float32)
    owners = np.array([owner for owner, _v in rows], dtype=np.int64)
    vectors = np.array([vector for _o, vector in rows], dtype=np.float32)
    return owners, vectors


INDEX = LiveIndex(_load, generation)


# --- audit ---------------------------------------------------------------------------------------


def audit(actor: Any, person: Any, action: str, via: str) -> None:
    model("BiometricAudit").objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        person_id=person.pk,
        person_name=person.full_name,
        action=action,
        via=via,
        at=timezone.now(),
    )


def may_manage(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("attendance.view_enrollment"))


# --- enrollment ----------------------------------------------------------------------------------


def enroll(
    actor: Any,
    person_id: Any,
    photos: list[bytes],
    consent_text: str,
    keep_photos: bool = False,
    via: str = "api",
) -> Any:
    if not may_manage(actor):
        raise PermissionDenied(
            "Cần quyền quản trị dữ liệu sinh trắc học. / The biometric permission is needed."
        )
    person = (
        registry.model_for("org.Person").objects.filter(pk=person_id).first()
        if str(person_id).isdigit()
        else None
    )
    if person is None:
        raise NotFound("Không tìm thấy cán bộ. / Person not found.")
    problems: list[FieldProblem] = []
    if not consent_text.strip():
        problems.append(
            FieldProblem("consentText", "REQUIRED", "Cần ghi nhận sự đồng ý. / Consent is required.")
        )
    if not 1 <= len(photos) <= MAX_PHOTOS:
        problems.append(FieldProblem("photos", "COUNT", "Từ 1 đến 5 ảnh. / From 1 to 5 photos."))
    found: list[faces.Face] = []
    for i, data in enumerate(photos[:MAX_PHOTOS]):
        try:
            found.append(faces.for_enrollment(data))
        except faces.FaceError as exc:
            problems.append(FieldProblem(f"photos.{i}", exc.code, exc.message))
    if problems:
        raise InvalidInput(problems)
    enrollment_model = model("Enrollment")
    row_model = enrollment_model.encodings.rel.related_model
    with transaction.atomic():
        enrollment_model.objects.filter(person=person).delete()
        enrollment = enrollment_model.objects.create(
            person=person,
            consent_text=consent_text.strip(),
            consent_at=timezone.now(),
            consent_recorded_by=actor,
            keep_photos=keep_photos,
            photos=len(found),
            created_by=actor,
            updated_by=actor,
        )
        for i, (face, data) in enumerate(zip(found, photos, strict=False)):
            row = row_model(parent=enrollment, vector=[round(float(v), 6) for v in face.encoding], position=i)
            if keep_photos:
                row.photo.save(f"face-{person.pk}-{i}.jpg", ContentFile(data), save=False)
            row.save()
        audit(actor, person, "enroll", via)
        faces_changed()
    return enrollment


def delete_biometrics(actor: Any, person_id: Any, via: str = "api") -> bool:
    """Remove a person's face data everywhere; True when there was some."""
    if not may_manage(actor):
        raise PermissionDenied(
            "Cần quyền quản trị dữ liệu sinh trắc học. / The biometric permission is needed."
        )
    enrollment = model("Enrollment").objects.select_related("person").filter(person_id=person_id).first()
    if enrollment is None:
        return False
    with transaction.atomic():
        person = enrollment.person
        for row in enrollment.encodings.all():
            if row.photo:
                row.photo.delete(save=False)
        enrollment._audited = True  # the deletion signal would log it a second time
        enrollment.delete()
        audit(actor, person, "delete", via)
        faces_changed()
    return True


# --- check-in ------------------------------------------------------------------------------------


@dataclass
class CheckInResult:
    recognised: bool
    distance: float | None
    person_id: int | None = None
    name: str = ""
    kind: str = ""
    late: bool = False
    minutes_late: int = 0
    recorded: bool = False
    at: dt.datetime | None = None
    greeting: str = ""
    tasks: list[dict[str, Any]] = field(default_factory=list)


def kiosk_for_token(raw: str | None) -> Any | None:
    from modules.engine.tokens import hash_token

    if not raw:
        return None
    return (
        model("Kiosk")
        .objects.select_related("site")
        .filter(token_hash=hash_token(raw), is_active=True)
        .first()
    )


def allowed_people(site: Any) -> set[int]:
    """People of the site's units and of their sub-units."""
    from django.db.models import Q

    units = registry.model_for("org.Unit").objects
    paths = list(site.units.values_list("path", flat=True))
    if not paths:
        return set()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    unit_ids = units.filter(condition).values("pk")
    return set(
        registry.model_for("org.Person")
        .objects.filter(owner_unit_id__in=unit_ids)
        .values_list("pk", flat=True)
    )


def schedule_for(unit_id: int | None) -> tuple[dt.time, int]:
    row = model("WorkSchedule").objects.filter(unit_id=unit_id).first() if unit_id else None
    start = (row.start_time if row else DEFAULT_START) or DEFAULT_START
    hours, minutes = (int(x) for x in start.split(":"))
    return dt.time(hours, minutes), (
        row.grace_minutes if row and row.grace_minutes is not None else DEFAULT_GRACE
    )


def check_in(
    kiosk: Any, image: bytes, now: dt.datetime | None = None, timer: StageTimer = NO_TIMER
) -> CheckInResult:
    """Identify the face and record the check-in; each stage runs under `timer` (stages.py)."""
    now = now or timezone.now()
    face = faces.for_check_in(image, timer)
    if face is None:
        return CheckInResult(recognised=False, distance=None)
    with timer.stage("identify"):
        tolerance = float(kiosk.site.tolerance or DEFAULT_TOLERANCE)
        match = INDEX.current().identify(face.encoding, tolerance, allowed=allowed_people(kiosk.site))
    if match.owner is None:  # no one near enough (or no one enrolled: no distance at all)
        distance = round(match.distance, 3) if np.isfinite(match.distance) else None
        return CheckInResult(recognised=False, distance=distance)
    with timer.stage("write"):
        person, result = _record(kiosk, match, now)
    with timer.stage("answer"):
        from .reminder import greeting, tasks_for

        local = timezone.localtime(now)
        result.greeting = greeting(person, local)
        result.tasks = tasks_for(person.user, local.date())
    return result


def _record(kiosk: Any, match: Any, now: dt.datetime) -> tuple[Any, CheckInResult]:
    """The check-in row: in or out, late or not; nothing new within DEDUP_MINUTES of the last."""
    person = registry.model_for("org.Person").objects.select_related("user").get(pk=match.owner)
    result = CheckInResult(
        recognised=True, distance=round(match.distance, 3), person_id=person.pk, name=person.full_name
    )
    checks = model("CheckIn").objects.filter(person=person)
    local = timezone.localtime(now)
    recent_from = now - dt.timedelta(minutes=DEDUP_MINUTES)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        # one read answers both questions: a check in the last minutes? one earlier today?
        last = checks.select_for_update().filter(at__gte=min(recent_from, day_start)).order_by("-at").first()
        if last is not None and last.at >= recent_from:  # the same person twice in a few minutes
            result.kind, result.late, result.minutes_late, result.at = (
                last.kind,
                last.late,
                last.minutes_late,
                last.at,
            )
        else:
            today = last is not None and last.at >= day_start
            result.kind = "out" if today else "in"
            if result.kind == "in" and workdays.is_working_day(local.date()):
                start, grace = schedule_for(person.owner_unit_id)
                due = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
                late_by = int((local - due).total_seconds() // 60)
                result.late = late_by > grace
                result.minutes_late = late_by if result.late else 0
            model("CheckIn").objects.create(
                person=person,
                kiosk=kiosk,
                at=now,
                kind=result.kind,
                late=result.late,
                minutes_late=result.minutes_late,
                distance=result.distance,
                owner_unit_id=person.owner_unit_id,
            )
            result.recorded, result.at = True, now
    return person, result
