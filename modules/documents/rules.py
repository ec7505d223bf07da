"""Decree 30/2020/NĐ-CP rules for documents (domain.md §5), as plain data and functions.

Nothing here touches the database: the hooks and the routing service call these.
"""

from __future__ import annotations

import datetime as dt
import re

from modules.engine import search, workdays

# Art. 7 and Phụ lục III: the 29 types and their abbreviations ("" for Công văn and Thư công,
# which carry no type abbreviation in their symbol).
DOCUMENT_TYPES: tuple[tuple[str, str, str, str], ...] = (
    # (code, abbreviation, Vietnamese name, English name)
    ("nghi_quyet", "NQ", "Nghị quyết (cá biệt)", "Resolution"),
    ("quyet_dinh", "QĐ", "Quyết định (cá biệt)", "Decision"),
    ("chi_thi", "CT", "Chỉ thị", "Directive"),
    ("quy_che", "QC", "Quy chế", "Regulation"),
    ("quy_dinh", "QyĐ", "Quy định", "Rules"),
    ("thong_cao", "TC", "Thông cáo", "Communiqué"),
    ("thong_bao", "TB", "Thông báo", "Notice"),
    ("huong_dan", "HD", "Hướng dẫn", "Guidance"),
    ("chuong_trinh", "CTr", "Chương trình", "Programme"),
    ("ke_hoach", "KH", "Kế hoạch", "Plan"),
    ("phuong_an", "PA", "Phương án", "Scheme"),
    ("de_an", "ĐA", "Đề án", "Project proposal"),
    ("du_an", "DA", "Dự án", "Project"),
    ("bao_cao", "BC", "Báo cáo", "Report"),
    ("bien_ban", "BB", "Biên bản", "Minutes"),
    ("to_trinh", "TTr", "Tờ trình", "Submission"),
    ("hop_dong", "HĐ", "Hợp đồng", "Contract"),
    ("cong_dien", "CĐ", "Công điện", "Telegram"),
    ("ban_ghi_nho", "BGN", "Bản ghi nhớ", "Memorandum"),
    ("ban_thoa_thuan", "BTT", "Bản thỏa thuận", "Agreement"),
    ("giay_uy_quyen", "GUQ", "Giấy ủy quyền", "Power of attorney"),
    ("giay_moi", "GM", "Giấy mời", "Invitation"),
    ("giay_gioi_thieu", "GGT", "Giấy giới thiệu", "Letter of introduction"),
    ("giay_nghi_phep", "GNP", "Giấy nghỉ phép", "Leave permit"),
    ("phieu_gui", "PG", "Phiếu gửi", "Dispatch slip"),
    ("phieu_chuyen", "PC", "Phiếu chuyển", "Transfer slip"),
    ("phieu_bao", "PB", "Phiếu báo", "Advice slip"),
    ("cong_van", "", "Công văn", "Official letter"),
    ("thu_cong", "", "Thư công", "Public letter"),
)
TYPE_CHOICES = tuple((code, vi, en) for code, _abbr, vi, en in DOCUMENT_TYPES)
ABBREVIATIONS = {code: abbr for code, abbr, _vi, _en in DOCUMENT_TYPES}

# Urgency (độ khẩn) and confidentiality (độ mật), §5: urgent and secret documents are flagged.
URGENCY = (
    ("normal", "Thường", "Normal"),
    ("khan", "Khẩn", "Urgent"),
    ("thuong_khan", "Thượng khẩn", "Very urgent"),
    ("hoa_toc", "Hỏa tốc", "Flash"),
)
URGENT = ("khan", "thuong_khan", "hoa_toc")
CONFIDENTIALITY = (
    ("normal", "Thường", "Not classified"),
    ("mat", "Mật", "Confidential"),
    ("toi_mat", "Tối mật", "Secret"),
    ("tuyet_mat", "Tuyệt mật", "Top secret"),
)
CHANNELS = (
    ("paper", "Văn bản giấy (bản quét)", "Paper (scanned)"),
    ("electronic", "Văn bản điện tử", "Electronic"),
)
STEP_KINDS = (
    ("propose", "Văn phòng đề xuất", "Office proposal"),
    ("direct", "Lãnh đạo chỉ đạo", "Leader's direction"),
    ("assign", "Lãnh đạo đơn vị giao xử lý", "Unit head assigns"),
    ("finish", "Hoàn thành xử lý", "Handling finished"),
)

SPACES = re.compile(r"\s+")


def number_symbol(seq: int, doc_type: str, agency: str, drafting_unit: str = "") -> str:
    """The legal form of number and symbol (Art. 15, domain.md §5).

    Numbers start at 01 with a leading zero below 10; "/" between number and symbol, "-"
    between symbol groups, no spaces: `15/QĐ-BKHCN`; a Công văn (no type abbreviation)
    carries the issuer and the drafting unit: `05/BKHCN-VP`.
    """
    abbreviation = ABBREVIATIONS.get(doc_type, "")
    groups = [abbreviation, agency] if abbreviation else [agency, drafting_unit]
    symbol = "-".join(g.replace(" ", "") for g in groups if g)
    return f"{seq:02d}/{symbol}"


def duplicate_key(issuer: str, number_symbol_text: str) -> str:
    """Number, symbol and issuer as one comparable key (§5 system duty: warn on a duplicate).

    Case, diacritics ("đ" too), spaces and a leading "Số:" or zeros of the number do not
    make two registrations of one document different.
    """
    text = SPACES.sub("", search.fold(number_symbol_text))
    text = re.sub(r"^so:?", "", text)
    number, _, symbol = text.partition("/")
    number = number.lstrip("0") or "0"
    return f"{SPACES.sub(' ', search.fold(issuer)).strip()}|{number}/{symbol}"


def register_by(arrival: dt.date) -> dt.date:
    """Art. 22 (domain.md §5, incoming timing): registered the day it arrives, at the latest
    the next working day (the calendar module's working days)."""
    return workdays.add_working_days(arrival, 1)
