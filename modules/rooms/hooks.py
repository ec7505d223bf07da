"""The meeting-room rules the engine does not know: capacity, inactive rooms, instant
confirmation, and a series expanded into its bookings."""

from __future__ import annotations

from typing import Any

from modules.engine import recurrence, registry, services
from modules.engine.errors import FieldProblem, InvalidInput
from modules.engine.timeranges import describe


def validate_booking(instance: Any, user: Any) -> dict[str, list[str]]:
    """A booking names an open room big enough for its attendees."""
    errors: dict[str, list[str]] = {}
    room = instance.room if instance.room_id else None
    if room is not None and not room.is_active:
        errors["room"] = ["Phòng họp đang ngừng sử dụng. / The room is out of use."]
    if room is not None and instance.attendees and instance.attendees > room.capacity:
        errors["attendees"] = [
            f"Phòng chỉ đủ chỗ cho {room.capacity} người. / The room seats {room.capacity} people."
        ]
    if instance.attendees is not None and instance.attendees < 1:
        errors["attendees"] = ["Số người phải từ 1 trở lên. / At least one attendee."]
    return errors


def confirm_at_once(instance: Any, user: Any, created: bool) -> None:
    """A room that needs no approval is confirmed when booked (a setting per room)."""
    if created and instance.state == "pending" and not instance.room.needs_approval:
        instance.state = "confirmed"


def validate_series(instance: Any, user: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if instance.first_start and instance.first_end and instance.first_end <= instance.first_start:
        errors["first_end"] = ["Giờ kết thúc phải sau giờ bắt đầu. / The end must be after the start."]
    if instance.until and instance.first_start and instance.until < instance.first_start.date():
        errors["until"] = ["Ngày kết thúc chuỗi trước buổi đầu tiên. / The series ends before it starts."]
    return errors


def expand_series(instance: Any, user: Any, created: bool) -> None:
    """On creation, one booking per occurrence (days off skipped), each through the write path:
    one occurrence that collides refuses the whole series, naming its date and the booking."""
    if not created:
        return
    starts = recurrence.occurrences(instance.rrule, instance.first_start, instance.until)
    if not starts:
        raise InvalidInput(
            [FieldProblem("rrule", "EMPTY", "Chuỗi lặp không có buổi nào. / The series has no occurrence.")]
        )
    duration = instance.first_end - instance.first_start
    booking = registry.entity_by_label("rooms.RoomBooking")
    problems: list[FieldProblem] = []
    for start in starts:
        values = {
            "room": instance.room_id,
            "title": instance.title,
            "starts_at": start,
            "ends_at": start + duration,
            "attendees": instance.attendees,
            "owner_unit": instance.owner_unit_id,
        }
        try:
            record = services.create_record(booking, user, values)
        except InvalidInput as exc:
            problems.extend(
                FieldProblem("rrule", p.code, f"{describe(start, start + duration)}: {p.message}")
                for p in exc.problems
            )
            continue
        type(record)._default_manager.filter(pk=record.pk).update(series=instance)
    if problems:
        raise InvalidInput(problems)
