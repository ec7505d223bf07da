"""Reminders: rules from the admin, exactly once per task, rule, occurrence and recipient."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core import mail

from modules.engine import jobs, registry, services, workdays
from modules.engine.errors import InvalidInput
from tests.graphql import run
from tests.live_server import ROOT, _database_env
from tests.tasks_helpers import make_task, today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_days")]

RULES = [
    {"name": "Trước hạn 3 ngày", "trigger": "before", "days": 3, "recipient": "responsible"},
    {"name": "Đúng hạn", "trigger": "on_day", "recipient": "responsible"},
    {"name": "Quá hạn hằng ngày", "trigger": "overdue_daily", "recipient": "responsible"},
    {
        "name": "Trọng tâm quá hạn",
        "trigger": "after",
        "days": 1,
        "recipient": "assigning_leader",
        "key_only": True,
    },
]


@pytest.fixture(autouse=True)
def only_the_rules_under_test(db):
    """The shipped default rules would add their own reminders; each test declares its own."""
    registry.model_for("reminders.ReminderRule").objects.all().delete()


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """Run the periodic jobs for a day, with the deliveries that follow each commit."""

    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return jobs.tick(day)

    return run


def make_rules(org, rules=RULES):
    entity = registry.entity_by_label("reminders.ReminderRule")
    return [services.create_record(entity, org.admin, {"source": "tasks.Task"} | rule) for rule in rules]


def inbox(user):
    return list(
        registry.model_for("reminders.Reminder")
        .objects.filter(recipient=user)
        .order_by("id")
        .values_list("rule__name", "occurrence")
    )


def with_email(org):
    for user in (org.officer_a, org.leader, org.head_a):
        user.email = f"{user.username}@example.org"
        user.save()


def test_a_task_is_reminded_before_on_and_after_its_deadline_once_each(org, tick):
    with_email(org)
    make_rules(org)
    task = make_task(org, deadline=workdays.add_working_days(today(), 5), is_key=True)
    deadline = task.deadline
    before = workdays.subtract_working_days(deadline, 3)
    tick(before)
    tick(before)  # a restart, a second run: nothing new
    tick(workdays.add_working_days(before, 1))  # still the same "3 days before" occurrence
    assert inbox(org.officer_a) == [("Trước hạn 3 ngày", before)]
    tick(deadline)
    overdue_1 = workdays.add_working_days(deadline, 1)
    tick(overdue_1)
    assert inbox(org.officer_a)[1:] == [("Đúng hạn", deadline), ("Quá hạn hằng ngày", overdue_1)]
    assert inbox(org.leader) == [("Trọng tâm quá hạn", overdue_1)]  # a key task, overdue: its leader
    assert len(mail.outbox) == 4
    assert mail.outbox[0].to == ["officer_a@example.org"] and task.number in mail.outbox[0].subject


def test_a_scheduler_down_for_days_catches_up_without_flooding(org, tick):
    make_rules(org)
    task = make_task(org, deadline=workdays.add_working_days(today(), 1))
    later = workdays.add_working_days(task.deadline, 4)  # the scheduler was down since before the deadline
    summary = tick(later)
    assert inbox(org.officer_a) == [("Quá hạn hằng ngày", later)]  # today's occurrence only
    assert str(summary["reminders"]) == "1 new, 0 already sent"


def test_nothing_is_sent_on_a_day_off(org, tick):
    make_rules(org)
    make_task(org, deadline=workdays.subtract_working_days(today(), 2))
    saturday = next(
        today() + dt.timedelta(days=i) for i in range(7) if (today() + dt.timedelta(days=i)).weekday() == 5
    )
    assert str(tick(saturday)["reminders"]) == "0 new, 0 already sent"
    # Quốc khánh, a public holiday (Labour Code Art. 112); 24/11 ships switched off (issue 14)
    assert str(tick(dt.date(2026, 9, 2))["reminders"]) == "0 new, 0 already sent"
    assert inbox(org.officer_a) == []
    tick(workdays.next_working_day(saturday))
    assert len(inbox(org.officer_a)) == 1


def test_rules_filter_by_priority_and_skip_closed_tasks(org, tick):
    make_rules(
        org,
        [
            {
                "name": "Khẩn quá hạn",
                "trigger": "overdue_daily",
                "recipient": "unit_head",
                "priority": "urgent",
            }
        ],
    )
    run_day = workdays.next_working_day(today())  # overdue reminders go out on working days only
    past = workdays.subtract_working_days(run_day, 2)
    make_task(org, deadline=past, priority="normal")
    urgent = make_task(org, deadline=past, priority="urgent")
    cancelled = make_task(org, deadline=past, priority="urgent")
    services.fire_transition(
        registry.entity_by_label("tasks.Task"), org.leader, cancelled.pk, "cancel", cancelled.version, "Thôi"
    )
    tick(run_day)
    rows = registry.model_for("reminders.Reminder").objects.all()
    assert [(r.object_id, r.recipient_id) for r in rows] == [(urgent.pk, org.head_a.pk)]


def test_an_unknown_source_is_refused_in_the_rule(org):
    with pytest.raises(InvalidInput) as exc:
        make_rules(
            org, [{"name": "X", "trigger": "on_day", "recipient": "responsible", "source": "nope.Thing"}]
        )
    assert exc.value.problems[0].field == "source"


def test_each_person_reads_only_their_own_inbox(org, tick):
    make_rules(org, [RULES[2]])
    run_day = workdays.next_working_day(today())  # overdue reminders go out on working days only
    make_task(org, deadline=workdays.subtract_working_days(run_day, 1))
    make_task(
        org,
        unit=org.province_b,
        assignee=org.officer_b.pk,
        deadline=workdays.subtract_working_days(run_day, 1),
    )
    tick(run_day)
    query = "{ myReminders { unreadCount totalCount results { id title read url } } }"
    mine = run(query, user=org.officer_a)["data"]["myReminders"]
    theirs = run(query, user=org.officer_b)["data"]["myReminders"]
    assert (mine["unreadCount"], theirs["unreadCount"]) == (1, 1)
    assert mine["results"][0]["id"] != theirs["results"][0]["id"]
    # marking someone else's reminder read does nothing
    steal = run(
        "mutation($ids:[ID!]) { markRemindersRead(ids: $ids) }",
        {"ids": [theirs["results"][0]["id"]]},
        user=org.officer_a,
    )
    assert steal["data"]["markRemindersRead"] == 0
    done = run("mutation { markRemindersRead }", user=org.officer_a)
    assert done["data"]["markRemindersRead"] == 1
    assert run(query, user=org.officer_a)["data"]["myReminders"]["unreadCount"] == 0
    assert run(query, user=org.officer_b)["data"]["myReminders"]["unreadCount"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_send_each_reminder_exactly_once(org, tmp_path, legal_days):
    with_email(org)
    make_rules(org)
    deadline = workdays.add_working_days(today(), 1)
    tasks = [make_task(org, deadline=deadline, is_key=True) for _ in range(12)]
    overdue = workdays.add_working_days(deadline, 1)
    env = {
        **os.environ,
        **_database_env(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    command = [sys.executable, "manage.py", "tick", "--today", overdue.isoformat()]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180)[0].decode() for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    rows = registry.model_for("reminders.Reminder").objects.all()
    # each task: the officer's "overdue daily" and the leader's "key task overdue"
    assert rows.count() == 2 * len(tasks)
    created = sum(
        int(line.split("reminders: ")[1].split(" new")[0])
        for o in outputs
        for line in o.splitlines()
        if line.startswith("reminders: ")
    )
    assert created == 2 * len(tasks)  # the two processes split the work; none was made twice
    messages = []
    for path in Path(tmp_path).iterdir():
        raw = path.read_bytes()
        messages += [message_from_bytes(part) for part in raw.split(b"-" * 79 + b"\n") if part.strip()]
    assert len(messages) == 2 * len(tasks)
    subjects = [m["Subject"] for m in messages]
    assert len(set(zip(subjects, [m["To"] for m in messages], strict=True))) == len(messages)
    # a third run, after a "restart", adds nothing
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert "reminders: 0 new" in again.stdout
    assert rows.count() == 2 * len(tasks)


@pytest.mark.django_db(transaction=True)
def test_the_job_library_runs_the_schedule(org, legal_days):
    """`make run` starts django-q2's cluster: its schedule flips statuses and sends reminders."""
    (rule,) = make_rules(org, [RULES[2]])
    task = make_task(org, deadline=workdays.subtract_working_days(today(), 1))
    model = registry.model_for("tasks.Task")
    model.objects.filter(pk=task.pk).update(status="on_track")  # as if the deadline passed overnight
    env = {**os.environ, **_database_env(), "DJANGO_SETTINGS_MODULE": "tests.settings", "LOG_LEVEL": "INFO"}
    subprocess.run([sys.executable, "manage.py", "sync_schedules"], cwd=ROOT, env=env, check=True)
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        import time

        deadline = time.monotonic() + 90  # django-q2 looks at its schedules every 30 s
        while time.monotonic() < deadline and model.objects.get(pk=task.pk).status != "overdue":
            time.sleep(1)
    finally:
        cluster.terminate()
        log = cluster.communicate(timeout=30)[0].decode()
    assert model.objects.get(pk=task.pk).status == "overdue", log
    assert "Processed 'modules.engine.jobs.tick'" in log
    reminders = registry.model_for("reminders.Reminder").objects.filter(object_id=task.pk, rule=rule).count()
    assert reminders == (1 if workdays.is_working_day(today()) else 0)


def test_the_inbox_page_lists_ones_own_reminders_and_marks_them_read(org, tick):
    from django.test import Client

    make_rules(org, [RULES[2]])
    mine = make_task(org, deadline=workdays.subtract_working_days(today(), 1))
    theirs = make_task(
        org,
        unit=org.province_b,
        assignee=org.officer_b.pk,
        deadline=workdays.subtract_working_days(today(), 1),
    )
    tick(today() if workdays.is_working_day(today()) else workdays.next_working_day(today()))
    client = Client()
    client.force_login(org.officer_a)
    page = client.get("/reminders/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert 'data-unread="1"' in page
    assert "Hộp nhắc việc (1)" in client.get("/admin/").content.decode()  # the sidebar's link and count
    other = registry.model_for("reminders.Reminder").objects.get(recipient=org.officer_b)
    client.post("/reminders/", {"id": [str(other.pk)]})  # someone else's: untouched
    other.refresh_from_db()
    assert other.read_at is None
    client.post("/reminders/", {})
    assert 'data-unread="0"' in client.get("/reminders/").content.decode()
    assert Client().get("/reminders/").status_code == 302  # signed-in users only
