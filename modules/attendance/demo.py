"""A site, a kiosk and schedules, and three months of check-ins for the Ministry's staff, with
lateness falling month by month (the Ministry cut lateness by 95% with face attendance).

No faces are enrolled: biometric data needs each person's consent. The kiosk's token is
printed once, like the API token. Deterministic and idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, services, workdays
from modules.engine.tokens import hash_token, new_token

DAYS = 90


def seed(out: Any) -> None:
    sites = registry.model_for("attendance.Site").objects
    if sites.exists():
        out.write("Demo attendance: present, nothing added.")
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    units = registry.model_for("org.Unit").objects
    ministry = units.filter(kind="ministry").first()
    if admin is None or ministry is None:
        out.write("Demo attendance: no organisation yet.")
        return
    raw = new_token()
    with transaction.atomic():
        site = services.create_record(
            registry.entity_by_label("attendance.Site"),
            admin,
            {"name": "Trụ sở Bộ — 113 Trần Duy Hưng, Hà Nội", "units": [ministry.pk], "tolerance": 0.5},
        )
        kiosk = services.create_record(
            registry.entity_by_label("attendance.Kiosk"), admin, {"site": site.pk, "name": "Sảnh tầng 1"}
        )
        type(kiosk).objects.filter(pk=kiosk.pk).update(token_hash=hash_token(raw), token_prefix=raw[:12])
        for unit in units.filter(kind="ministry_unit"):
            services.create_record(
                registry.entity_by_label("attendance.WorkSchedule"),
                admin,
                {"unit": unit.pk, "start_time": "08:00", "grace_minutes": 10},
            )
        count = _history(kiosk, units.filter(path__startswith=ministry.path))
    out.write(f"Demo attendance: 1 site, 1 kiosk, {count} check-ins over {DAYS} days.")
    site = settings.SITE_URL.rstrip("/")  # `make run` sets it from HOST and PORT
    out.write(f"Kiosk token (shown only this once): {raw}  → {site}/kiosk/?token={raw}")


def _history(kiosk: Any, units: Any) -> int:
    rng = random.Random(95)
    people = list(registry.model_for("org.Person").objects.filter(owner_unit__in=units))
    check_in = registry.model_for("attendance.CheckIn")
    today = workdays.today()
    rows = []
    for offset in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=offset)
        if not workdays.is_working_day(day):
            continue
        late_share = 0.20 * offset / DAYS + 0.01  # falls from about 20% to 1%
        for person in people:
            late = rng.random() < late_share
            minutes = rng.randint(12, 40) if late else rng.randint(-35, 8)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0))) + dt.timedelta(minutes=minutes)
            rows.append(
                check_in(
                    person=person,
                    kiosk=kiosk,
                    at=at,
                    kind="in",
                    late=late,
                    minutes_late=minutes if late else 0,
                    distance=round(rng.uniform(0.28, 0.45), 3),
                    owner_unit_id=person.owner_unit_id,
                )
            )
            leave = timezone.make_aware(dt.datetime.combine(day, dt.time(17, rng.randint(0, 45))))
            rows.append(
                check_in(
                    person=person,
                    kiosk=kiosk,
                    at=leave,
                    kind="out",
                    late=False,
                    minutes_late=0,
                    distance=round(rng.uniform(0.28, 0.45), 3),
                    owner_unit_id=person.owner_unit_id,
                )
            )
    check_in.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
