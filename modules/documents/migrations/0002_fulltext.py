"""Full-text indexes of the three registers (`modules/engine/fulltext.py`)."""

from django.db import migrations

from modules.engine.fulltext import AddFullTextIndex


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        AddFullTextIndex("IncomingDocument"),
        AddFullTextIndex("SecretIncomingDocument"),
        AddFullTextIndex("OutgoingDocument"),
    ]
