"""API tokens left org for the engine (engine 0007): removed from org's state only; the
table `org_apitoken` stays, now the engine's.

The content type moves with the model, so the permissions on tokens that groups or people
were given, and the admin's log of token changes, follow it instead of pointing at a model
that no longer exists. On a new database no content type exists yet: nothing to move.
"""

from django.db import migrations


def relabel(apps, schema_editor, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=target, model="apitoken").exists():
        content_type.objects.filter(app_label=source, model="apitoken").update(app_label=target)


def to_engine(apps, schema_editor):
    relabel(apps, schema_editor, "org", "engine")


def to_org(apps, schema_editor):
    relabel(apps, schema_editor, "engine", "org")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0006_province_code_validity'),
        ('engine', '0007_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ApiToken')],
            database_operations=[],
        ),
        migrations.RunPython(to_engine, to_org),
    ]
