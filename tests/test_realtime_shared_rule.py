"""Live rules shared by the subscriptions of one user (realtime/visibility.py).

5,000 sockets are a few dozen users: the hub judges an event once per compiled rule, so two
subscriptions may share a rule only when they would judge every event alike: same user,
same entity and action, same permission generation.
"""

from __future__ import annotations

import pytest

from modules.engine import registry
from modules.engine.authcache import invalidate
from realtime.hub import GENERATION
from realtime.visibility import LiveRule

pytestmark = pytest.mark.django_db


def built(user, label: str = "tasks.Task", action: str = "view") -> LiveRule:
    rule = LiveRule(user, registry.entity_by_label(label), action)
    rule.generation, rule.rule = rule._build()  # what `refresh` runs on the database thread
    return rule


def test_one_users_subscriptions_share_a_rule_and_others_do_not(org):
    first, second = built(org.officer_a), built(org.officer_a)
    other = built(org.officer_b)
    assert first.rule is second.rule
    assert other.rule is not first.rule
    assert built(org.officer_a, action="change").rule is not first.rule
    # Province A's row: A's officer may see it, B's may not, whichever socket judges it.
    row = {"id": -1, "owner_unit_id": org.province_a.pk, "created_by_id": None, "is_shared": False}
    row[GENERATION] = first.generation
    assert first.judge(row) and second.judge(row)
    assert not other.judge(row)


def test_a_moved_generation_builds_the_rule_again(org):
    before = built(org.officer_a)
    invalidate()
    after = built(org.officer_a)
    assert after.generation != before.generation
    assert after.rule is not before.rule
