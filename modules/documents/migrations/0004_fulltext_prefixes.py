"""SQLite: the registers' FTS5 tables made again with a prefix index (`engine/fulltext.py`,
`PREFIXES`), so the query's last word, matched as a prefix, reads one doclist."""

from django.db import migrations

from modules.engine.fulltext import IndexFullTextPrefixes


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_fulltext_vector")]

    operations = [
        IndexFullTextPrefixes("IncomingDocument"),
        IndexFullTextPrefixes("SecretIncomingDocument"),
        IndexFullTextPrefixes("OutgoingDocument"),
    ]
