"""Ship the usual reminder rules for tasks; administrators edit them in the admin."""

from django.db import migrations

RULES = (
    ("Nhắc trước hạn 3 ngày làm việc", "before", 3, "responsible", False),
    ("Nhắc đúng ngày đến hạn", "on_day", 0, "responsible", False),
    ("Nhắc hằng ngày khi quá hạn", "overdue_daily", 0, "responsible", False),
    ("Báo lãnh đơn vị khi quá hạn 2 ngày", "after", 2, "unit_head", False),
    ("Báo lãnh đạo giao việc khi nhiệm vụ trọng tâm quá hạn", "after", 1, "assigning_leader", True),
)


def add_rules(apps, schema_editor):
    rule = apps.get_model("reminders", "ReminderRule")
    for name, trigger, days, recipient, key_only in RULES:
        rule.objects.get_or_create(
            name=name,
            defaults={
                "source": "tasks.Task",
                "trigger": trigger,
                "days": days,
                "recipient": recipient,
                "key_only": key_only,
                "send_email": True,
                "active": True,
                "version": 1,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial"), ("reminders", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
