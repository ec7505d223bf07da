"""The HELD-OUT set for report extraction: files the extractor is never tuned on.

Written on 2026-11-30, before the extractor was made robust to the layouts of issue 14, by
someone who did not read the extractor's internals. Whoever tunes the extractor never opens
this file nor the files it writes; a file that was fixed against leaves the held-out set
(move it to tests/reporting_corpus.py) and a new one takes its place. Its figures are
reported apart by ``bench/extraction.py --held-out``; there is no threshold test on them,
only a test that the files build and their truth speaks of the form's indicators.

Same structure as the tuning corpus (``CorpusFile`` and its truth, scored by
``score_file``): an indicator absent from a file's truth must not be proposed. Each file
also carries the failure classes it exercises, for the per-class breakdown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tests.reporting_corpus import FONT, FONT_BOLD, INDICATORS, CorpusFile, D, Value

CLASSES: dict[str, str] = {
    "value_left": "value column to the left of the label column",
    "percent_column": "percentage column beside money/count columns; dates beside counts",
    "closing_block": "free-text answer followed by the letter's closing block",
    "wrapped_pdf": "long labels wrapped over two or three lines in a PDF table",
    "abbreviations": "officers' abbreviations for indicator names",
    "mixed": "several classes in one file",
    "clean": "an easy, existing shape in new wording",
}


@dataclass(frozen=True)
class HeldOutFile(CorpusFile):
    classes: tuple[str, ...] = ()


# --- helpers ------------------------------------------------------------------------------


def _styles() -> dict[str, object]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_BOLD)))
    body = ParagraphStyle("hbody", fontName="DejaVuSans", fontSize=10.5, leading=14, spaceAfter=6, alignment=4)
    title = ParagraphStyle("htitle", parent=body, fontName="DejaVuSans-Bold", alignment=1)
    cell = ParagraphStyle("hcell", fontName="DejaVuSans", fontSize=9, leading=11)
    return {"body": body, "title": title, "cell": cell}


def _docx_grid(doc: object, rows: list[list[str]], style: str | None = "Table Grid") -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    if style:
        table.style = style
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _docx_letterhead(doc: object, province: str, number: str, when: str, title: str) -> None:
    for text in (
        f"UBND TỈNH {province.upper()}",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        f"Số: {number}",
        f"{province}, {when}",
        "BÁO CÁO",
        title,
        "Kính gửi: Bộ Khoa học và Công nghệ",
    ):
        doc.add_paragraph(text)  # type: ignore[attr-defined]


def _docx_signature_table(doc: object, recipients: list[str], signer: list[str]) -> None:
    """The usual closing: recipients on the left, the signature on the right, no borders."""
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.cell(0, 0).text = "\n".join(["Nơi nhận:", *recipients])
    table.cell(0, 1).text = "\n".join(signer)


# --- value column to the left of the label -------------------------------------------------


def _h01_xlsx_value_left(path: Path) -> dict[str, Value]:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws["A1"] = "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH SƠN LA"
    ws["A2"] = "SỐ LIỆU KẾT QUẢ HOẠT ĐỘNG KH&CN 9 THÁNG NĂM 2024"
    ws.merge_cells("A2:C2")
    ws.append([])
    ws.append(["Số liệu", "ĐVT", "Chỉ tiêu báo cáo"])
    for row in (
        [4, "nhiệm vụ", "Nhiệm vụ khoa học và công nghệ cấp quốc gia đang triển khai"],
        [27, "nhiệm vụ", "Nhiệm vụ KH&CN cấp tỉnh đang triển khai"],
        [63, "nhiệm vụ", "Nhiệm vụ KH&CN cấp cơ sở"],
        [15, "nhiệm vụ", "Nhiệm vụ được nghiệm thu trong kỳ"],
        [22300, "triệu đồng", "Kinh phí sự nghiệp KH&CN được giao năm 2024"],
        [11482.6, "triệu đồng", "Kinh phí đã giải ngân đến 30/9/2024"],
        ["51,5", "%", "Tỷ lệ giải ngân so với dự toán"],
        [6, "doanh nghiệp", "Doanh nghiệp KH&CN được cấp giấy chứng nhận (lũy kế)"],
        [298, "người", "Cán bộ nghiên cứu và phát triển"],
    ):
        ws.append(row)
    ws.append([])
    ws.append([None, None, "Ghi chú: số liệu tính đến ngày 30/9/2024"])
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(4),
        "TASKS_PROVINCIAL": D(27),
        "TASKS_GRASSROOTS": D(63),
        "TASKS_ACCEPTED": D(15),
        "BUDGET_ALLOCATED": D(22300),
        "BUDGET_DISBURSED": D("11482.6"),
        "DISBURSEMENT_RATE": D("51.5"),
        "ENTERPRISES": D(6),
        "RD_STAFF": D(298),
    }


def _h02_docx_value_left(path: Path) -> dict[str, Value]:
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Phú Yên", "311/BC-SKHCN", "ngày 04 tháng 10 năm 2024", "Kết quả thực hiện nhiệm vụ 9 tháng năm 2024"
    )
    doc.add_paragraph("Sở Khoa học và Công nghệ tỉnh Phú Yên báo cáo số liệu như sau:")
    _docx_grid(
        doc,
        [
            ["Thực hiện 9 tháng", "Kế hoạch năm", "ĐVT", "Nội dung"],
            ["3", "3", "nhiệm vụ", "Số nhiệm vụ cấp quốc gia do tỉnh chủ trì"],
            ["18", "24", "nhiệm vụ", "Số nhiệm vụ cấp tỉnh"],
            ["7", "12", "nhiệm vụ", "Số nhiệm vụ đã đánh giá, nghiệm thu"],
            ["15.600", "15.600", "triệu đồng", "Dự toán kinh phí sự nghiệp KH&CN được giao"],
            ["9.314", "15.600", "triệu đồng", "Kinh phí đã giải ngân"],
            ["4", "5", "hợp đồng", "Hợp đồng chuyển giao công nghệ được ký kết"],
            ["11", "15", "đơn", "Đơn đăng ký sáng chế, giải pháp hữu ích nộp trong kỳ"],
            ["5", "8", "cuộc", "Cuộc thanh tra, kiểm tra đã thực hiện"],
            ["23,4", "40", "triệu đồng", "Tiền xử phạt vi phạm hành chính"],
        ],
    )
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("- Như trên;")
    doc.add_paragraph("- Lưu: VT.")
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(3),
        "TASKS_PROVINCIAL": D(18),
        "TASKS_ACCEPTED": D(7),
        "BUDGET_ALLOCATED": D(15600),
        "BUDGET_DISBURSED": D(9314),
        "TECH_TRANSFER": D(4),
        "PATENT_APPS": D(11),
        "INSPECTIONS": D(5),
        "FINES": D("23.4"),
    }


# --- percentage columns beside money and counts; dates beside counts -----------------------


def _h03_xlsx_percent(path: Path) -> dict[str, Value]:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 03"
    ws["A1"] = "Biểu 03 - CƠ CẤU NHIỆM VỤ VÀ KINH PHÍ KH&CN 6 THÁNG NĂM 2024 (tỉnh Hòa Bình)"
    ws.append([])
    ws.append(["Nội dung", "ĐVT", "Số lượng", "Tỷ lệ (%)", "Thời điểm số liệu"])
    for row in (
        ["Nhiệm vụ cấp quốc gia", "nhiệm vụ", 2, 4.4, "30/6/2024"],
        ["Nhiệm vụ cấp tỉnh", "nhiệm vụ", 14, 31.1, "30/6/2024"],
        ["Nhiệm vụ cấp cơ sở", "nhiệm vụ", 29, 64.5, "30/6/2024"],
        ["Kinh phí sự nghiệp KH&CN được giao", "triệu đồng", 13750, 100, "01/01/2024"],
        ["Kinh phí đã giải ngân", "triệu đồng", 5087.5, None, "30/6/2024"],
        ["Tỷ lệ giải ngân", "%", 37, None, "30/6/2024"],
        ["Số doanh nghiệp KH&CN", "doanh nghiệp", 5, 20, "30/6/2024"],
        ["Số cuộc thanh tra, kiểm tra", "cuộc", "-", None, "15/7/2024"],
        ["Tiền xử phạt vi phạm hành chính", "triệu đồng", "-", 12.5, "30/6/2024"],
    ):
        ws.append(row)
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(2),
        "TASKS_PROVINCIAL": D(14),
        "TASKS_GRASSROOTS": D(29),
        "BUDGET_ALLOCATED": D(13750),
        "BUDGET_DISBURSED": D("5087.5"),
        "DISBURSEMENT_RATE": D(37),
        "ENTERPRISES": D(5),
    }


def _h04_docx_percent(path: Path) -> dict[str, Value]:
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Tuyên Quang", "97/BC-SKHCN", "ngày 12 tháng 11 năm 2024", "Tình hình thực hiện chỉ tiêu KH&CN năm 2024"
    )
    _docx_grid(
        doc,
        [
            ["TT", "Chỉ tiêu", "Kết quả thực hiện", "tỉ lệ so với cùng kỳ (%)"],
            ["1", "Số nhiệm vụ KH&CN cấp tỉnh (nhiệm vụ)", "21", "84"],
            ["2", "Số nhiệm vụ nghiệm thu (nhiệm vụ)", "9", "60"],
            ["3", "Kinh phí sự nghiệp KH&CN được giao (tỷ đồng)", "17,2", "104,2"],
            ["4", "Kinh phí đã giải ngân (tỷ đồng)", "9,7", "56,4"],
            ["5", "Số doanh nghiệp KH&CN (doanh nghiệp)", "10", "125"],
            ["6", "Số hợp đồng chuyển giao công nghệ (hợp đồng)", "3", "150"],
            ["7", "Tỷ lệ chi ngân sách cho KH&CN (%)", "0,65", "108,3"],
            ["8", "Số cuộc thanh tra, kiểm tra (cuộc)", "Đang triển khai từ 01/8/2024", "-"],
        ],
    )
    doc.add_paragraph("Đánh giá mức độ hoàn thành kế hoạch năm: Vượt kế hoạch.")
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("- Bộ KH&CN;")
    doc.save(path)
    return {
        "TASKS_PROVINCIAL": D(21),
        "TASKS_ACCEPTED": D(9),
        "BUDGET_ALLOCATED": D(17200),
        "BUDGET_DISBURSED": D(9700),
        "ENTERPRISES": D(10),
        "TECH_TRANSFER": D(3),
        "SPENDING_SHARE": D("0.65"),
        "PLAN_STATUS": "Vượt kế hoạch",
    }


def _h05_pdf_percent(path: Path) -> dict[str, Value]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["STT", "Chỉ tiêu", "ĐVT", "Số lượng", "%", "Ghi chú"],
        ["1", "Nhiệm vụ KH&CN cấp quốc gia", "nhiệm vụ", "1", "2,0", ""],
        ["2", "Nhiệm vụ KH&CN cấp tỉnh", "nhiệm vụ", "16", "32,0", ""],
        ["3", "Nhiệm vụ KH&CN cấp cơ sở", "nhiệm vụ", "33", "66,0", ""],
        ["4", "Kinh phí đã giải ngân", "triệu đồng", "6.412", "48,2", ""],
        ["5", "Số tiền xử phạt vi phạm hành chính", "triệu đồng", "", "18,5", "Chưa tổng hợp"],
        ["6", "Số đơn đăng ký sáng chế, giải pháp hữu ích", "đơn", "", "", "Số liệu đến ngày 20/6/2024"],
        ["7", "Số cán bộ nghiên cứu và phát triển", "người", "540", "", ""],
        ["8", "Tỷ lệ giải ngân", "%", "48,2", "", ""],
    ]
    table = Table(
        [[Paragraph(escape(c), st["cell"]) for c in r] for r in rows],  # type: ignore[arg-type]
        colWidths=[28, 170, 60, 55, 40, 110],
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [
        Paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH BẾN TRE", st["title"]),  # type: ignore[arg-type]
        Paragraph("SỐ LIỆU KH&amp;CN 6 THÁNG ĐẦU NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="So lieu Ben Tre").build(story)
    return {
        "TASKS_NATIONAL": D(1),
        "TASKS_PROVINCIAL": D(16),
        "TASKS_GRASSROOTS": D(33),
        "BUDGET_DISBURSED": D(6412),
        "RD_STAFF": D(540),
        "DISBURSEMENT_RATE": D("48.2"),
    }


# --- free text followed by the closing block -----------------------------------------------


def _h06_docx_closing_table(path: Path) -> dict[str, Value]:
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Quảng Ngãi", "540/BC-SKHCN", "ngày 18 tháng 12 năm 2024", "Tổng kết hoạt động KH&CN năm 2024"
    )
    p1 = (
        "Đề nghị Bộ Khoa học và Công nghệ xem xét, bố trí kinh phí đối ứng cho các dự án thuộc Chương trình "
        "nông thôn miền núi triển khai tại các huyện phía Tây tỉnh."
    )
    p2 = "Đề nghị Bộ sớm hướng dẫn việc đánh giá trình độ công nghệ sản xuất cấp tỉnh theo bộ chỉ số mới."
    for text in (
        "I. KẾT QUẢ",
        "Năm 2024, Sở đã triển khai 26 nhiệm vụ KH&CN cấp tỉnh; đã ký kết 6 hợp đồng chuyển giao công nghệ "
        "và thực hiện 7 cuộc thanh tra, kiểm tra.",
        "II. TỒN TẠI, HẠN CHẾ",
        "Việc thương mại hóa kết quả nghiên cứu còn chậm.",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        p1,
        p2,
    ):
        doc.add_paragraph(text)
    _docx_signature_table(
        doc,
        ["- Bộ KH&CN (để b/c);", "- UBND tỉnh (để b/c);", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, QLKH."],
        ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "(đã ký)", "", "Lê Văn Hùng"],
    )
    doc.save(path)
    return {
        "TASKS_PROVINCIAL": D(26),
        "TECH_TRANSFER": D(6),
        "INSPECTIONS": D(7),
        "PROPOSALS": f"{p1}\n{p2}",
    }


def _h07_docx_closing_paragraphs(path: Path) -> dict[str, Value]:
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Lạng Sơn", "128/BC-SKHCN", "ngày 08 tháng 7 năm 2024", "Hoạt động KH&CN 6 tháng đầu năm 2024"
    )
    proposal = (
        "Kiến nghị Bộ Khoa học và Công nghệ ưu tiên đặt hàng nhiệm vụ cấp quốc gia về bảo tồn và phát triển "
        "nguồn gen cây hồi, cây quế của tỉnh."
    )
    for text in (
        "1. Kết quả chủ yếu",
        "Sở đang quản lý 2 nhiệm vụ cấp quốc gia và 20 nhiệm vụ cấp tỉnh. Có 8 doanh nghiệp KH&CN.",
        "2. Kiến nghị, đề xuất",
        proposal,
        "Trên đây là báo cáo kết quả hoạt động KH&CN 6 tháng đầu năm 2024 của Sở Khoa học và Công nghệ "
        "tỉnh Lạng Sơn./.",
        "GIÁM ĐỐC",
        "(Đã ký và đóng dấu)",
        "Vi Văn Thắng",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
    ):
        doc.add_paragraph(text)
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(2),
        "TASKS_PROVINCIAL": D(20),
        "ENTERPRISES": D(8),
        "PROPOSALS": proposal,
    }


def _h08_pdf_closing(path: Path) -> dict[str, Value]:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    proposal = (
        "Đề nghị Bộ Khoa học và Công nghệ hỗ trợ tỉnh Vĩnh Long nâng cấp Trung tâm Kỹ thuật Tiêu chuẩn Đo "
        "lường Chất lượng để đáp ứng nhu cầu thử nghiệm của doanh nghiệp."
    )
    left = ["Nơi nhận:", "- Bộ KH&CN (b/c);", "- UBND tỉnh (b/c);", "- Lưu: VT, VP."]
    right = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Nguyễn Thanh Bình"]
    closing = Table(
        [
            [
                Paragraph("<br/>".join(escape(x) for x in left), st["cell"]),  # type: ignore[arg-type]
                Paragraph("<br/>".join(escape(x) for x in right), st["title"]),  # type: ignore[arg-type]
            ]
        ],
        colWidths=[220, 220],
    )
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        Paragraph("UBND TỈNH VĨNH LONG - SỞ KHOA HỌC VÀ CÔNG NGHỆ", st["title"]),  # type: ignore[arg-type]
        Paragraph("BÁO CÁO KẾT QUẢ HOẠT ĐỘNG KH&amp;CN NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Paragraph(
            "Trong năm, Sở đã tổ chức nghiệm thu 10 nhiệm vụ và hướng dẫn nộp 13 đơn đăng ký sáng chế, "
            "giải pháp hữu ích. Tổng kinh phí đã giải ngân là 16.205 triệu đồng.",
            st["body"],  # type: ignore[arg-type]
        ),
        Paragraph("Kiến nghị, đề xuất:", st["body"]),  # type: ignore[arg-type]
        Paragraph(escape(proposal), st["body"]),  # type: ignore[arg-type]
        Spacer(1, 12),
        closing,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Bao cao Vinh Long").build(story)
    return {
        "TASKS_ACCEPTED": D(10),
        "PATENT_APPS": D(13),
        "BUDGET_DISBURSED": D(16205),
        "PROPOSALS": proposal,
    }


# --- long labels wrapped in PDF tables -------------------------------------------------------


def _h09_pdf_wrapped_ruled(path: Path) -> dict[str, Value]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["TT", "Tên chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024"],
        ["1", "Số nhiệm vụ khoa học và công nghệ cấp quốc gia do tỉnh chủ trì hoặc phối hợp thực hiện", "nhiệm vụ", "3", "2"],
        ["2", "Số nhiệm vụ khoa học và công nghệ cấp tỉnh đang triển khai thực hiện trong năm", "nhiệm vụ", "25", "23"],
        ["3", "Số nhiệm vụ khoa học và công nghệ cấp cơ sở được phê duyệt và triển khai", "nhiệm vụ", "50", "47"],
        ["4", "Tổng kinh phí sự nghiệp khoa học và công nghệ được giao trong dự toán năm 2024", "triệu đồng", "26.350", "26.350"],
        ["5", "Kinh phí sự nghiệp khoa học và công nghệ đã giải ngân đến thời điểm báo cáo", "triệu đồng", "26.350", "20.118,4"],
        ["6", "Tỷ lệ giải ngân kinh phí sự nghiệp khoa học và công nghệ so với dự toán được giao", "%", "100", "76,4"],
        ["7", "Số doanh nghiệp khoa học và công nghệ được cấp giấy chứng nhận trên địa bàn tỉnh", "doanh nghiệp", "8", "7"],
        ["8", "Số hợp đồng chuyển giao công nghệ được ký kết giữa tổ chức khoa học và doanh nghiệp", "hợp đồng", "6", "5"],
    ]
    table = Table(
        [[Paragraph(escape(c), st["cell"]) for c in r] for r in rows],  # type: ignore[arg-type]
        colWidths=[24, 120, 58, 62, 62],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    story = [
        Paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH GIA LAI", st["title"]),  # type: ignore[arg-type]
        Paragraph("BIỂU KẾT QUẢ THỰC HIỆN CHỈ TIÊU KH&amp;CN NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Bieu Gia Lai").build(story)
    return {
        "TASKS_NATIONAL": D(2),
        "TASKS_PROVINCIAL": D(23),
        "TASKS_GRASSROOTS": D(47),
        "BUDGET_ALLOCATED": D(26350),
        "BUDGET_DISBURSED": D("20118.4"),
        "DISBURSEMENT_RATE": D("76.4"),
        "ENTERPRISES": D(7),
        "TECH_TRANSFER": D(5),
    }


def _h10_pdf_wrapped_breaks(path: Path) -> dict[str, Value]:
    """Labels broken by hand (Alt+Enter in Excel, then printed to PDF); first lines alike."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["STT", "Nội dung", "Đơn vị", "Kết quả"],
        ["1", "Số nhiệm vụ KH&CN\ncấp tỉnh đang\nthực hiện", "nhiệm vụ", "12"],
        ["2", "Số nhiệm vụ KH&CN\nđã được đánh giá,\nnghiệm thu", "nhiệm vụ", "4"],
        ["3", "Kinh phí sự nghiệp KH&CN\nđược giao", "triệu đồng", "8.900"],
        ["4", "Kinh phí sự nghiệp KH&CN\nđã giải ngân", "triệu đồng", "3.115"],
        ["5", "Số đơn đăng ký sáng chế,\ngiải pháp hữu ích", "đơn", "6"],
        ["6", "Số cuộc thanh tra,\nkiểm tra chuyên ngành", "cuộc", "3"],
        ["7", "Số tiền xử phạt vi phạm\nhành chính", "triệu đồng", "21"],
    ]
    table = Table(rows, colWidths=[30, 150, 70, 70])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    story = [
        Paragraph("SỞ KH&amp;CN TỈNH HẬU GIANG", st["title"]),  # type: ignore[arg-type]
        Paragraph("KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Ket qua Hau Giang").build(story)
    return {
        "TASKS_PROVINCIAL": D(12),
        "TASKS_ACCEPTED": D(4),
        "BUDGET_ALLOCATED": D(8900),
        "BUDGET_DISBURSED": D(3115),
        "PATENT_APPS": D(6),
        "INSPECTIONS": D(3),
        "FINES": D(21),
    }


# --- abbreviations -----------------------------------------------------------------------------


def _h11_xlsx_abbreviations(path: Path) -> dict[str, Value]:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "BC nhanh"
    ws["A1"] = "SỞ KH&CN YÊN BÁI - BC NHANH QUÝ III/2024"
    ws.append(["TT", "Nội dung", "ĐVT", "SL"])
    for row in (
        [1, "Số NV KH&CN cấp TW", "NV", 1],
        [2, "Số ĐT, DA cấp tỉnh", "NV", 13],
        [3, "Số NV cấp CS", "NV", 25],
        [4, "NV đã NT", "NV", 6],
        [5, "KP SN KH&CN được giao", "tr.đ", "7.450"],
        [6, "KP đã GN", "tr.đ", "2.980"],
        [7, "TL GN", "%", 40],
        [8, "SL DN KH&CN", "DN", 3],
        [9, "SL HĐ CGCN", "HĐ", 2],
        [10, "SL cuộc TT, KT", "cuộc", 4],
        [11, "Tiền XP VPHC", "tr.đ", "9,5"],
        [12, "Mức độ HT KH năm", None, "Hoàn thành"],
    ):
        ws.append(row)
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(1),
        "TASKS_PROVINCIAL": D(13),
        "TASKS_GRASSROOTS": D(25),
        "TASKS_ACCEPTED": D(6),
        "BUDGET_ALLOCATED": D(7450),
        "BUDGET_DISBURSED": D(2980),
        "DISBURSEMENT_RATE": D(40),
        "ENTERPRISES": D(3),
        "TECH_TRANSFER": D(2),
        "INSPECTIONS": D(4),
        "FINES": D("9.5"),
        "PLAN_STATUS": "Hoàn thành",
    }


def _h12_docx_abbreviations(path: Path) -> dict[str, Value]:
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Trà Vinh", "77/BC-SKHCN", "ngày 03 tháng 7 năm 2024", "Số liệu KH&CN 6 tháng đầu năm 2024"
    )
    _docx_grid(
        doc,
        [
            ["Chỉ tiêu", "SL"],
            ["NV KHCN cấp QG", "2"],
            ["NV KHCN cấp tỉnh", "19"],
            ["NV cấp CS", "31"],
            ["SL NV nghiệm thu", "8"],
            ["KP giao (triệu đ)", "12.300"],
            ["KP GN (triệu đ)", "6.027"],
            ["TL chi NSĐP cho KH&CN (%)", "0,7"],
            ["DN KH&CN", "4"],
            ["Đơn SC/GPHI", "9"],
            ["HĐ CGCN", "1"],
            ["Nhân lực NC&PT (người)", "610"],
        ],
    )
    proposal = "Đề nghị Bộ hỗ trợ tỉnh xây dựng sàn giao dịch công nghệ vùng đồng bằng sông Cửu Long."
    doc.add_paragraph(f"Kiến nghị: {proposal}")
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("- Bộ KH&CN;")
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(2),
        "TASKS_PROVINCIAL": D(19),
        "TASKS_GRASSROOTS": D(31),
        "TASKS_ACCEPTED": D(8),
        "BUDGET_ALLOCATED": D(12300),
        "BUDGET_DISBURSED": D(6027),
        "SPENDING_SHARE": D("0.7"),
        "ENTERPRISES": D(4),
        "PATENT_APPS": D(9),
        "TECH_TRANSFER": D(1),
        "RD_STAFF": D(610),
        "PROPOSALS": proposal,
    }


# --- mixed --------------------------------------------------------------------------------------


def _h13_xlsx_mixed(path: Path) -> dict[str, Value]:
    """Percent column first, then the value, then an abbreviated label."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "TH"
    ws["A1"] = "SỞ KH&CN ĐẮK NÔNG - TỔNG HỢP 9 THÁNG 2024"
    ws.append(["Tỷ lệ (%)", "SL", "Chỉ tiêu"])
    for row in (
        ["12,5", 2, "NV cấp QG"],
        ["87,5", 14, "NV cấp tỉnh"],
        [None, 5, "NV đã nghiệm thu"],
        [100, 9600, "KP SN KH&CN giao (tr.đ)"],
        [None, 4281.6, "KP đã giải ngân (tr.đ)"],
        [None, "44,6", "TL giải ngân (%)"],
        [None, 2, "DN KH&CN"],
        [None, "-", "SL HĐ CGCN"],
        [None, "15/10/2024", "Ngày gửi báo cáo"],
    ):
        ws.append(row)
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(2),
        "TASKS_PROVINCIAL": D(14),
        "TASKS_ACCEPTED": D(5),
        "BUDGET_ALLOCATED": D(9600),
        "BUDGET_DISBURSED": D("4281.6"),
        "DISBURSEMENT_RATE": D("44.6"),
        "ENTERPRISES": D(2),
    }


def _h14_docx_mixed(path: Path) -> dict[str, Value]:
    """Abbreviations and a percent column in a table, then a proposal and the signature block."""
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Hưng Yên", "402/BC-SKHCN", "ngày 25 tháng 9 năm 2024", "Báo cáo nhanh kết quả 9 tháng năm 2024"
    )
    _docx_grid(
        doc,
        [
            ["Nội dung", "ĐVT", "SL", "Tỷ lệ %"],
            ["NV cấp tỉnh", "NV", "17", "-"],
            ["NV cấp CS", "NV", "40", "-"],
            ["KP được giao", "tr.đ", "11.000", "100"],
            ["KP đã GN", "tr.đ", "7.150", "65"],
            ["DN KH&CN", "DN", "6", "120"],
            ["TT, KT", "cuộc", "6", "-"],
            ["XP VPHC", "tr.đ", "-", "-"],
        ],
    )
    proposal = (
        "Đề nghị Bộ KH&CN tổ chức tập huấn về quản lý tài sản trí tuệ cho cán bộ các sở, ngành của tỉnh."
    )
    doc.add_paragraph("Kiến nghị, đề xuất")
    doc.add_paragraph(proposal)
    _docx_signature_table(
        doc, ["- Như trên;", "- Lưu: VT, KHTC."], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Đỗ Minh Tuấn"]
    )
    doc.save(path)
    return {
        "TASKS_PROVINCIAL": D(17),
        "TASKS_GRASSROOTS": D(40),
        "BUDGET_ALLOCATED": D(11000),
        "BUDGET_DISBURSED": D(7150),
        "ENTERPRISES": D(6),
        "INSPECTIONS": D(6),
        "PROPOSALS": proposal,
    }


def _h15_pdf_mixed(path: Path) -> dict[str, Value]:
    """Wrapped, abbreviated labels with a decision number and date inside, a percent column."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()
    rows = [
        ["TT", "Chỉ tiêu", "Thực hiện", "Tỷ lệ (%) so KH"],
        ["1", "Số NV KH&CN cấp quốc gia do tỉnh quản lý và phối hợp thực hiện (NV)", "1", "50"],
        ["2", "Số NV KH&CN cấp tỉnh đang triển khai, kể cả NV chuyển tiếp (NV)", "15", "93,8"],
        ["3", "KP SN KH&CN được giao theo QĐ số 2150/QĐ-UBND ngày 12/12/2023 (tr.đ)", "10.400", "100"],
        ["4", "KP đã GN lũy kế đến hết quý III (tr.đ)", "6.864", "66"],
        ["5", "TL chi NS địa phương cho KH&CN (%)", "0,58", "-"],
        ["6", "SL đơn đăng ký SC, GPHI của tổ chức, cá nhân trong tỉnh (đơn)", "4", "80"],
    ]
    table = Table(
        [[Paragraph(escape(c), st["cell"]) for c in r] for r in rows],  # type: ignore[arg-type]
        colWidths=[24, 130, 60, 70],
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    story = [
        Paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH CAO BẰNG", st["title"]),  # type: ignore[arg-type]
        Paragraph("KẾT QUẢ 9 THÁNG NĂM 2024", st["title"]),  # type: ignore[arg-type]
        Spacer(1, 8),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Ket qua Cao Bang").build(story)
    return {
        "TASKS_NATIONAL": D(1),
        "TASKS_PROVINCIAL": D(15),
        "BUDGET_ALLOCATED": D(10400),
        "BUDGET_DISBURSED": D(6864),
        "SPENDING_SHARE": D("0.58"),
        "PATENT_APPS": D(4),
    }


# --- clean: existing shapes, new wording ------------------------------------------------------


def _h16_xlsx_clean(path: Path) -> dict[str, Value]:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    ws["A1"] = "KẾT QUẢ HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ NĂM 2024 - TỈNH QUẢNG BÌNH"
    ws.append([])
    ws.append(["STT", "Tên chỉ tiêu", "Đơn vị tính", "Kết quả"])
    for row in (
        [1, "Số nhiệm vụ KH&CN cấp quốc gia", "nhiệm vụ", 5],
        [2, "Số nhiệm vụ KH&CN cấp tỉnh", "nhiệm vụ", 30],
        [3, "Số nhiệm vụ KH&CN cấp cơ sở", "nhiệm vụ", 52],
        [4, "Số nhiệm vụ đã nghiệm thu", "nhiệm vụ", 17],
        [5, "Tổng kinh phí sự nghiệp KH&CN được giao", "triệu đồng", 20150],
        [6, "Kinh phí đã giải ngân", "triệu đồng", 18733.2],
        [7, "Tỷ lệ giải ngân", "%", 93],
        [8, "Số hợp đồng chuyển giao công nghệ", "hợp đồng", 9],
        [9, "Nhân lực nghiên cứu và phát triển", "người", 725],
        [10, "Số cuộc thanh tra, kiểm tra", "cuộc", 11],
        [11, "Mức độ hoàn thành kế hoạch năm", None, "Vượt kế hoạch"],
    ):
        ws.append(row)
    wb.save(path)
    return {
        "TASKS_NATIONAL": D(5),
        "TASKS_PROVINCIAL": D(30),
        "TASKS_GRASSROOTS": D(52),
        "TASKS_ACCEPTED": D(17),
        "BUDGET_ALLOCATED": D(20150),
        "BUDGET_DISBURSED": D("18733.2"),
        "DISBURSEMENT_RATE": D(93),
        "TECH_TRANSFER": D(9),
        "RD_STAFF": D(725),
        "INSPECTIONS": D(11),
        "PLAN_STATUS": "Vượt kế hoạch",
    }


def _h17_docx_clean(path: Path) -> dict[str, Value]:
    import docx

    doc = docx.Document()
    _docx_letterhead(
        doc, "Bình Thuận", "260/BC-SKHCN", "ngày 14 tháng 12 năm 2024", "Kết quả hoạt động KH&CN năm 2024"
    )
    proposal = "Đề nghị Bộ Khoa học và Công nghệ hỗ trợ tỉnh phát triển thương hiệu thanh long Bình Thuận."
    for text in (
        "Năm 2024, Sở quản lý 4 nhiệm vụ KH&CN cấp quốc gia và 22 nhiệm vụ KH&CN cấp tỉnh.",
        "Số doanh nghiệp KH&CN trên địa bàn là 12 doanh nghiệp.",
        "Số đơn đăng ký sáng chế, giải pháp hữu ích trong năm là 19 đơn.",
        "Tỷ lệ chi ngân sách cho KH&CN đạt 0,95%.",
        "Kiến nghị, đề xuất:",
        proposal,
        "Nơi nhận:",
        "- Bộ KH&CN;",
        "- Lưu: VT.",
    ):
        doc.add_paragraph(text)
    doc.save(path)
    return {
        "TASKS_NATIONAL": D(4),
        "TASKS_PROVINCIAL": D(22),
        "ENTERPRISES": D(12),
        "PATENT_APPS": D(19),
        "SPENDING_SHARE": D("0.95"),
        "PROPOSALS": proposal,
    }


_BUILDERS: tuple[tuple[str, tuple[str, ...], Callable[[Path], dict[str, Value]]], ...] = (
    ("h01.xlsx", ("value_left",), _h01_xlsx_value_left),
    ("h02.docx", ("value_left",), _h02_docx_value_left),
    ("h03.xlsx", ("percent_column",), _h03_xlsx_percent),
    ("h04.docx", ("percent_column",), _h04_docx_percent),
    ("h05.pdf", ("percent_column",), _h05_pdf_percent),
    ("h06.docx", ("closing_block",), _h06_docx_closing_table),
    ("h07.docx", ("closing_block",), _h07_docx_closing_paragraphs),
    ("h08.pdf", ("closing_block",), _h08_pdf_closing),
    ("h09.pdf", ("wrapped_pdf",), _h09_pdf_wrapped_ruled),
    ("h10.pdf", ("wrapped_pdf",), _h10_pdf_wrapped_breaks),
    ("h11.xlsx", ("abbreviations",), _h11_xlsx_abbreviations),
    ("h12.docx", ("abbreviations",), _h12_docx_abbreviations),
    ("h13.xlsx", ("mixed", "value_left", "percent_column", "abbreviations"), _h13_xlsx_mixed),
    ("h14.docx", ("mixed", "percent_column", "abbreviations", "closing_block"), _h14_docx_mixed),
    ("h15.pdf", ("mixed", "wrapped_pdf", "abbreviations", "percent_column"), _h15_pdf_mixed),
    ("h16.xlsx", ("clean",), _h16_xlsx_clean),
    ("h17.docx", ("clean",), _h17_docx_clean),
)


def build_heldout(directory: Path) -> list[HeldOutFile]:
    """Write every held-out file into ``directory``; return them with their truth and classes.

    The layout shown is the file's classes only, so reports never describe its contents.
    """
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, classes, build in _BUILDERS:
        path = directory / name
        truth = build(path)
        out.append(HeldOutFile(name, path, ", ".join(classes), truth, classes))
    return out


__all__ = ["CLASSES", "INDICATORS", "HeldOutFile", "build_heldout"]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "reporting-heldout")
    for f in build_heldout(target):
        print(f"{f.path}  ({f.layout}; {len(f.truth)} indicators)")
