"""Numbering (`modules/engine/numbering.py`): gap-free and unique under parallel writers.

SampleProject numbers itself `DA-{yyyy}-{seq:04}`. The counter row is locked
inside the inserting transaction, so concurrent creates queue on it, and a
rolled-back create gives its number back.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from modules.engine import registry, services
from modules.engine.numbering import next_number

THREADS = 8
PER_THREAD = 5
PATTERN = "DA-{yyyy}-{seq:04}"


def project_model() -> Any:
    return registry.model_for("sample.SampleProject")


def create(user: Any, title: str) -> Any:
    entity = registry.entity_by_label("sample.SampleProject")
    return services.create_record(entity, user, {"title": title, "priority": "normal"})


def this_year() -> int:
    return timezone.localtime().year


@pytest.mark.django_db(transaction=True)
def test_parallel_creates_are_gap_free_and_unique(org: Any) -> None:
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(PER_THREAD):
                record = create(org.officer_a, f"Dự án {index}-{n}")
                with lock:
                    numbers.append(record.number)
        except BaseException as exc:  # reported below, in the test's thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    assert not errors, errors

    total = THREADS * PER_THREAD
    expected = [f"DA-{this_year()}-{i:04d}" for i in range(1, total + 1)]
    assert sorted(numbers) == expected
    stored = sorted(project_model().objects.values_list("number", flat=True))
    assert stored == expected


@pytest.mark.django_db(transaction=True)
def test_rolled_back_create_gives_its_number_back(org: Any) -> None:
    year = this_year()
    assert create(org.officer_a, "Một").number == f"DA-{year}-0001"

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        doomed = create(org.officer_a, "Hai (bị huỷ)")
        assert doomed.number == f"DA-{year}-0002"
        raise Abort

    assert not project_model().objects.filter(title="Hai (bị huỷ)").exists()
    assert create(org.officer_a, "Ba").number == f"DA-{year}-0002"


@pytest.mark.django_db(transaction=True)
def test_a_new_year_starts_at_one(org: Any) -> None:
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    register = "sample.SampleProject"
    with transaction.atomic():
        assert next_number(register, PATTERN, when=datetime(2031, 12, 31, 23, 0, tzinfo=tz)) == "DA-2031-0001"
        assert (
            next_number(register, PATTERN, when=datetime(2031, 12, 31, 23, 59, tzinfo=tz)) == "DA-2031-0002"
        )
        assert next_number(register, PATTERN, when=datetime(2032, 1, 1, 0, 1, tzinfo=tz)) == "DA-2032-0001"
        assert next_number(register, PATTERN, when=datetime(2031, 6, 1, tzinfo=tz)) == "DA-2031-0003"
    # The year is the local (Vietnam) one: 2032-01-01 00:30 in Hà Nội is still 2031 in UTC.
    with transaction.atomic():
        utc_evening = datetime(2031, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
        assert next_number(register, PATTERN, when=utc_evening) == "DA-2032-0002"


@pytest.mark.django_db(transaction=True)
def test_next_number_refuses_to_run_outside_a_transaction() -> None:
    # Outside the saving transaction a number could be handed out and then lost.
    with pytest.raises(RuntimeError):
        next_number("sample.SampleProject", PATTERN)
