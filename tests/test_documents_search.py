"""Full-text search over documents (`modules/engine/fulltext.py`), the same tests on SQLite
(FTS5) and PostgreSQL (tsvector): insensitive to Vietnamese diacritics and case ("quyet
dinh" finds "Quyết định", "đ" included), over subject, metadata and recognised text,
ranked, and inside the caller's scope.
"""

from __future__ import annotations

import pytest
from django.db import connection

from modules.documents.search import search_documents
from modules.engine import access, fulltext, registry, search
from tests.documents_helpers import incoming_entity, register

pytestmark = pytest.mark.django_db


def subjects(rows) -> list[str]:
    return [r.subject for r in rows]


@pytest.fixture
def corpus(org, legal_days):
    register(
        org.office_clerk,
        subject="Quyết định phê duyệt nhiệm vụ khoa học",
        number_symbol="1/QĐ-A",
        issuer_name="Văn phòng Chính phủ",
    )
    register(
        org.office_clerk,
        subject="Công văn góp ý dự thảo",
        number_symbol="2/BTC-HCSN",
        issuer_name="Bộ Tài chính",
        signer="Đỗ Đức Dũng",
    )
    register(
        org.officer_a,
        subject="Báo cáo tình hình đổi mới sáng tạo",
        number_symbol="3/BC-SKHCN",
        issuer_name="UBND thành phố Hà Nội",
    )
    return org


def test_words_without_marks_or_case_find_the_marked_text(corpus):
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    assert subjects(fulltext.ranked(everyone, "quyet dinh")) == ["Quyết định phê duyệt nhiệm vụ khoa học"]
    assert subjects(fulltext.ranked(everyone, "QUYẾT ĐỊNH")) == ["Quyết định phê duyệt nhiệm vụ khoa học"]
    # đ is a letter of its own, folded to d on both databases
    assert subjects(fulltext.ranked(everyone, "do duc dung")) == ["Công văn góp ý dự thảo"]
    assert subjects(fulltext.ranked(everyone, "doi moi")) == ["Báo cáo tình hình đổi mới sáng tạo"]


def test_metadata_and_the_last_word_as_a_prefix(corpus):
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    assert subjects(fulltext.ranked(everyone, "bo tai chinh")) == ["Công văn góp ý dự thảo"]
    assert subjects(fulltext.ranked(everyone, "hcsn")) == ["Công văn góp ý dự thảo"]
    assert subjects(fulltext.ranked(everyone, "sang ta")) == ["Báo cáo tình hình đổi mới sáng tạo"]
    assert subjects(fulltext.ranked(everyone, "khong co dau vet")) == []
    assert subjects(fulltext.ranked(everyone, "\"' * OR -")) == []  # no query syntax gets through


def test_recognised_text_is_searched_and_more_mentions_rank_first(corpus):
    model = registry.model_for("documents.IncomingDocument")
    once = register(corpus.office_clerk, subject="Thông báo lịch họp", number_symbol="9/TB-X")
    often = register(corpus.office_clerk, subject="Thông báo kết luận", number_symbol="10/TB-X")
    for doc, text in (
        (once, "cuộc họp bàn về ngân sách " + "nội dung khác " * 20),
        (often, "ngân sách " * 5),
    ):
        doc.ocr_text = text
        doc.save()  # the folded column and the index follow every save
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    assert subjects(fulltext.ranked(everyone, "ngan sach")) == ["Thông báo kết luận", "Thông báo lịch họp"]
    assert model.objects.count() == 5


def test_search_stays_inside_the_callers_scope(corpus):
    assert subjects(search_documents(corpus.officer_b, "doi moi")) == []
    assert subjects(search_documents(corpus.officer_a, "doi moi")) == ["Báo cáo tình hình đổi mới sáng tạo"]


@pytest.fixture
def many(org, legal_days):
    """Twelve documents sharing their words, in two units, some with the same text (ties)."""
    for n in range(12):
        user = org.office_clerk if n % 3 else org.officer_a
        register(
            user,
            subject=f"Báo cáo ngân sách khoa học đợt {n}",
            number_symbol=f"{n + 1}/BC-X",
        )
        if n % 4 == 0:  # a few mention the words more often: they rank first
            doc = registry.model_for("documents.IncomingDocument").objects.order_by("-id").first()
            doc.ocr_text = "ngân sách khoa học " * (n + 1)
            doc.save()
    return org


def test_the_best_few_are_the_ranked_join_row_for_row(many):
    """With no more matches than the window, `top` (the index ranks alone, the scope reads the
    ids, the few kept rows are fetched) answers what the ranked join does, for a caller who sees
    everything, one who sees a third, and one who sees none."""
    entity = incoming_entity()
    for user in (many.leader, many.officer_a, many.officer_b):
        scoped = access.scoped_queryset(user, entity)
        for text in ("ngan sach khoa", "bao cao", "dot 1"):
            for limit in (1, 3, 5, 50):
                expected = [d.pk for d in fulltext.ranked(scoped, text)[:limit]]
                assert [d.pk for d in fulltext.top(scoped, text, limit)] == expected
    assert len(fulltext.top(access.scoped_queryset(many.officer_a, entity), "bao cao", 50)) == 4
    assert fulltext.top(access.scoped_queryset(many.officer_b, entity), "bao cao", 5) == []


def test_a_broad_query_is_ranked_among_its_newest_matches(org, legal_days, monkeypatch):
    """The rule (engine/fulltext.py): the newest WINDOW matches are ranked; a caller who may see
    fewer than asked of them gets a window eight times wider."""

    def doc(user, n: int, mentions: int) -> int:
        made = register(user, subject=f"Báo cáo ngân sách đợt {n}", number_symbol=f"{n}/BC-X")
        made.ocr_text = "ngân sách " * mentions
        made.save()
        return made.pk

    d1 = doc(org.officer_a, 1, 6)  # the oldest, and the best ranked of all
    d2 = doc(org.officer_a, 2, 0)
    d3 = doc(org.office_clerk, 3, 2)
    d4 = doc(org.office_clerk, 4, 0)
    d5 = doc(org.office_clerk, 5, 0)  # d4 and d5 tie: the newer first
    everyone = access.scoped_queryset(org.leader, incoming_entity())
    province = access.scoped_queryset(org.officer_a, incoming_entity())
    # more mentions first, ties the newest first
    assert [d.pk for d in fulltext.ranked(everyone, "ngan sach")] == [d1, d3, d5, d4, d2]
    assert [d.pk for d in fulltext.top(everyone, "ngan sach", 2)] == [d1, d3]  # 5 matches: all ranked
    monkeypatch.setattr(fulltext, "WINDOW", 3)
    assert [d.pk for d in fulltext.top(everyone, "ngan sach", 2)] == [d3, d5]  # d5, d4, d3 ranked
    # officer A sees none of the newest three: the window widens to 24, the whole register
    assert [d.pk for d in fulltext.top(province, "ngan sach", 2)] == [d1, d2]


def test_past_the_widest_window_the_ranked_join_answers(many, monkeypatch):
    monkeypatch.setattr(fulltext, "MAX_WINDOW", 2)
    scoped = access.scoped_queryset(many.officer_a, incoming_entity())
    expected = [d.pk for d in fulltext.ranked(scoped, "bao cao")[:3]]
    assert [d.pk for d in fulltext.top(scoped, "bao cao", 3)] == expected and len(expected) == 3


def test_the_secret_register_is_searched_only_by_its_grant_holders(org, legal_days):
    register(org.office_clerk, secret=True, subject="Kế hoạch bảo vệ bí mật nhà nước", number_symbol="7/KH-A")
    for outsider in (org.leader, org.officer_b, org.head_a, org.specialist):
        assert search_documents(outsider, "bao ve bi mat", "secret") == []
    assert subjects(search_documents(org.office_clerk, "bao ve bi mat", "secret")) == [
        "Kế hoạch bảo vệ bí mật nhà nước"
    ]


def _plan(sql: str, params: list) -> str:
    """The database's plan for `sql`, as text (EXPLAIN VERBOSE on PostgreSQL with sequential and
    plain index scans priced out, so a usable GIN index must show; EXPLAIN QUERY PLAN on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN (VERBOSE) {sql}", params)
            lines = [row[0] for row in cursor.fetchall()]
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            lines = [str(row[-1]) for row in cursor.fetchall()]
    return "\n".join(lines)


def test_the_full_text_index_drives_the_match_and_the_rank_reads_a_stored_vector(corpus):
    """PostgreSQL: the match is answered by the GIN index on the stored `search_vector`, and
    neither the match nor `ts_rank` re-tokenises a row's text (no `to_tsvector` in the plan:
    the 2.5 s of issue 17). SQLite: the FTS5 table's own index answers the match."""
    table = registry.model_for("documents.IncomingDocument")._meta.db_table
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    sql, params = fulltext.ranked(everyone, "quyet dinh").query.sql_with_params()
    condition, floor_params = fulltext._match(connection, table, ["quyet", "dinh"])  # top()'s walk
    source = f'rowid FROM "{table}_fts"' if connection.vendor == "sqlite" else f'id FROM "{table}"'
    plans = [_plan(sql, list(params)), _plan(f"SELECT {source} WHERE {condition}", floor_params)]
    for plan in plans:
        if connection.vendor == "postgresql":
            assert f"Bitmap Index Scan on {table}_fts" in plan, plan
            assert "to_tsvector" not in plan and "Seq Scan" not in plan, plan
        else:
            assert f"{table}_fts VIRTUAL TABLE INDEX" in plan, plan


def test_bulk_writes_keep_the_index_in_step(corpus):
    """Rows written around the one write path (a bulk insert, a queryset update of the folded
    text, as imports and backfills do) are found by their new words and no longer by the old."""
    model = registry.model_for("documents.IncomingDocument")
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    copy = model.objects.get(number_symbol="1/QĐ-A")
    copy.pk = copy.id = None
    copy.arrival_number = 900
    copy.number_symbol = "900/QĐ-A"
    copy.search_text = search.fold("Hồ sơ nhập hàng loạt số chín trăm")
    (made,) = model.objects.bulk_create([copy])
    assert [d.pk for d in fulltext.ranked(everyone, "hang loat chin")] == [made.pk]
    model.objects.filter(pk=made.pk).update(search_text=search.fold("Đã sửa: kiểm định bức xạ"))
    assert [d.pk for d in fulltext.ranked(everyone, "kiem dinh buc xa")] == [made.pk]
    assert list(fulltext.ranked(everyone, "hang loat chin")) == []
    assert [d.pk for d in fulltext.top(everyone, "buc xa", 5)] == [made.pk]


def test_a_database_indexed_on_the_expression_is_upgraded_to_the_stored_vector(corpus):
    """PostgreSQL databases migrated before the vector was stored had a GIN index on the
    expression: the upgrade step (`StoreFullTextVector`, migration 0003) replaces it, keeps the
    rows found, and running it twice changes nothing. On SQLite the step does nothing."""
    table = registry.model_for("documents.IncomingDocument")._meta.db_table
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's rows: no ALTER with checks pending
            for sql in fulltext._postgres_drop(table):
                cursor.execute(sql)
            words_sql = fulltext._pg_words('"search_text"')
            cursor.execute(
                f'CREATE INDEX "{table}_fts" ON "{table}" USING gin (to_tsvector(\'simple\'::regconfig, {words_sql}))'
            )
        step, editor = fulltext.StoreFullTextVector("IncomingDocument"), _Editor()
        for _ in range(2):
            step.database_forwards("documents", editor, None, _State())
        assert bool(editor.statements) == (connection.vendor == "postgresql")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                [table, fulltext.VECTOR],
            )
            assert cursor.fetchone() == ("ALWAYS",)
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table}_fts"])
            (definition,) = cursor.fetchone()
            assert "to_tsvector" not in definition and fulltext.VECTOR in definition
    assert subjects(fulltext.ranked(everyone, "quyet dinh")) == ["Quyết định phê duyệt nhiệm vụ khoa học"]


def test_every_prefix_of_a_syllable_finds_it_and_the_prefix_index_is_made_again(corpus):
    """The query's last word is a prefix of every length a syllable has (SQLite answers lengths
    2-7 from FTS5's prefix index, `fulltext.PREFIXES`); the upgrade step (`IndexFullTextPrefixes`,
    migration 0004) makes a SQLite table that lacked the index again, keeping the rows found, and
    the ranking is the same before and after. On PostgreSQL the step does nothing."""
    register(corpus.office_clerk, subject="Hợp đồng chuyển giao công nghệ nghiêng", number_symbol="7/HĐ-A")
    register(corpus.office_clerk, subject="Công nghệ thông tin, công nghệ số", number_symbol="8/TB-A")
    everyone = access.scoped_queryset(corpus.leader, incoming_entity())
    word = "nghieng"
    for length in range(1, len(word) + 1):
        assert subjects(fulltext.ranked(everyone, f"giao {word[:length]}")) == [
            "Hợp đồng chuyển giao công nghệ nghiêng"
        ], word[:length]
    table = registry.model_for("documents.IncomingDocument")._meta.db_table
    ranked_before = [d.pk for d in fulltext.ranked(everyone, "cong ngh")]
    assert len(ranked_before) >= 2
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # the table as migration 0002 made it, before the prefixes
            for sql in [*fulltext._sqlite_drop(table), *fulltext._sqlite_create(table, "")]:
                cursor.execute(sql)
        step, editor = fulltext.IndexFullTextPrefixes("IncomingDocument"), _Editor()
        for _ in range(2):
            step.database_forwards("documents", editor, None, _State())
        assert bool(editor.statements) == (connection.vendor == "sqlite")
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [f"{table}_fts"])
            assert f"prefix='{fulltext.PREFIXES}'" in cursor.fetchone()[0]
    assert [d.pk for d in fulltext.ranked(everyone, "cong ngh")] == ranked_before
    assert [d.pk for d in fulltext.top(everyone, "cong ngh", 5)] == ranked_before


class _State:
    """The little of a migration state `AddFullTextIndex` reads: the model, for its table."""

    class apps:  # the attribute Django's state has
        @staticmethod
        def get_model(app_label: str, name: str) -> object:
            return registry.model_for(f"{app_label}.{name}")


class _Editor:
    """The little of a schema editor the step uses, on the test's own transaction (SQLite's editor
    refuses to open inside one): the connection, and `execute`, which runs and records."""

    connection = connection

    def __init__(self) -> None:
        self.statements: list[str] = []

    def execute(self, sql: str) -> None:
        self.statements.append(sql)
        with connection.cursor() as cursor:
            cursor.execute(sql)
