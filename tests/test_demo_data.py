"""The whole demo (`manage.py seed_demo`): every module alive on first run, and a second run adds nothing."""

from __future__ import annotations

from importlib.util import find_spec
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from modules.engine import registry


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", size="small", stdout=out)
    return out.getvalue()


def totals() -> dict[str, int]:
    labels = (
        "tasks.Task",
        "reporting.Regime",
        "reporting.ReportPeriod",
        "reporting.Submission",
        "onestop.Dossier",
        "petitions.Petition",
        "attendance.CheckIn",
    )
    return {label: registry.model_for(label).objects.count() for label in labels}


@pytest.mark.django_db
def test_the_demo_fills_every_module_in_every_status_once(legal_days: Any, capfd: Any) -> None:
    """Every seeder at its small size (`seed_demo --size small`): the office modules' and the
    documents' quick and full sizes (a year of bookings, trips, weeks; 600 documents with OCR
    scans) are checked by tests/test_office_demo.py and tests/test_documents_demo.py."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"):
        output = seed()  # as `make run` seeds: with the console mail backend of development
    printed = capfd.readouterr().out
    assert "Content-Type:" not in printed, "the demo's notices must not be printed over its addresses"
    first = totals()
    seed()
    assert totals() == first, "a second run must add nothing"
    _says_what_it_does_and_where_to_go(output)

    assert first["tasks.Task"] == 300
    # reporting: two regimes, a year of past periods plus the current one, 34 provinces each
    assert first["reporting.Regime"] == 2
    assert first["reporting.ReportPeriod"] == (12 + 1) + (4 + 1)
    assert first["reporting.Submission"] == 34 * first["reporting.ReportPeriod"]
    submissions = registry.model_for("reporting.Submission").objects
    states = set(submissions.values_list("state", flat=True))
    assert {"draft", "submitted", "returned", "accepted"} <= states
    assert {"on_time", "late", "missing"} <= set(submissions.values_list("timeliness", flat=True))

    dossiers = registry.model_for("onestop.Dossier").objects
    assert 480 <= first["onestop.Dossier"] <= 520
    by_state = {row["state"]: row["n"] for row in dossiers.values("state").annotate(n=Count("id"))}
    every_status = {
        "refused",
        "processing",
        "supplement",
        "payment",
        "withdrawn",
        "stopped",
        "processed",
        "returned",
    }
    assert every_status <= set(by_state), by_state
    classes = set(dossiers.values_list("classification", flat=True))
    assert {"in_progress_on_time", "done_on_time", "done_late", "withdrawn", "waiting_supplement"} <= classes
    # replayed at their own times: timelines in order from the day of receipt, tracking sheets
    # with every verdict, and history as old as the steps it records
    verdicts = set()
    for dossier in dossiers.prefetch_related("timeline", "handovers").order_by("pk")[:200]:
        times = [entry.at for entry in sorted(dossier.timeline.all(), key=lambda e: e.position)]
        assert times == sorted(times) and timezone.localtime(times[0]).date() == dossier.receipt_date
        verdicts |= {h.verdict for h in dossier.handovers.all() if h.verdict}
        steps = dossier.history.exclude(history_change_reason="calendar")  # today's overdue refresh
        assert steps.order_by("-history_date").first().history_date <= times[-1]
    assert verdicts == {"early", "on_time", "late"}
    # codes run with the days of receipt (acceptance); one refused at intake has none
    by_code = list(dossiers.exclude(number="").order_by("receipt_date", "seq").values_list("received_at"))
    assert by_code == sorted(by_code)
    filed = list(
        registry.model_for("petitions.Petition").objects.order_by("number").values_list("created_at")
    )
    assert filed == sorted(filed)
    petitions = registry.model_for("petitions.Petition").objects
    assert first["petitions.Petition"] == 50
    assert {"received", "not_accepted", "forwarded", "handling", "answered", "published"} == set(
        petitions.values_list("state", flat=True)
    )
    checks = registry.model_for("attendance.CheckIn").objects.filter(kind="in")
    assert first["attendance.CheckIn"] > 1000 and checks.filter(late=True).exists()
    assert not registry.model_for("attendance.Enrollment").objects.exists()  # faces need consent
    codes = list(dossiers.exclude(number="").values_list("number", flat=True))
    assert len(codes) == len(set(codes)) and all(code.startswith("000.00.00.G09-") for code in codes)
    # a code is given on receipt: only a dossier refused at intake (never received) has none
    assert set(dossiers.filter(number="").values_list("state", flat=True)) <= {"refused"}


def _says_what_it_does_and_where_to_go(output: str) -> None:
    """A first run names each module as it seeds it, then ends with every address (issue 12.10)."""
    from django.conf import settings

    seeded = [
        m for m in registry.modules() if m.label != "org" and f"modules.{m.label}" in settings.INSTALLED_APPS
    ]
    with_demo = [line for line in output.splitlines() if line.startswith("[") and "Demo data:" in line]
    total = sum(1 for m in seeded if find_spec(f"modules.{m.label}.demo"))
    assert total >= 5 and len(with_demo) == total, (
        with_demo
    )  # tasks, reporting, one-stop, petitions, attendance
    assert with_demo[0].startswith(f"[1/{total}]") and with_demo[-1].startswith(f"[{total}/{total}]")
    assert sum(" done in " in line for line in output.splitlines()) == total
    for module in seeded:  # each module with demo data is named as it runs
        if find_spec(f"modules.{module.label}.demo"):
            assert any(module.name_en in line for line in with_demo), module.label
    summary = output[output.index("is served at") :]
    site = settings.SITE_URL.rstrip("/")
    for path in (
        "/admin/",
        "/graphql/",
        "/board/tasks/",
        "/board/reports/",
        "/board/dossiers/",
        "/tra-cuu/",
        "/kien-nghi/",
    ):
        assert f"{site}{path}" in summary, path
    # the logins come at the end too, after every module has run
    assert output.index("Demo logins") > output.index(with_demo[-1])
    assert "/admin/engine/apitoken/add/" in summary and "New kiosk token" in summary
