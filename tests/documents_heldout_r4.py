"""A fourth held-out set for the OCR metadata proposal (issue 17), written on 2 Dec 2026 (01:00 UTC)
BEFORE the fifth round of tuning of `modules/documents/proposal.py`, and not read by OCR before that
round ends. The three earlier sets (`tests/documents_heldout.py`, `documents_heldout_fresh.py`,
`documents_heldout_r3.py`) were run and fixed against: they are seen sets now.

Made by the same renderer (`modules/documents/specimens.py`) from a vocabulary that no tuning set and
no seen set uses, as real Vietnamese agencies head their documents: other ministries' departments
under their ministry's line, other provinces' departments under their people's committee, wards,
communes and a special zone with other names, state corporations, an association, a court and a
procuracy, research institutes, the State Audit. The types add the one of Phụ lục III no set has
used (Phiếu gửi); signers' names are drawn from family, middle and given names no other set uses.
Seeded (`SEED`): the same on every run. `bench/documents.py --ocr --sets r4` scans each specimen clean
at 300 dpi and rough at 200 dpi.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 20261203
COUNT = 20

# (agency lines, top to bottom; issuer's symbol; place of issue; signer titles that fit the agency)
AGENCIES: tuple[tuple[tuple[str, ...], str, str, tuple[tuple[str, ...], ...]], ...] = (
    (("BỘ TƯ PHÁP", "CỤC QUẢN LÝ THI HÀNH ÁN DÂN SỰ"), "QLTHADS", "Hà Nội", (("CỤC TRƯỞNG",),)),
    (("BỘ CÔNG THƯƠNG", "CỤC ĐIỆN LỰC"), "ĐL", "Hà Nội", (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),)),
    (("BỘ XÂY DỰNG", "CỤC ĐƯỜNG BỘ VIỆT NAM"), "CĐBVN", "Hà Nội", (("CỤC TRƯỞNG",),)),
    (("BỘ NỘI VỤ", "CỤC VIỆC LÀM"), "CVL", "Hà Nội", (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),)),
    (("BỘ TÀI CHÍNH", "BẢO HIỂM XÃ HỘI VIỆT NAM"), "BHXH", "Hà Nội", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (("KIỂM TOÁN NHÀ NƯỚC",), "KTNN", "Hà Nội", (("KT. TỔNG KIỂM TOÁN", "PHÓ TỔNG KIỂM TOÁN"),)),
    (("TÒA ÁN NHÂN DÂN TỐI CAO",), "TANDTC", "Hà Nội", (("KT. CHÁNH ÁN", "PHÓ CHÁNH ÁN"),)),
    (("VIỆN KIỂM SÁT NHÂN DÂN", "TỈNH KHÁNH HÒA"), "VKSND", "Khánh Hòa", (("VIỆN TRƯỞNG",),)),
    (("ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH"), "UBND", "Ninh Bình", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (("UBND TỈNH HƯNG YÊN", "SỞ TÀI CHÍNH"), "STC", "Hưng Yên", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "SỞ NỘI VỤ"), "SNV", "Thái Nguyên", (("GIÁM ĐỐC",),)),
    (("UBND THÀNH PHỐ HÀ NỘI", "SỞ Y TẾ"), "SYT", "Hà Nội", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (
        ("ỦY BAN NHÂN DÂN", "PHƯỜNG SÀI GÒN"),
        "UBND",
        "Thành phố Hồ Chí Minh",
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),),
    ),
    (("ỦY BAN NHÂN DÂN", "XÃ HƯƠNG SƠN"), "UBND", "Hương Sơn", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (("ỦY BAN NHÂN DÂN", "ĐẶC KHU PHÚ QUỐC"), "UBND", "Phú Quốc", (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),)),
    (("TỔNG CÔNG TY", "ĐƯỜNG SẮT VIỆT NAM"), "ĐSVN", "Hà Nội", (("TỔNG GIÁM ĐỐC",),)),
    (("TẬP ĐOÀN", "HÓA CHẤT VIỆT NAM"), "HCVN", "Hà Nội", (("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),)),
    (("LIÊN HIỆP CÁC HỘI", "KHOA HỌC VÀ KỸ THUẬT VIỆT NAM"), "LHHVN", "Hà Nội", (("CHỦ TỊCH",),)),
    (
        ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "VIỆN KHOA HỌC THỦY LỢI VIỆT NAM"),
        "VKHTLVN",
        "Hà Nội",
        (("VIỆN TRƯỞNG",),),
    ),
    (
        ("BỘ Y TẾ", "VIỆN VỆ SINH DỊCH TỄ TRUNG ƯƠNG"),
        "VSDTTƯ",
        "Hà Nội",
        (("KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"),),
    ),
)
# (title on the page, abbreviation in the symbol, type code); Công văn twice: the commonest.
# Phiếu gửi is the type of Phụ lục III no other set has; the others recur, in new agencies' hands
TYPES = (
    ("PHIẾU GỬI", "PG", "phieu_gui"),
    ("QUYẾT ĐỊNH", "QĐ", "quyet_dinh"),
    ("THÔNG BÁO", "TB", "thong_bao"),
    ("KẾ HOẠCH", "KH", "ke_hoach"),
    ("TỜ TRÌNH", "TTr", "to_trinh"),
    ("HƯỚNG DẪN", "HD", "huong_dan"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
)
UNITS = ("NV", "TCKT", "QLDA", "KSTT", "PCTT", "CNTT")  # a Công văn's drafting unit in its symbol
SUBJECTS = (
    "Về việc đôn đốc thi hành án dân sự đối với các khoản thu hồi cho Nhà nước",
    "Bảo trì, sửa chữa cầu yếu trên các tuyến quốc lộ năm {y}",
    "Về việc thu, nộp bảo hiểm xã hội bắt buộc của người lao động",
    "Kiểm toán ngân sách địa phương và các chương trình mục tiêu năm {y}",
    "Về việc phòng, chống dịch sốt xuất huyết trong mùa mưa",
    "Tổ chức phiên chợ việc làm cho thanh niên khu vực nông thôn",
    "Về việc vận hành hồ chứa thủy lợi bảo đảm an toàn hạ du",
    "Cung ứng điện an toàn, ổn định trong dịp Tết Nguyên đán",
    "Về việc chỉnh trang vỉa hè, chiếu sáng công cộng trên địa bàn",
    "Tập huấn nghiệp vụ kiểm sát việc giải quyết các vụ án hành chính",
)
BODIES = (
    "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025; "
    "Xét đề nghị của Trưởng ban Tổ chức cán bộ.",
    "Để bảo đảm thời hạn đã đặt ra, đề nghị các phòng, ban và đơn vị trực thuộc khẩn trương thực hiện "
    "và phản hồi trước ngày 10 của tháng sau.",
    "Trên cơ sở kết quả rà soát, đơn vị thông báo một số nội dung cần lưu ý như sau.",
)
FAMILY = ("Giáp", "Hứa", "Lục", "Phùng", "Nông", "Đàm", "Doãn", "La", "Ông", "Bạch")
MIDDLE = ("Tất", "Nhật", "Phước", "Cẩm", "Thùy", "Lệ", "Hiền", "Chí")
GIVEN = ("Thắng", "Quyết", "Nghĩa", "Sang", "Mạnh", "Thoa", "Uyên", "Tuyết", "Dung", "Hiệp", "Thiện", "Linh")


def heldout_r4(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` specimens in the shape `specimens.render_pdf` draws, seeded: the same on every run."""
    rng = random.Random(seed)
    specs = []
    for _ in range(count):
        agency, symbol, place, titles = rng.choice(AGENCIES)
        title, abbr, code = rng.choice(TYPES)
        date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        number = f"{rng.randint(1, 5200):02d}"
        subject = rng.choice(SUBJECTS).format(y=date.year + 1)
        if title:
            number_symbol = f"{number}/{abbr}-{symbol}"
        else:
            number_symbol = f"{number}/{symbol}-{rng.choice(UNITS)}"
            subject = "V/v " + subject.removeprefix("Về việc ")
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
