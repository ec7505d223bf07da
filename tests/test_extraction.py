"""Report extraction (modules/reporting/extraction): normalisation, numbers, the corpus, bad files.

No database: the extractor is pure Python. The corpus test builds twenty-eight realistic reports
(tests/reporting_corpus.py and, for issue 14's layouts, tests/reporting_corpus_layouts.py) and
scores every proposal against the truth; the issue-14 tests at the end check each class with
values written by hand.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from modules.reporting.extraction import (
    ExtractionError,
    ExtractionResult,
    IndicatorSpec,
    Proposal,
    convert_money,
    extract,
    money_scale,
    normalise_label,
    parse_number,
)
from modules.reporting.extraction.normalise import canonical_tokens
from modules.reporting.extraction.numbers import find_quantities
from tests.reporting_corpus import INDICATORS, Score, build_corpus, score_file

ROOT = Path(__file__).resolve().parent.parent


# --- label normalisation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số nhiệm vụ KH&CN cấp quốc gia", "so nhiem vu kh cn cap quoc gia"),
        ("SỐ NHIỆM VỤ  KH&CN   CẤP QUỐC GIA", "so nhiem vu kh cn cap quoc gia"),
        ("So nhiem vu KH-CN cap quoc gia", "so nhiem vu kh cn cap quoc gia"),
        ("Đơn vị tính: Đồng", "don vi tinh dong"),
        ("đ", "d"),
        ("Đ", "d"),
        ("Tỷ lệ giải ngân (%)", "ty le giai ngan"),
        ("  Kinh\u00a0phí\tđã\ngiải ngân. ", "kinh phi da giai ngan"),
        ("Ước thực hiện 6 tháng/2024", "uoc thuc hien 6 thang 2024"),
        # Decomposed (NFD) input, as some PDF producers emit it.
        ("Nghie\u0302\u0323m thu", "nghiem thu"),
        ("", ""),
    ],
)
def test_normalise_label(text: str, expected: str) -> None:
    assert normalise_label(text) == expected


def test_normalise_label_agrees_with_and_without_diacritics() -> None:
    spelled = [
        "Số đơn đăng ký sáng chế",
        "so don dang ky sang che",
        "SO DON DANG KY SANG CHE",
        "Số  đơn đăng kí sáng chế",  # kí/ký: normalise_label keeps them apart ...
    ]
    assert len({normalise_label(s) for s in spelled[:3]}) == 1
    assert normalise_label(spelled[3]) != normalise_label(spelled[0])
    # ... and canonical tokens (used for matching) bring them together.
    assert canonical_tokens(spelled[3]) == canonical_tokens(spelled[0])


@pytest.mark.parametrize(
    "variant",
    ["KH&CN", "KHCN", "KH và CN", "khoa học và công nghệ", "Khoa hoc cong nghe", "KH-CN"],
)
def test_abbreviations_share_canonical_tokens(variant: str) -> None:
    assert canonical_tokens(f"Số doanh nghiệp {variant}") == canonical_tokens("Số doanh nghiệp KH&CN")


def test_canonical_tokens_keep_words_that_collide_without_diacritics() -> None:
    # "cơ sở" (grassroots) must survive: "co" is also "có" (has), a would-be stopword.
    assert canonical_tokens("Số nhiệm vụ cấp cơ sở")[-3:] == ("cap", "co", "so")
    assert "dang" in canonical_tokens("Số đơn đăng ký")  # đăng ký, not đang (in progress)


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1 234", "1234"),
        ("1\u00a0234\u00a0567", "1234567"),
        ("1\u202f234,75", "1234.75"),
        ("12,5%", "12.5"),
        ("12.5 %", "12.5"),
        ("1,2 tỷ đồng", "1.2"),
        ("850 triệu", "850"),
        ("850tr", "850"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567", "1234567"),
        ("1.234", "1234"),  # Vietnamese thousands, the convention in these reports
        ("0,125", "0.125"),
        ("1234,567", "1234.567"),
        ("45 nhiệm vụ", "45"),
        ("-12", "-12"),
        ("−3,5", "-3.5"),
        ("007", "7"),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "-",
        "—",
        "N/A",
        "1.2.3",
        "1,2,3",
        "1..2",
        "12/2024",
        "15/5/2024",
        "2024-01-05",
        "12abc",
        "Năm 2024",
        "12 và 15",
        "1.23.456",
        "2 Số nhiệm vụ KH&CN cấp tỉnh đang thực hiện",
        "1. Số nhiệm vụ",
        "x",
    ],
)
def test_parse_number_rejects_garbage(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_in_prose_skip_dates_document_numbers_and_years() -> None:
    text = (
        "Thực hiện Công văn số 1234/BKHCN-KHTC ngày 15/5/2024, trong 6 tháng đầu năm 2024 Sở đã triển khai "
        "12 nhiệm vụ, giải ngân 1,2 tỷ đồng, đạt 85,5% kế hoạch; Quyết định số 15 ngày 2/3."
    )
    found = [(m.quantity.value, m.quantity.unit) for m in find_quantities(text)]
    assert found == [(Decimal(12), ""), (Decimal("1.2"), "ty dong"), (Decimal("85.5"), "%")]


@pytest.mark.parametrize(
    ("unit", "scale"),
    [
        ("đồng", 1),
        ("VNĐ", 1),
        ("nghìn đồng", 10**3),
        ("1.000 đồng", 10**3),
        ("triệu đồng", 10**6),
        ("Tr.đ", 10**6),
        ("trđ", 10**6),
        ("triệu", 10**6),
        ("tỷ đồng", 10**9),
        ("tỉ", 10**9),
    ],
)
def test_money_scale(unit: str, scale: int) -> None:
    assert money_scale(unit) == Decimal(scale)


@pytest.mark.parametrize("unit", ["%", "tỷ lệ", "nhiệm vụ", "người", "USD", "nghìn USD", ""])
def test_money_scale_is_none_for_other_units(unit: str) -> None:
    assert money_scale(unit) is None


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        ("1.2", "tỷ đồng", "triệu đồng", "1200"),
        ("850", "triệu", "tỷ đồng", "0.85"),
        ("185000000", "đồng", "triệu đồng", "185"),
        ("12000", "nghìn đồng", "triệu đồng", "12"),
        ("3.5", "triệu đồng", "triệu đồng", "3.5"),
    ],
)
def test_convert_money(value: str, src: str, dst: str, expected: str) -> None:
    assert convert_money(Decimal(value), src, dst) == Decimal(expected)


def test_convert_money_refuses_non_money() -> None:
    assert convert_money(Decimal(5), "nhiệm vụ", "triệu đồng") is None
    assert convert_money(Decimal(5), "triệu đồng", "%") is None


# --- the corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, ExtractionResult, float]]:
    files = build_corpus(tmp_path_factory.mktemp("reporting-corpus"))
    out = []
    for f in files:
        start = time.perf_counter()
        result = extract(f.path.read_bytes(), f.name, INDICATORS)
        out.append((f, result, time.perf_counter() - start))
    return out


def test_corpus_precision_and_recall(corpus_results: list[tuple[object, ExtractionResult, float]]) -> None:
    assert len(corpus_results) >= 8
    formats = {r.format for _, r, _ in corpus_results}
    assert formats == {"xlsx", "docx", "pdf"}
    total = Score()
    for f, result, _ in corpus_results:
        total.add(score_file(f.name, f.truth, result.proposals))  # type: ignore[attr-defined]
    wanted = total.true_pos + total.false_neg
    assert wanted >= 100, "the corpus should hold enough (file, indicator) pairs to mean something"
    assert total.precision >= 0.95, "\n".join(total.errors)
    assert total.recall >= 0.9, "\n".join(total.errors)


def test_corpus_proposals_are_well_formed(
    corpus_results: list[tuple[object, ExtractionResult, float]],
) -> None:
    kinds = {s.code: s.kind for s in INDICATORS}
    for f, result, seconds in corpus_results:
        codes = [p.code for p in result.proposals]
        assert len(codes) == len(set(codes)), f"{f.name}: one proposal per indicator"  # type: ignore[attr-defined]
        for p in result.proposals:
            assert isinstance(p, Proposal)
            assert 0.0 < p.confidence <= 1.0
            assert p.location and p.raw and p.matched_label
            assert kinds[p.code] not in ("table", "file")
            if kinds[p.code] in ("number", "money", "percent"):
                assert isinstance(p.value, Decimal)
            else:
                assert isinstance(p.value, str)
        missing = {s.code for s in INDICATORS if s.kind not in ("table", "file")} - set(codes)
        for code in missing:
            assert any(f"({code})" in w and w.startswith("Không tìm thấy") for w in result.warnings)
        assert any("TASK_LIST" in w for w in result.warnings)
        assert seconds < 3.0, f"{f.name} took {seconds:.2f} s"  # type: ignore[attr-defined]


def _result(corpus_results: list[tuple[object, ExtractionResult, float]], prefix: str) -> ExtractionResult:
    return next(r for f, r, _ in corpus_results if f.name.startswith(prefix))  # type: ignore[attr-defined]


def test_distractors_and_locations(corpus_results: list[tuple[object, ExtractionResult, float]]) -> None:
    vertical = _result(corpus_results, "01").by_code()
    # The 2023 row below (5) and the total row (126) are not the national count.
    assert vertical["TASKS_NATIONAL"].value == Decimal(7)
    assert vertical["TASKS_NATIONAL"].location == "Trang tính 'Biểu 01', ô D6"
    assert vertical["DISBURSEMENT_RATE"].value == Decimal("40.3")  # a native 0.403 shown as 40.3%
    assert vertical["FINES"].value == Decimal(185)  # 185,000,000 đồng in triệu đồng
    assert vertical["BUDGET_ALLOCATED"].value == Decimal(24500)  # 24.5 tỷ đồng

    merged = _result(corpus_results, "02").by_code()
    # Under "Năm 2024": "Kế hoạch" is E, "Ước thực hiện" is F; D is 2023.
    assert merged["TASKS_PROVINCIAL"].location == "Trang tính 'BC Q2', ô F12"
    assert merged["TASKS_PROVINCIAL"].value == Decimal(29)

    transposed = _result(corpus_results, "03").by_code()
    assert transposed["BUDGET_DISBURSED"].value == Decimal(8750)  # 8.75 tỷ đồng, the "Thực hiện" row
    assert transposed["BUDGET_DISBURSED"].location == "Trang tính 'Tong hop', ô E6"

    form = _result(corpus_results, "04").by_code()
    assert form["TASKS_PROVINCIAL"].value == Decimal(25)  # not "Số NV cấp tỉnh theo KH: 30"
    assert form["ENTERPRISES"].value == Decimal(8)  # not "Số DN KH&CN năm 2023: 6"
    assert "PATENT_APPS" not in form  # only last year's figure is there: propose nothing
    assert form["FINES"].value == Decimal(12)  # "12.000.000 đ"

    letter = _result(corpus_results, "05")
    by_code = letter.by_code()
    # The table cell outranks the sentence that repeats it.
    assert by_code["ENTERPRISES"].location.startswith("Bảng 1")
    assert by_code["BUDGET_DISBURSED"].location == "Bảng 1, hàng 7, cột 5"
    assert "DISBURSEMENT_RATE" not in by_code  # "Tỷ lệ so với KH (%)" is not the disbursement rate

    prose = _result(corpus_results, "06").by_code()
    assert prose["TASKS_PROVINCIAL"].value == Decimal(31)  # not the plan's 35
    assert prose["ENTERPRISES"].value == Decimal(21)  # not 2023's 18, in parentheses
    assert prose["BUDGET_DISBURSED"].value == Decimal(1200)  # 1,2 tỷ đồng
    assert prose["BUDGET_DISBURSED"].location == "Đoạn 11"
    assert (
        prose["TASKS_PROVINCIAL"].confidence
        < _result(corpus_results, "01").by_code()["TASKS_PROVINCIAL"].confidence
    )

    mixed = _result(corpus_results, "07").by_code()
    assert mixed["PLAN_STATUS"].value == "Vượt kế hoạch"  # the ticked box
    assert mixed["BUDGET_ALLOCATED"].value == Decimal(31250)  # the 2024 column

    pdf = _result(corpus_results, "09").by_code()
    assert pdf["TASKS_NATIONAL"].value == Decimal(3)  # not the 2 accepted among the 6
    assert pdf["TASKS_NATIONAL"].location.startswith("Trang 1, dòng ")
    assert pdf["FINES"].value == Decimal("38.5")


# --- bad files --------------------------------------------------------------------------


def _zip(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _pdf_without_text() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 300, 400, fill=1)  # what a scan's page looks like to a text extractor
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda good: b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(400), "unsupported"),  # a renamed .exe
        (lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "unsupported"),  # legacy .xls/.doc
        (lambda good: b"{\\rtf1\\ansi Bao cao}", "unsupported"),
        (lambda good: _zip({"hello.txt": "hi"}), "unsupported"),
        (lambda good: _zip({"mimetype": "application/vnd.oasis", "content.xml": "<x/>"}), "unsupported"),
        (lambda good: b"", "corrupt"),
        (lambda good: b"PK\x03\x04" + os.urandom(600), "corrupt"),
        (lambda good: good["xlsx"][: len(good["xlsx"]) // 2], "corrupt"),
        (lambda good: _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "not xml <<"}), "corrupt"),
        (lambda good: b"%PDF-1.4\n" + os.urandom(2000), "corrupt"),
        (lambda good: good["pdf"][: len(good["pdf"]) // 2], "corrupt"),
        (lambda good: _pdf_without_text(), "no_text"),
    ],
)
def test_bad_files_raise_typed_errors(
    make: object, code: str, corpus_results: list[tuple[object, ExtractionResult, float]]
) -> None:
    good = {
        "xlsx": next(f.path.read_bytes() for f, _, _ in corpus_results if f.name.endswith(".xlsx")),  # type: ignore[attr-defined]
        "pdf": next(f.path.read_bytes() for f, _, _ in corpus_results if f.name.endswith(".pdf")),  # type: ignore[attr-defined]
    }
    data = make(good)  # type: ignore[operator]
    with pytest.raises(ExtractionError) as info:
        extract(data, "bao_cao.xlsx", INDICATORS)
    assert info.value.code == code
    vi, sep, en = info.value.message.partition(" / ")
    assert sep and vi and en, "Vietnamese first, then English"


def test_too_large() -> None:
    with pytest.raises(ExtractionError) as info:
        extract(b"%PDF-1.4" + bytes(2000), "x.pdf", INDICATORS, max_bytes=1000)
    assert info.value.code == "too_large"


def test_format_comes_from_content_not_extension(tmp_path: Path) -> None:
    files = build_corpus(tmp_path)
    xlsx = next(f for f in files if f.name.startswith("01"))
    result = extract(xlsx.path.read_bytes(), "bao_cao.pdf", INDICATORS)
    assert result.format == "xlsx"
    assert any(".pdf" in w for w in result.warnings)
    assert result.by_code()["TASKS_NATIONAL"].value == Decimal(7)


def test_small_form_and_choice_kinds() -> None:
    """A form of three indicators, read from a table written without any header."""
    import docx

    doc = docx.Document()
    table = doc.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate(
        [
            ("Số nhiệm vụ cấp tỉnh", "12 nhiệm vụ (năm 2023: 10)"),
            ("Mức độ hoàn thành kế hoạch", "Chưa hoàn thành"),
            ("Ghi nhận khác", "Không có"),
        ]
    ):
        table.cell(r, 0).text = label
        table.cell(r, 1).text = value
    buf = io.BytesIO()
    doc.save(buf)
    form = [
        IndicatorSpec("PROV", "Số nhiệm vụ KH&CN cấp tỉnh", kind="number", unit="nhiệm vụ"),
        IndicatorSpec("STATUS", "Mức độ hoàn thành kế hoạch", kind="choice", choices=("Hoàn thành", "Vượt")),
        IndicatorSpec("NATIONAL", "Số nhiệm vụ KH&CN cấp quốc gia", kind="number", unit="nhiệm vụ"),
    ]
    result = extract(buf.getvalue(), "bc.docx", form)
    by_code = result.by_code()
    assert by_code["PROV"].value == Decimal(12)
    assert by_code["PROV"].location == "Bảng 1, hàng 1, cột 2"
    # "Chưa hoàn thành" is not the choice "Hoàn thành": nothing is proposed rather than a wrong value.
    assert "STATUS" not in by_code
    assert "NATIONAL" not in by_code


def test_package_does_not_import_django() -> None:
    code = (
        "import sys; import modules.reporting.extraction as x; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr


# --- issue 14: layouts the extractor had not seen ---------------------------------------------
# Expected values below are read off the files as written here, by hand.


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _docx(paragraphs: list[str], table: list[list[str]] | None = None, after: list[str] = ()) -> bytes:  # type: ignore[assignment]
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    for text in after:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_figures_left_of_their_labels() -> None:
    data = _xlsx(
        [
            ["Báo cáo năm 2024"],
            ["Năm 2023", "Năm 2024", "ĐVT", "Chỉ tiêu"],
            [9, 12, "nhiệm vụ", "Số nhiệm vụ KH&CN cấp tỉnh"],
            [3, None, "nhiệm vụ", "Số nhiệm vụ KH&CN cấp quốc gia"],
            [5100, 6400.5, "triệu đồng", "Kinh phí đã giải ngân"],
        ]
    )
    got = extract(data, "trai.xlsx", INDICATORS).by_code()
    assert got["TASKS_PROVINCIAL"].value == Decimal(12)
    assert got["BUDGET_DISBURSED"].value == Decimal("6400.5")
    assert "TASKS_NATIONAL" not in got  # 2024 left empty: last year's 3 is not proposed
    word = _docx(
        ["Kết quả năm 2024"],
        [
            ["Kết quả", "Chỉ tiêu"],
            ["7 hợp đồng", "Số hợp đồng chuyển giao công nghệ"],
            ["", "Số doanh nghiệp KH&CN"],
            ["44", "Số đơn đăng ký sáng chế"],
        ],
    )
    got = extract(word, "trai.docx", INDICATORS).by_code()
    assert got["TECH_TRANSFER"].value == Decimal(7)
    assert got["PATENT_APPS"].value == Decimal(44)
    assert "ENTERPRISES" not in got


@pytest.mark.parametrize("rate_header", ["Tỷ lệ (%)", "Tỉ lệ", "%", "TL (%)"])
def test_a_rate_column_is_never_money(rate_header: str) -> None:
    """The attack: a row unit "triệu đồng" beside a rate column, the amount cell left empty."""
    word = _docx(
        ["Số liệu năm 2024"],
        [
            ["Chỉ tiêu", "ĐVT", "Giá trị", rate_header],
            ["Kinh phí đã giải ngân", "triệu đồng", "", "64,5"],
            ["Số tiền xử phạt vi phạm hành chính", "triệu đồng", "12,5", "3"],
            ["Tỷ lệ giải ngân", "%", "", "64,5"],
        ],
    )
    got = extract(word, "tyle.docx", INDICATORS).by_code()
    assert "BUDGET_DISBURSED" not in got
    assert got["FINES"].value == Decimal("12.5")
    assert got["DISBURSEMENT_RATE"].value == Decimal("64.5")


def test_a_date_is_never_a_count() -> None:
    import datetime as dt

    data = _xlsx(
        [
            ["Biểu năm 2024"],
            ["STT", "Chỉ tiêu", "Số lượng", "Ngày cập nhật"],
            [1, "Số hợp đồng chuyển giao công nghệ", "20/11/2024", dt.datetime(2024, 12, 1)],
            [2, "Số nhiệm vụ đã nghiệm thu", None, dt.datetime(2024, 12, 1)],
            [3, "Số doanh nghiệp KH&CN", 6, "15"],
        ]
    )
    got = extract(data, "ngay.xlsx", INDICATORS).by_code()
    assert "TECH_TRANSFER" not in got
    assert "TASKS_ACCEPTED" not in got  # the date column is never read, even as a number
    assert got["ENTERPRISES"].value == Decimal(6)


def test_free_text_stops_at_the_letters_closing() -> None:
    answer = "Đề nghị Bộ hỗ trợ kinh phí đào tạo cán bộ quản lý KH&CN cấp huyện."
    closing = [
        "Trân trọng báo cáo./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
    ]
    got = extract(_docx(["Kiến nghị, đề xuất:", answer, *closing]), "a.docx", INDICATORS).by_code()
    assert got["PROPOSALS"].value == answer
    # Inline, then a borderless signature table, without a closing formula.
    word = _docx(
        ["Kiến nghị, đề xuất: " + answer],
        [["Nơi nhận:\n- Như trên;", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nLê Văn B"]],
    )
    assert extract(word, "b.docx", INDICATORS).by_code()["PROPOSALS"].value == answer
    # Nothing but the closing under the heading: no answer.
    got = extract(_docx(["Kiến nghị, đề xuất", *closing]), "c.docx", INDICATORS).by_code()
    assert "PROPOSALS" not in got


def test_closing_in_a_pdf_side_by_side(corpus_results: list[tuple[object, ExtractionResult, float]]) -> None:
    got = _result(corpus_results, "21").by_code()
    assert got["PROPOSALS"].value == (
        "Đề nghị Bộ ưu tiên giao nhiệm vụ cấp quốc gia về giống cà phê chịu hạn cho tỉnh Đắk Lắk."
    )


def test_wrapped_labels_in_pdf_tables(corpus_results: list[tuple[object, ExtractionResult, float]]) -> None:
    """Three labels share "Số nhiệm vụ khoa học và" as their first line; the figure is on the middle line."""
    for prefix in ("22", "23"):
        got = _result(corpus_results, prefix).by_code()
        assert got["TASKS_NATIONAL"].value == Decimal(4), prefix
        assert got["TASKS_PROVINCIAL"].value == Decimal(29), prefix
        assert "TASKS_GRASSROOTS" not in got, prefix  # its figure cell is empty
        assert got["BUDGET_ALLOCATED"].value == Decimal(15340), prefix  # broken by hand over three lines
        assert got["PATENT_APPS"].value == Decimal(12), prefix
    tight = _result(corpus_results, "28").by_code()
    assert tight["INSPECTIONS"].value == Decimal(8)
    assert tight["FINES"].value == Decimal("64.2")
    assert tight["ENTERPRISES"].value == Decimal(31)


@pytest.mark.parametrize(
    ("abbreviated", "full"),
    [
        ("Số NV KH&CN cấp QG", "Số nhiệm vụ khoa học và công nghệ cấp quốc gia"),
        ("KP SN KH&CN được giao", "kinh phí sự nghiệp khoa học và công nghệ được giao"),
        ("KP đã GN", "kinh phí đã giải ngân"),
        ("SL DN được cấp GCN", "số lượng doanh nghiệp được cấp giấy chứng nhận"),
        ("Số tiền XP VPHC", "số tiền xử phạt vi phạm hành chính"),
        ("Số đơn ĐK SC", "số đơn đăng ký sáng chế"),
        ("Số CB NC&PT", "số cán bộ nghiên cứu phát triển"),
        ("Số QĐ", "số quyết định"),
    ],
)
def test_declared_abbreviations(abbreviated: str, full: str) -> None:
    assert canonical_tokens(abbreviated) == canonical_tokens(full)


def test_ambiguous_abbreviations_take_the_forms_meaning() -> None:
    from modules.reporting.extraction.abbreviations import resolve_ambiguous

    vocab = {
        "chuyen",
        "giao",
        "cong",
        "nghe",
        "giao cong",
        "chung",
        "nhan",
        "giay",
        "giay chung",
        "nghiem",
        "thu",
    }
    assert resolve_ambiguous(("chuyen", "giao", "cn"), vocab) == ("chuyen", "giao", "cong", "nghe")
    assert resolve_ambiguous(("giay", "cn"), vocab) == ("giay", "chung", "nhan")
    assert resolve_ambiguous(("da", "nt"), vocab) == ("da", "nghiem", "thu")
    assert resolve_ambiguous(("so", "tb"), vocab) == ("so", "tb")  # no meaning the form knows: as written


def test_abbreviated_labels_in_tables_and_lists() -> None:
    sheet = _xlsx(
        [
            ["TH năm 2024"],
            ["TT", "Chỉ tiêu", "ĐVT", "TH 2024"],
            [1, "SL NV đã NT", "NV", 6],
            [2, "KP đã GN", "tr.đ", 4210],
            [3, "Số HĐ chuyển giao CN", "HĐ", 3],
            [4, "Số DN KH&CN được cấp GCN", "DN", 2],
        ]
    )
    got = extract(sheet, "vt.xlsx", INDICATORS).by_code()
    assert got["TASKS_ACCEPTED"].value == Decimal(6)
    assert got["BUDGET_DISBURSED"].value == Decimal(4210)
    assert got["TECH_TRANSFER"].value == Decimal(3)
    assert got["ENTERPRISES"].value == Decimal(2)
    listing = _docx(
        [
            "Số liệu năm 2024:",
            "- Số NV cấp tỉnh: 21;",
            "- KP SN KH&CN được giao: 3,5 tỷ đồng;",
            "- Số cuộc TT, KT: 4.",
        ]
    )
    got = extract(listing, "vt.docx", INDICATORS).by_code()
    assert got["TASKS_PROVINCIAL"].value == Decimal(21)
    assert got["BUDGET_ALLOCATED"].value == Decimal(3500)
    assert got["INSPECTIONS"].value == Decimal(4)


def test_classes_combined(corpus_results: list[tuple[object, ExtractionResult, float]]) -> None:
    word = _result(corpus_results, "26").by_code()
    assert word["TASKS_NATIONAL"].value == Decimal(2)
    assert word["BUDGET_ALLOCATED"].value == Decimal(2600)
    assert "BUDGET_DISBURSED" not in word  # only its "Tỷ lệ" cell (45,0) is filled
    assert word["PROPOSALS"].value.endswith("chất lượng hàng hóa của tỉnh.")  # type: ignore[union-attr]
    pdf = _result(corpus_results, "27").by_code()
    assert pdf["TASKS_PROVINCIAL"].value == Decimal(18)
    assert pdf["TASKS_ACCEPTED"].value == Decimal(7)
    assert pdf["FINES"].value == Decimal("36.5")
    assert "BUDGET_DISBURSED" not in pdf  # 81,4 is its rate, not an amount


def test_closing_sentence_and_pdf_signature_right_under_the_answer(tmp_path: Path) -> None:
    """No closing formula, no space: the answer's short last line stays the answer's, and the
    recipients and signature set side by side right under it are not read into it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from tests.reporting_corpus import _pdf_styles

    st = _pdf_styles()
    answer = (
        "Đề nghị Bộ Khoa học và Công nghệ hỗ trợ tỉnh xây dựng trung tâm đổi mới sáng tạo, kết nối "
        "các viện, trường với doanh nghiệp trên địa bàn tỉnh."
    )
    sign = Table(
        [
            [
                Paragraph("Nơi nhận:<br/>- Bộ KH&amp;CN;<br/>- Lưu: VT.", st["cell"]),  # type: ignore[arg-type]
                Paragraph("GIÁM ĐỐC<br/><br/>Hoàng Minh Tuấn", st["cell"]),  # type: ignore[arg-type]
            ]
        ],
        colWidths=[240, 240],
    )
    path = tmp_path / "letter.pdf"
    story = [
        Paragraph("Kiến nghị, đề xuất:", st["body"]),  # type: ignore[arg-type]
        Paragraph(answer, st["body"]),  # type: ignore[arg-type]
        sign,
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    got = extract(path.read_bytes(), "letter.pdf", INDICATORS).by_code()
    assert normalise_label(str(got["PROPOSALS"].value)) == normalise_label(answer)
    courtesy = _docx(["Kiến nghị, đề xuất: " + answer + " Sở Khoa học và Công nghệ trân trọng báo cáo./."])
    assert extract(courtesy, "c.docx", INDICATORS).by_code()["PROPOSALS"].value == answer


def test_abbreviated_count_units_are_not_money() -> None:
    """ "Số QĐ xử phạt VPHC | QĐ | 14": fourteen decisions, not 14 (million) đồng of fines."""
    sheet = _xlsx(
        [
            ["Năm 2024"],
            ["STT", "Chỉ tiêu", "ĐVT", "Số liệu"],
            [1, "Số QĐ xử phạt VPHC", "QĐ", 14],
            [2, "Số tiền xử phạt VPHC", "tr.đ", 52],
        ]
    )
    got = extract(sheet, "qd.xlsx", INDICATORS).by_code()
    assert got["FINES"].value == Decimal(52)
    right_unit = _xlsx([["Năm 2024"], [14, "Số QĐ xử phạt VPHC", "QĐ"], [11, "Số NV KH&CN cấp tỉnh", "NV"]])
    got = extract(right_unit, "qd2.xlsx", INDICATORS).by_code()
    assert "FINES" not in got
    assert got["TASKS_PROVINCIAL"].value == Decimal(11)


def test_a_count_of_decisions_is_not_the_fines_amount() -> None:
    """The attack: "Số QĐ xử phạt VPHC" shares all but one word with "Số tiền xử phạt vi phạm
    hành chính" (money), and its figure has no unit."""
    word = _docx(["Báo cáo năm 2024"], [["Chỉ tiêu", "Thực hiện"], ["Số QĐ xử phạt VPHC", "3"]])
    assert "FINES" not in extract(word, "qd.docx", INDICATORS).by_code()
    prose = _docx(["Năm 2024, Sở đã ban hành 3 quyết định xử phạt vi phạm hành chính."])
    assert "FINES" not in extract(prose, "qd2.docx", INDICATORS).by_code()
    amount = _docx(["Năm 2024, Sở đã xử phạt vi phạm hành chính 41,5 triệu đồng."])
    assert extract(amount, "qd3.docx", INDICATORS).by_code()["FINES"].value == Decimal("41.5")
