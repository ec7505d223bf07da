"""Ship the usual reminder rules for periodic reports; administrators edit them in the admin."""

from django.db import migrations

RULES = (
    ("Báo cáo: nhắc trước hạn gửi 3 ngày làm việc", "before", 3, "responsible"),
    ("Báo cáo: nhắc đúng ngày hạn gửi", "on_day", 0, "responsible"),
    ("Báo cáo: nhắc hằng ngày khi quá hạn chưa gửi", "overdue_daily", 0, "responsible"),
    ("Báo cáo: báo Giám đốc Sở khi quá hạn 2 ngày", "after", 2, "unit_head"),
)


def add_rules(apps, schema_editor):
    rule = apps.get_model("reminders", "ReminderRule")
    for name, trigger, days, recipient in RULES:
        rule.objects.get_or_create(
            name=name,
            defaults={
                "source": "reporting.Submission",
                "trigger": trigger,
                "days": days,
                "recipient": recipient,
                "key_only": False,
                "send_email": True,
                "active": True,
                "version": 1,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("reminders", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
