"""PostgreSQL: the registers' full-text vector stored (a generated column) and indexed, in place
of the index on the expression 0002 made before (`modules/engine/fulltext.py`)."""

from django.db import migrations

from modules.engine.fulltext import StoreFullTextVector


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_fulltext")]

    operations = [
        StoreFullTextVector("IncomingDocument"),
        StoreFullTextVector("SecretIncomingDocument"),
        StoreFullTextVector("OutgoingDocument"),
    ]
