"""Ship the legal holidays and swapped days (modules/calendar/legal_days.py)."""

from django.db import migrations


def load_days(apps, schema_editor):
    from modules.calendar.legal_days import load

    load(apps.get_model("calendar", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]
    operations = [migrations.RunPython(load_days, migrations.RunPython.noop)]
