"""No database query while a process-wide lock is held (issue 13's pool, a CI failure).

Under load, 64 requests on one Daphne got 500 after 30 s: threads holding pooled PostgreSQL
connections waited on the schema's rebuild lock, while the lock's holder waited for a
connection to read the custom-field definitions. Every process-wide lock that requests
queue on must therefore be held only for work that needs no connection. These tests
watch each query the calling thread makes and fail if one runs while such a lock is held.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from modules.attendance import services as attendance
from modules.engine.custom_models import CustomField

pytestmark = pytest.mark.django_db


@contextmanager
def queries_under(lock: threading.Lock) -> Iterator[list[tuple[str, bool]]]:
    """Record (sql, whether `lock` was held) for each query this thread runs."""
    seen: list[tuple[str, bool]] = []

    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, lock.locked()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield seen


def test_the_schema_rebuild_reads_definitions_before_taking_its_lock():
    from schema import runtime

    runtime.current_schema()
    CustomField.objects.create(  # the version moves: the next request rebuilds
        entity="sample.SampleProject", code="von_doi_ung", label_vi="Vốn đối ứng", label_en="Matching funds",
        type="money",
    )
    with queries_under(runtime._lock) as seen:
        served = runtime.current_schema()
    assert "vonDoiUng" in str(served), "the rebuild did not happen, so the test proves nothing"
    assert seen, "the definitions were read"
    assert [sql for sql, locked in seen if locked] == []


def test_the_face_index_loads_before_taking_its_lock():
    index = attendance.INDEX
    index._built_at = "stale"  # as after an enrolment elsewhere: the next check-in reloads
    with queries_under(index._lock) as seen:
        index.current()
    assert seen, "the vectors were read"
    assert [sql for sql, locked in seen if locked] == []
