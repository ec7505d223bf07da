"""Full-text search over documents (`modules/engine/fulltext.py`), the same tests on SQLite
(FTS5) and PostgreSQL (tsvector): insensitive to Vietnamese diacritics and case ("quyet
dinh" finds "Quyết định", "đ" included), over subject, metadata and recognised text,
ranked, and inside the caller's scope.
"""

from __future__ import annotations

import pytest

from modules.documents.search import search_documents
from modules.engine import access, fulltext, registry
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
