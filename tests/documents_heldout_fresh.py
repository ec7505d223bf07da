"""A second held-out set for the OCR metadata proposal (issue 17), written on 1 Dec 2026 BEFORE
the third round of tuning of `modules/documents/proposal.py`, and never read by OCR before that
round ends: the first held-out set (`tests/documents_heldout.py`) had been looked at, so its
score is no longer an honest one.

Made by the same renderer (`modules/documents/specimens.py`) as the tuning set, from its own
vocabulary that the tuning set does not use: other ministries and provinces (the 34 of the 2025
reorganisation), other document types of Phụ lục III, subjects, signer titles and names. The
generator is seeded (`SEED`), so the set is the same on every run; `bench/documents.py --ocr
--sets fresh` scans each specimen clean at 300 dpi and rough at 200 dpi (turned, speckled) and
reports them apart from the tuning set and from the first held-out set.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 20261201
COUNT = 20

# (agency lines, issuer's symbol, place of issue, signer titles that fit the agency)
AGENCIES: tuple[tuple[tuple[str, ...], str, str, tuple[tuple[str, ...], ...]], ...] = (
    (("BỘ NGOẠI GIAO",), "BNG", "Hà Nội", (("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"), ("BỘ TRƯỞNG",))),
    (("BỘ CÔNG AN",), "BCA", "Hà Nội", (("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),)),
    (
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH",),
        "BVHTTDL",
        "Hà Nội",
        (("TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"), ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")),
    ),
    (("BỘ DÂN TỘC VÀ TÔN GIÁO",), "BDTTG", "Hà Nội", (("BỘ TRƯỞNG",),)),
    (("THANH TRA CHÍNH PHỦ",), "TTCP", "Hà Nội", (("KT. TỔNG THANH TRA", "PHÓ TỔNG THANH TRA"),)),
    (("NGÂN HÀNG NHÀ NƯỚC", "VIỆT NAM"), "NHNN", "Hà Nội", (("KT. THỐNG ĐỐC", "PHÓ THỐNG ĐỐC"),)),
    (
        ("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"),
        "UBND",
        "Lâm Đồng",
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ),
    (
        ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"),
        "UBND",
        "Cần Thơ",
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),),
    ),
    (
        ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP"),
        "UBND",
        "Đồng Tháp",
        (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),),
    ),
    (
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TỈNH ĐẮK LẮK"),
        "SKHCN",
        "Đắk Lắk",
        (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("GIÁM ĐỐC",)),
    ),
    (
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TỈNH LÀO CAI"),
        "SKHCN",
        "Lào Cai",
        (("GIÁM ĐỐC",),),
    ),
    (
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "CỤC SỞ HỮU TRÍ TUỆ"),
        "SHTT",
        "Hà Nội",
        (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"), ("CỤC TRƯỞNG",)),
    ),
    (
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "VỤ KẾ HOẠCH - TÀI CHÍNH"),
        "KHTC",
        "Hà Nội",
        (("VỤ TRƯỞNG",),),
    ),
)
# (title on the page, abbreviation in the symbol, type code); Công văn twice: the commonest
TYPES = (
    ("CHỈ THỊ", "CT", "chi_thi"),
    ("HƯỚNG DẪN", "HD", "huong_dan"),
    ("CHƯƠNG TRÌNH", "CTr", "chuong_trinh"),
    ("PHƯƠNG ÁN", "PA", "phuong_an"),
    ("ĐỀ ÁN", "ĐA", "de_an"),
    ("BIÊN BẢN", "BB", "bien_ban"),
    ("GIẤY MỜI", "GM", "giay_moi"),
    ("NGHỊ QUYẾT", "NQ", "nghi_quyet"),
    ("QUY CHẾ", "QC", "quy_che"),
    ("QUYẾT ĐỊNH", "QĐ", "quyet_dinh"),
    ("THÔNG BÁO", "TB", "thong_bao"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
)
UNITS = ("VP", "TH", "KGVX", "TCCB", "PC", "HTQT")  # a Công văn's drafting unit in its symbol
SUBJECTS = (
    "Về việc tổ chức tuần lễ khoa học và công nghệ năm {y}",
    "Hướng dẫn xây dựng dự toán ngân sách nhà nước năm {y}",
    "Tăng cường bảo vệ quyền sở hữu trí tuệ đối với sáng chế và nhãn hiệu",
    "Về việc rà soát, cập nhật cơ sở dữ liệu quốc gia về khoa học và công nghệ",
    "Thực hiện chuyển đổi số trong hoạt động kiểm tra, thanh tra chuyên ngành",
    "Quy định về quản lý và sử dụng chữ ký số trong cơ quan nhà nước",
    "Về việc đăng ký tham gia chương trình phát triển thị trường công nghệ",
    "Phòng, chống thiên tai và tìm kiếm cứu nạn trong mùa mưa bão năm {y}",
    "Về việc góp ý dự thảo Luật Chuyển giao công nghệ (sửa đổi)",
    "Kiện toàn Hội đồng thi đua, khen thưởng của cơ quan",
)
BODIES = (
    "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo ngày 27 tháng 6 năm 2025; "
    "Xét đề nghị của Chánh Văn phòng.",
    "Để triển khai có hiệu quả các nhiệm vụ được giao, cơ quan đề nghị các đơn vị phối hợp thực hiện "
    "và báo cáo kết quả trước ngày 15 của tháng cuối quý.",
    "Thực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ, cơ quan thông báo nội dung như sau.",
)
FAMILY = ("Trịnh", "Lý", "Mai", "Cao", "Dương", "Hồ", "Phan", "Võ", "Huỳnh", "Tạ")
MIDDLE = ("Bá", "Công", "Xuân", "Thu", "Mỹ", "Kim", "Trọng", "Hoài")
GIVEN = ("Sơn", "Tùng", "Nga", "Thảo", "Việt", "Hiếu", "Trang", "Long", "Quyên", "Đạt", "Oanh", "Kiên")


def fresh_heldout(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` specimens in the shape `specimens.render_pdf` draws, seeded: the same on every run."""
    rng = random.Random(seed)
    specs = []
    for _ in range(count):
        agency, symbol, place, titles = rng.choice(AGENCIES)
        title, abbr, code = rng.choice(TYPES)
        date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        number = f"{rng.randint(1, 3200):02d}"
        subject = rng.choice(SUBJECTS).format(y=date.year + 1)
        if title:
            number_symbol = f"{number}/{abbr}-{symbol}"
        else:
            number_symbol = f"{number}/{symbol}-{rng.choice(UNITS)}"
            subject = "V/v " + subject.removeprefix("Về việc ").removeprefix("về việc ")
            subject = subject[:4] + subject[4].lower() + subject[5:]
        specs.append(
            {
                "agency": agency,
                "number_symbol": number_symbol,
                "place": place,
                "date": date,
                "type_title": title,
                "subject": subject,
                "body": rng.choice(BODIES),
                "signer_title": rng.choice(titles),
                "signer": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                "expected_type": code,
            }
        )
    return specs
