# Written for issue 12.5 (only the search column; the app's older drift is not ours to fold in)

from django.db import migrations, models

from modules.engine.search import backfill


class Migration(migrations.Migration):

    dependencies = [
        ("sample", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sampleproject",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="Nội dung tìm kiếm"),
        ),
        # existing rows get their folded text (diacritic-blind search, issue 12.5)
        migrations.RunPython(backfill("sample.sampleproject"), migrations.RunPython.noop),
    ]
