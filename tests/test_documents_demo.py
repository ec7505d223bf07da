"""The documents demo (`modules/documents/demo.py`) on a small size: every path it takes (a scan
read by OCR, directions with and without a deadline, assignment, finishing, release, recall)
runs through the real code at its own past time, and a second run adds nothing."""

from __future__ import annotations

import io

import pytest

from modules.documents import demo
from modules.engine import registry

pytestmark = pytest.mark.django_db


def test_a_small_demo_year_runs_and_is_idempotent(org, legal_days, monkeypatch):
    monkeypatch.setattr(demo, "sizes", lambda: (12, 6, 1))
    out = io.StringIO()
    demo.seed(out)
    incoming = registry.model_for("documents.IncomingDocument")
    outgoing = registry.model_for("documents.OutgoingDocument")
    assert incoming.objects.count() >= 12 and outgoing.objects.count() == 6
    assert incoming.objects.exclude(state="registered").exists()
    assert outgoing.objects.filter(state__in=("released", "recalled")).exclude(number_symbol="").exists()
    demo.seed(out)
    assert outgoing.objects.count() == 6
