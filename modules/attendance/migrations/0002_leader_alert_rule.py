"""The leaders' alert: every working day, the head of a unit whose overdue tasks reach the threshold."""

from django.db import migrations


def add_rule(apps, schema_editor):
    rule = apps.get_model("reminders", "ReminderRule")
    rule.objects.get_or_create(
        name="Cảnh báo lãnh đạo: đơn vị có nhiều nhiệm vụ quá hạn",
        defaults={
            "source": "tasks.UnitOverdue",
            "trigger": "overdue_daily",
            "days": 0,
            "recipient": "unit_head",
            "key_only": False,
            "send_email": True,
            "active": True,
            "version": 1,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial"), ("reminders", "0001_initial")]
    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
