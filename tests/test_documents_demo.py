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


def test_seed_demo_full_asks_for_the_issues_year(monkeypatch):
    """Issue 17: "a year of about 2,000 incoming and 1,000 outgoing documents" under
    `seed_demo --full` (the engine's `size()`); `make run`'s quick default is smaller."""
    from modules.engine import demo as engine_demo

    monkeypatch.delenv("ONEMST_DEMO_DOCUMENTS", raising=False)
    with engine_demo.loading("full"):
        assert demo.sizes()[:2] == (2000, 1000)
    incoming, outgoing, _ = demo.sizes()
    assert incoming < 2000 and outgoing < 1000
    with engine_demo.loading("small"):
        assert demo.sizes()[2] >= 1, "the small demo still reads one scan by OCR"
