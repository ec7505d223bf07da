"""Custom fields: the definition's optimistic `version`, and on PostgreSQL the IMMUTABLE
casts the expression indexes of date and date-time fields need (engine/custom_query.py)."""

from django.db import migrations, models

FUNCTIONS = """
CREATE OR REPLACE FUNCTION onemst_cf_date(value text) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT value::date $$;
CREATE OR REPLACE FUNCTION onemst_cf_timestamptz(value text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT value::timestamptz $$;
"""
DROP = "DROP FUNCTION IF EXISTS onemst_cf_date(text); DROP FUNCTION IF EXISTS onemst_cf_timestamptz(text);"


def create_functions(apps, schema_editor):
    # Values are ISO dates and ISO date-times with an explicit offset (custom_values.normalise):
    # DateStyle and TimeZone cannot change how they parse, so the casts are truly immutable.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("engine", "0004_custom_fields")]

    operations = [
        migrations.AddField(
            model_name="customfield",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                help_text="Tăng mỗi lần lưu: hai người sửa cùng lúc không ghi đè nhau.",
                verbose_name="Phiên bản",
            ),
        ),
        migrations.AddField(
            model_name="historicalcustomfield",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                help_text="Tăng mỗi lần lưu: hai người sửa cùng lúc không ghi đè nhau.",
                verbose_name="Phiên bản",
            ),
        ),
        migrations.RunPython(create_functions, drop_functions),
    ]
