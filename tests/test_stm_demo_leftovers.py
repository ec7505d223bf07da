"""The demo of part 1's last rules (issue 18) runs through the real write path on a small pool
like the one part 1's demo leaves, shows each rule's outcome, and adds nothing when run again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from modules.engine import registry, services
from modules.engine.errors import NotFound
from modules.stm import demo_leftovers
from tests.conftest import make_user
from tests.stm_helpers import add_pi, applicant, make_expert, register_org

pytestmark = pytest.mark.django_db


class Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)


def M(name: str):
    return registry.model_for(f"stm.{name}")


def test_the_demo_shows_each_rule_and_is_idempotent(org, legal_days):
    officer = make_user("stm79_1", org.province_b, ("provincial_officer",))  # Bình Dương's officer
    for i in range(5):
        user = applicant(f"tochuc{i + 1:02}")
        add_pi(user, register_org(user, f"Viện Demo {i + 1}"), f"Trần Văn {i + 1}")
    for i in range(5):
        make_expert(officer, f"Chuyên gia {i + 1}")
    out = Out()
    demo_leftovers.seed(out)
    assert "nothing added" not in out.lines[-1]
    # the ranking: three of four reach 70, the two best approved, the rest rejected
    proposals = M("TaskProposal").objects.filter(call__title__contains="xếp hạng")
    assert sorted((p.rank or 99, p.state) for p in proposals) == [
        (1, "approved"),
        (2, "approved"),
        (3, "rejected"),
        (99, "rejected"),  # below 70: no rank
    ]
    # the paper dossier: in time by its postmark, recorded two days later by the clerk
    paper = M("SelectionDossier").objects.get(channel="paper")
    assert paper.number and paper.received_at < paper.recorded_at and paper.recorded_by == officer
    # the winner missed its revision: cancelled the day after its 20th day, notice recorded in time
    cancelled = M("SelectionDossier").objects.get(state="cancelled")
    selected = cancelled.history.filter(state="selected").order_by("history_date").first()
    assert cancelled.cancelled_on == selected.step_due + dt.timedelta(days=1)
    assert "B2-8-GTHĐ" in cancelled.cancellation_reason
    assert cancelled.cancelled_on < cancelled.cancellation_notified_on <= cancelled.cancellation_notice_due
    # the secret task: filed, seen by its grantees only
    task = M("SecretTask").objects.get()
    assert task.state == "filed"
    entity = registry.entity_by_label("stm.SecretTask")
    with pytest.raises(NotFound):  # an officer of the same Department, not granted
        services.fetch_for(entity, org.officer_b, task.pk, "view")
    head = User.objects.get(username="stm79_gd")  # the Department's head, named reader
    for user in (officer, head):
        assert services.fetch_for(entity, user, task.pk, "view").pk == task.pk
    counts = {name: M(name).objects.count() for name in ("TaskProposal", "SelectionDossier", "SecretTask")}
    demo_leftovers.seed(Out())
    assert {name: M(name).objects.count() for name in counts} == counts
