"""Ship a meeting reminder: the people of a booking hear of it one working day before."""

from django.db import migrations


def add_rule(apps, schema_editor):
    rule = apps.get_model("reminders", "ReminderRule")
    rule.objects.get_or_create(
        name="Nhắc lịch họp trước 1 ngày làm việc",
        defaults={
            "source": "rooms.RoomBooking",
            "trigger": "before",
            "days": 1,
            "recipient": "responsible",
            "key_only": False,
            "send_email": True,
            "active": True,
            "version": 1,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_office_initial"), ("reminders", "0003_custom_fields")]
    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
