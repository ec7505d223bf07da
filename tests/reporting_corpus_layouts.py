"""Corpus files in the layouts of issue 14's "Extraction on layouts it has not seen".

Written before the extractor was changed for them, with their truth, in six classes:

- figures standing to the LEFT of their labels (XLSX and DOCX tables);
- a rate column ("Tỉ lệ (%)", "Tỷ lệ", a bare "%") beside count and amount columns, a date
  column, a date where a count would be, an empty amount with its rate filled;
- letters whose free-text answer is followed by the closing formula, "Nơi nhận: …" and the
  signature block, as paragraphs or as a two-column borderless table (DOCX and PDF);
- PDF tables whose long labels wrap over two or three lines (by the cell width, or by hand),
  the figure on a middle line, several labels sharing their first line;
- officers' abbreviations of indicator names, in tables and in "label: value" lists;
- files combining several of these.

Indicators a file leaves empty are absent from its truth: proposing nothing is right there.
Imported by ``tests/reporting_corpus.py`` (``LAYOUT_BUILDERS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

Value = Decimal | str
D = Decimal

CLOSING_PARAGRAPHS = (
    "Trên đây là báo cáo của Sở Khoa học và Công nghệ, kính gửi Bộ Khoa học và Công nghệ tổng hợp./.",
    "Nơi nhận:",
    "- Bộ KH&CN (để b/c);",
    "- UBND tỉnh (để b/c);",
    "- Lưu: VT, QLKH.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "(Đã ký)",
    "Lê Thị Thu Hà",
)


def _styles() -> dict[str, object]:
    from tests.reporting_corpus import _pdf_styles

    return _pdf_styles()


def _docx_table(doc: object, rows: list[list[str]], *, borders: bool = True) -> object:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    if borders:
        table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


# --- 1. figures left of the labels ----------------------------------------------------------


def _xlsx_value_left(path: Path) -> dict[str, Value]:
    """Năm 2023 | Năm 2024 | ĐVT | Nội dung: the label column last; two 2024 cells left empty."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "So lieu"
    ws["A1"] = "SỐ LIỆU HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ NĂM 2024 - TỈNH VĨNH LONG"
    ws.append([])
    ws.append(["Năm 2023", "Năm 2024", "ĐVT", "Nội dung"])
    for row in (
        (4, 6, "nhiệm vụ", "Số nhiệm vụ KH&CN cấp quốc gia"),
        (22, 27, "nhiệm vụ", "Số nhiệm vụ KH&CN cấp tỉnh"),
        (61, None, "nhiệm vụ", "Số nhiệm vụ KH&CN cấp cơ sở"),
        (13250, 14800, "triệu đồng", "Tổng kinh phí sự nghiệp KH&CN được giao"),
        (9100, 11365.4, "triệu đồng", "Kinh phí đã giải ngân"),
        (15, 19, "doanh nghiệp", "Số doanh nghiệp KH&CN"),
        (8, None, "hợp đồng", "Số hợp đồng chuyển giao công nghệ"),
        (11, 13, "cuộc", "Số cuộc thanh tra, kiểm tra"),
    ):
        ws.append(list(row))
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(6),
        "TASKS_PROVINCIAL": D(27),
        "BUDGET_ALLOCATED": D(14800),
        "BUDGET_DISBURSED": D("11365.4"),
        "ENTERPRISES": D(19),
        "INSPECTIONS": D(13),
    }


def _docx_value_left(path: Path) -> dict[str, Value]:
    """A Word table "Kết quả | Chỉ tiêu", figures as text with their units, one left blank."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH TÂY NINH")
    doc.add_paragraph("Tóm tắt kết quả năm 2024")
    _docx_table(
        doc,
        [
            ["Kết quả", "Chỉ tiêu"],
            ["3 nhiệm vụ", "Nhiệm vụ KH&CN cấp quốc gia đang triển khai"],
            ["15", "Số nhiệm vụ KH&CN cấp tỉnh"],
            ["9", "Số nhiệm vụ đã nghiệm thu"],
            ["2,75 tỷ đồng", "Kinh phí đã giải ngân"],
            ["", "Số tiền xử phạt vi phạm hành chính"],
            ["26", "Số đơn đăng ký sáng chế, giải pháp hữu ích"],
            ["318 người", "Số cán bộ nghiên cứu và phát triển"],
        ],
    )
    doc.add_paragraph("Tây Ninh, ngày 18 tháng 12 năm 2024")
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(3),
        "TASKS_PROVINCIAL": D(15),
        "TASKS_ACCEPTED": D(9),
        "BUDGET_DISBURSED": D(2750),
        "PATENT_APPS": D(26),
        "RD_STAFF": D(318),
    }


# --- 2. rate, amount, count and date columns ---------------------------------------------------


def _xlsx_rate_columns(path: Path) -> dict[str, Value]:
    """Số lượng | Kinh phí (triệu đồng) | Tỉ lệ (%) | Ngày cập nhật; an empty amount beside its rate."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 03"
    ws["A1"] = "BIỂU TỔNG HỢP KẾT QUẢ KH&CN NĂM 2024 - QUẢNG NGÃI"
    ws.append([])
    ws.append(["STT", "Chỉ tiêu", "Số lượng", "Kinh phí (triệu đồng)", "Tỉ lệ (%)", "Ngày cập nhật"])
    d = dt.datetime(2024, 12, 10)
    for row in (
        (1, "Số nhiệm vụ KH&CN cấp tỉnh", 23, 8640, 38.5, d),
        (2, "Số nhiệm vụ KH&CN cấp cơ sở", 47, 1210, 61.5, d),
        (3, "Kinh phí đã giải ngân", None, None, 74.2, d),
        (4, "Tổng kinh phí sự nghiệp KH&CN được giao", None, 12780, 100, d),
        (5, "Số hợp đồng chuyển giao công nghệ", "15/11/2024", None, None, d),
        (6, "Số doanh nghiệp KH&CN", 9, None, 12.5, d),
        (7, "Tỷ lệ giải ngân", None, None, 74.2, d),
    ):
        ws.append(list(row))
    for r in range(4, 11):
        ws.cell(r, 6).number_format = "dd/mm/yyyy"
    wb.save(path)
    return {
        "TASKS_PROVINCIAL": D(23),
        "TASKS_GRASSROOTS": D(47),
        "BUDGET_ALLOCATED": D(12780),
        "ENTERPRISES": D(9),
        "DISBURSEMENT_RATE": D("74.2"),
    }


def _docx_rate_columns(path: Path) -> dict[str, Value]:
    """Word table: Nội dung | SL | Giá trị (tỷ đồng) | %; a date typed into a count cell."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("UBND TỈNH LẠNG SƠN")
    doc.add_paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    doc.add_paragraph("Kết quả thực hiện nhiệm vụ năm 2024")
    _docx_table(
        doc,
        [
            ["Nội dung", "Số lượng", "Giá trị (tỷ đồng)", "%"],
            ["Nhiệm vụ KH&CN cấp quốc gia", "2", "5,6", "8,1"],
            ["Nhiệm vụ đã nghiệm thu", "12/8/2024", "", ""],
            ["Kinh phí sự nghiệp KH&CN được giao", "", "", "100"],
            ["Kinh phí đã giải ngân", "", "7,35", "86,5"],
            ["Tiền phạt vi phạm hành chính", "", "", "3,2"],
            ["Số cuộc thanh tra chuyên ngành", "6", "", "15,0"],
            ["Tỷ lệ chi ngân sách cho KH&CN", "", "", "0,92"],
        ],
    )
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(2),
        "BUDGET_DISBURSED": D(7350),
        "INSPECTIONS": D(6),
        "SPENDING_SHARE": D("0.92"),
    }


# --- 3. free text followed by the letter's closing -------------------------------------------

PROPOSAL_PHU_YEN = (
    "Đề nghị Bộ Khoa học và Công nghệ xem xét bổ sung nhiệm vụ cấp quốc gia về bảo quản sau thu hoạch "
    "cá ngừ đại dương cho tỉnh Phú Yên."
)


def _docx_letter_closing(path: Path) -> dict[str, Value]:
    """A short letter: figures in prose, the answer under its heading, then the closing as paragraphs."""
    import docx

    doc = docx.Document()
    for text in (
        "UBND TỈNH PHÚ YÊN",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: 96/BC-SKHCN",
        "Phú Yên, ngày 14 tháng 6 năm 2024",
        "BÁO CÁO",
        "Kết quả hoạt động khoa học và công nghệ 6 tháng đầu năm 2024",
        "1. Trong kỳ, Sở quản lý 19 nhiệm vụ KH&CN cấp tỉnh và đã tổ chức nghiệm thu 5 nhiệm vụ.",
        "2. Kinh phí đã giải ngân 3.420 triệu đồng.",
        "3. Kiến nghị, đề xuất",
        PROPOSAL_PHU_YEN,
        *CLOSING_PARAGRAPHS,
    ):
        doc.add_paragraph(text)
    doc.save(path)
    return {
        "TASKS_PROVINCIAL": D(19),
        "TASKS_ACCEPTED": D(5),
        "BUDGET_DISBURSED": D(3420),
        "PROPOSALS": PROPOSAL_PHU_YEN,
    }


PROPOSAL_SOC_TRANG = (
    "Kiến nghị Bộ hướng dẫn thủ tục công nhận doanh nghiệp KH&CN cho các hợp tác xã nông nghiệp. "
    "Đồng thời hỗ trợ tập huấn về sở hữu trí tuệ cho cán bộ cấp huyện."
)


def _docx_letter_signature_table(path: Path) -> dict[str, Value]:
    """The answer inline after "Kiến nghị, đề xuất:", then "Trân trọng." and a borderless signature table."""
    import docx

    doc = docx.Document()
    for text in (
        "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Kính gửi: Bộ Khoa học và Công nghệ",
        "Năm 2024, Sở có 11 doanh nghiệp KH&CN được cấp giấy chứng nhận; thực hiện 7 cuộc thanh tra, kiểm tra.",
        "Đề xuất, kiến nghị:",
        PROPOSAL_SOC_TRANG,
        "Trân trọng./.",
    ):
        doc.add_paragraph(text)
    _docx_table(
        doc,
        [
            [
                "Nơi nhận:\n- Như trên;\n- Giám đốc Sở;\n- Lưu: VT, QLCN.",
                "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nTrần Quốc Việt",
            ]
        ],
        borders=False,
    )
    doc.save(path)
    return {"ENTERPRISES": D(11), "INSPECTIONS": D(7), "PROPOSALS": PROPOSAL_SOC_TRANG}


PROPOSAL_DAK_LAK = "Đề nghị Bộ ưu tiên giao nhiệm vụ cấp quốc gia về giống cà phê chịu hạn cho tỉnh Đắk Lắk."


def _pdf_letter_closing(path: Path) -> dict[str, Value]:
    """PDF letter: the answer, the closing formula, then "Nơi nhận" and the signature side by side."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    left = "Nơi nhận:<br/>- Bộ KH&amp;CN;<br/>- UBND tỉnh;<br/>- Lưu: VT, KHTC."
    right = "KT. GIÁM ĐỐC<br/>PHÓ GIÁM ĐỐC<br/><br/>Y Bhiăo Niê"
    sign = Table(
        [[Paragraph(left, st["cell"]), Paragraph(right, st["cell"])]],  # type: ignore[arg-type]
        colWidths=[240, 240],
    )
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        Paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH ĐẮK LẮK", st["title"]),  # type: ignore[arg-type]
        Paragraph("BÁO CÁO KẾT QUẢ HOẠT ĐỘNG KH&amp;CN NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Paragraph(
            "Năm 2024, Sở triển khai 24 nhiệm vụ KH&amp;CN cấp tỉnh; tổng kinh phí sự nghiệp KH&amp;CN được "
            "giao là 18.900 triệu đồng.",
            st["body"],  # type: ignore[arg-type]
        ),
        Paragraph("Kiến nghị, đề xuất:", st["body"]),  # type: ignore[arg-type]
        Paragraph(escape(PROPOSAL_DAK_LAK), st["body"]),  # type: ignore[arg-type]
        Paragraph("Trân trọng báo cáo./.", st["body"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        sign,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Bao cao Dak Lak").build(story)
    return {"TASKS_PROVINCIAL": D(24), "BUDGET_ALLOCATED": D(18900), "PROPOSALS": PROPOSAL_DAK_LAK}


# --- 4. labels wrapped over lines in PDF tables -----------------------------------------------


def _pdf_wrapped(path: Path, *, ruled: bool, title: str) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["TT", "Tên chỉ tiêu", "Đơn vị", "Thực hiện"],
        ["1", "Số nhiệm vụ khoa học và công nghệ đang triển khai cấp quốc gia", "nhiệm vụ", "4"],
        ["2", "Số nhiệm vụ khoa học và công nghệ đang triển khai cấp tỉnh", "nhiệm vụ", "29"],
        ["3", "Số nhiệm vụ khoa học và công nghệ đang triển khai cấp cơ sở", "nhiệm vụ", ""],
        [
            "4",
            "Tổng kinh phí sự nghiệp<br/>khoa học và công nghệ<br/>được giao trong năm",
            "triệu đồng",
            "15.340",
        ],
        ["5", "Số đơn đăng ký sáng chế,<br/>giải pháp hữu ích nộp tại<br/>Cục Sở hữu trí tuệ", "đơn", "12"],
        ["6", "Số hợp đồng chuyển giao công nghệ được ký kết và thực hiện trong năm", "hợp đồng", "5"],
    ]
    table = Table(
        [[Paragraph(c if "<br/>" in c else escape(c), st["cell"]) for c in r] for r in rows],  # type: ignore[arg-type]
        colWidths=[24, 130, 60, 60],
    )
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(style))
    story = [Paragraph(title, st["title"]), Spacer(1, 8), table]  # type: ignore[arg-type]
    SimpleDocTemplate(str(path), pagesize=A4, title="Bieu").build(story)


_WRAPPED_TRUTH: dict[str, Value] = {
    "TASKS_NATIONAL": D(4),
    "TASKS_PROVINCIAL": D(29),
    "BUDGET_ALLOCATED": D(15340),
    "PATENT_APPS": D(12),
    "TECH_TRANSFER": D(5),
}


def _pdf_wrapped_ruled(path: Path) -> dict[str, Value]:
    _pdf_wrapped(path, ruled=True, title="BIỂU KẾT QUẢ KH&amp;CN NĂM 2024 - TỈNH HÀ NAM")
    return dict(_WRAPPED_TRUTH)


def _pdf_wrapped_unruled(path: Path) -> dict[str, Value]:
    _pdf_wrapped(path, ruled=False, title="BIỂU KẾT QUẢ KH&amp;CN NĂM 2024 - TỈNH NINH BÌNH")
    return dict(_WRAPPED_TRUTH)


def _pdf_wrapped_tight(path: Path) -> dict[str, Value]:
    """Unruled, no cell padding: two-line labels sharing their first line, the figure centred
    between the two lines; a tight table where only the words tell the rows apart."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["Chỉ tiêu", "ĐVT", "Năm 2024"],
        ["Doanh nghiệp KH&amp;CN được cấp<br/>giấy chứng nhận (lũy kế)", "DN", "31"],
        ["Đơn đăng ký sáng chế,<br/>giải pháp hữu ích", "đơn", "18"],
        ["Cuộc thanh tra, kiểm tra<br/>chuyên ngành đã thực hiện", "cuộc", "8"],
        ["Tiền xử phạt vi phạm<br/>hành chính đã thu", "triệu đồng", "64,2"],
    ]
    table = Table(
        [[Paragraph(c, st["cell"]) for c in r] for r in rows],  # type: ignore[arg-type]
        colWidths=[170, 70, 60],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story = [
        Paragraph("TỈNH QUẢNG BÌNH - SỐ LIỆU KH&amp;CN NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Quang Binh").build(story)
    return {"ENTERPRISES": D(31), "PATENT_APPS": D(18), "INSPECTIONS": D(8), "FINES": D("64.2")}


# --- 5. abbreviations -----------------------------------------------------------------------


def _xlsx_abbreviations(path: Path) -> dict[str, Value]:
    """An officer's own sheet: every label abbreviated."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "TH"
    ws["A1"] = "SL KH&CN năm 2024 - Bắc Kạn"
    ws.append([])
    ws.append(["TT", "Chỉ tiêu", "ĐVT", "TH 2024"])
    for row in (
        (1, "Số NV KH&CN cấp QG", "NV", 1),
        (2, "SL NV KH&CN cấp tỉnh", "NV", 12),
        (3, "SL NV đã NT", "NV", 4),
        (4, "KP SN KH&CN được giao", "tr.đ", 9340),
        (5, "KP đã GN", "tr.đ", 6125),
        (6, "Số DN KH&CN được cấp GCN", "DN", 3),
        (7, "Số HĐ chuyển giao CN", "HĐ", 2),
        (8, "Số cuộc TT, KT", "cuộc", 5),
        (9, "Số tiền XP VPHC", "tr.đ", 22.5),
    ):
        ws.append(list(row))
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(1),
        "TASKS_PROVINCIAL": D(12),
        "TASKS_ACCEPTED": D(4),
        "BUDGET_ALLOCATED": D(9340),
        "BUDGET_DISBURSED": D(6125),
        "ENTERPRISES": D(3),
        "TECH_TRANSFER": D(2),
        "INSPECTIONS": D(5),
        "FINES": D("22.5"),
    }


def _docx_abbreviations(path: Path) -> dict[str, Value]:
    """An inline "label: value" list with abbreviations, as typed into an e-mail-like report."""
    import docx

    doc = docx.Document()
    for text in (
        "SỞ KH&CN TỈNH HÀ GIANG",
        "Số liệu nhanh năm 2024:",
        "- Số NV cấp tỉnh: 17 NV;",
        "- Số NV cấp cơ sở: 33;",
        "- SL DN KH&CN: 4 DN;",
        "- Số đơn ĐK SC, GPHI: 6 đơn;",
        "- Số CB NC&PT: 142 người;",
        "- KP SN KH&CN được giao: 7,9 tỷ đồng;",
        "- TL giải ngân: 68,3%.",
    ):
        doc.add_paragraph(text)
    doc.save(path)
    return {
        "TASKS_PROVINCIAL": D(17),
        "TASKS_GRASSROOTS": D(33),
        "ENTERPRISES": D(4),
        "PATENT_APPS": D(6),
        "RD_STAFF": D(142),
        "BUDGET_ALLOCATED": D(7900),
        "DISBURSEMENT_RATE": D("68.3"),
    }


# --- 6. several classes at once ---------------------------------------------------------------

PROPOSAL_CAO_BANG = "Đề nghị Bộ hỗ trợ xây dựng phòng thí nghiệm kiểm định chất lượng hàng hóa của tỉnh."


def _docx_combined(path: Path) -> dict[str, Value]:
    """Figures left of abbreviated labels, a "Tỷ lệ" column, then the answer and a closing."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ CAO BẰNG")
    doc.add_paragraph("Báo cáo năm 2024")
    _docx_table(
        doc,
        [
            ["Tỷ lệ", "Số liệu", "Nội dung"],
            ["", "2", "Số NV KH&CN cấp QG"],
            ["45,0", "", "KP đã GN (tr.đ)"],
            ["", "14", "Số NV đã NT"],
            ["", "1", "Số HĐ CGCN"],
            ["", "2.600", "Tổng KP SN KH&CN được giao (tr.đ)"],
        ],
    )
    for text in ("Kiến nghị, đề xuất:", PROPOSAL_CAO_BANG, *CLOSING_PARAGRAPHS):
        doc.add_paragraph(text)
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(2),
        "TASKS_ACCEPTED": D(14),
        "TECH_TRANSFER": D(1),
        "BUDGET_ALLOCATED": D(2600),
        "PROPOSALS": PROPOSAL_CAO_BANG,
    }


def _pdf_combined(path: Path) -> dict[str, Value]:
    """A ruled PDF table: a rate column, wrapped abbreviated labels, an empty amount with its rate."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["STT", "Chỉ tiêu", "SL", "Kinh phí (tr.đ)", "Tỷ lệ (%)"],
        ["1", "Số NV KH&amp;CN cấp tỉnh<br/>chuyển tiếp và mở mới", "18", "", "52,9"],
        ["2", "Số NV KH&amp;CN cấp tỉnh<br/>đã nghiệm thu trong năm", "7", "", ""],
        ["3", "KP đã giải ngân từ<br/>NSNN cho KH&amp;CN", "", "", "81,4"],
        ["4", "Số tiền XP VPHC<br/>lĩnh vực KH&amp;CN", "", "36,5", ""],
        ["5", "Số DN KH&amp;CN", "5", "", "10"],
    ]
    table = Table(
        [[Paragraph(c, st["cell"]) for c in r] for r in rows],  # type: ignore[arg-type]
        colWidths=[28, 150, 40, 70, 60],
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    story = [
        Paragraph("SỞ KH&amp;CN TỈNH ĐIỆN BIÊN - SỐ LIỆU NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Dien Bien").build(story)
    return {
        "TASKS_PROVINCIAL": D(18),
        "TASKS_ACCEPTED": D(7),
        "FINES": D("36.5"),
        "ENTERPRISES": D(5),
    }


LAYOUT_BUILDERS: tuple[tuple[str, str, Callable[[Path], dict[str, Value]]], ...] = (
    ("15_so_lieu_ben_trai_vinh_long.xlsx", "XLSX, figures left of the labels (issue 14)", _xlsx_value_left),
    ("16_ket_qua_ben_trai_tay_ninh.docx", "DOCX, figures left of the labels (issue 14)", _docx_value_left),
    (
        "17_bieu_ti_le_quang_ngai.xlsx",
        "XLSX, count, amount, Tỉ lệ (%) and date columns (issue 14)",
        _xlsx_rate_columns,
    ),
    (
        "18_bang_phan_tram_lang_son.docx",
        "DOCX, a bare % column, a date in a count cell (issue 14)",
        _docx_rate_columns,
    ),
    ("19_cong_van_phu_yen.docx", "DOCX, answer then closing paragraphs (issue 14)", _docx_letter_closing),
    (
        "20_cong_van_soc_trang.docx",
        "DOCX, answer then borderless signature table (issue 14)",
        _docx_letter_signature_table,
    ),
    ("21_cong_van_dak_lak.pdf", "PDF, answer then side-by-side closing (issue 14)", _pdf_letter_closing),
    (
        "22_bieu_nhan_dai_ha_nam.pdf",
        "PDF, ruled table, labels wrapped over lines (issue 14)",
        _pdf_wrapped_ruled,
    ),
    (
        "23_bieu_nhan_dai_ninh_binh.pdf",
        "PDF, unruled table, labels wrapped over lines (issue 14)",
        _pdf_wrapped_unruled,
    ),
    ("24_viet_tat_bac_kan.xlsx", "XLSX, abbreviated labels (issue 14)", _xlsx_abbreviations),
    ("25_viet_tat_ha_giang.docx", "DOCX, abbreviated 'label: value' list (issue 14)", _docx_abbreviations),
    (
        "26_ket_hop_cao_bang.docx",
        "DOCX, figures left, rate column, abbreviations, closing (issue 14)",
        _docx_combined,
    ),
    ("27_ket_hop_dien_bien.pdf", "PDF, wrapped abbreviated labels, rate column (issue 14)", _pdf_combined),
    (
        "28_bieu_sat_dong_quang_binh.pdf",
        "PDF, tight unruled table, two-line labels (issue 14)",
        _pdf_wrapped_tight,
    ),
)
