"""A third held-out set for the OCR metadata proposal (issue 17), written on 1 Dec 2026 (21:20 UTC)
BEFORE the fourth round of tuning of `modules/documents/proposal.py`, and not read by OCR before that
round ends. The second set (`tests/documents_heldout_fresh.py`) was run and its score looked at, so
it is a seen set now, like the first (`tests/documents_heldout.py`).

Made by the same renderer (`modules/documents/specimens.py`) from a vocabulary that no tuning set
and no seen set uses, drawn from how real Vietnamese agencies head their documents: a ministry's
department under its ministry's line, a provincial department under its people's committee (written
out or as "UBND TỈNH"), commune and ward people's committees, a provincial council, state groups and
corporations, a national university, an academy, and a name long enough to break over two lines.
The types include ones of Phụ lục III no set has used yet. Seeded (`SEED`): the same on every run.
`bench/documents.py --ocr --sets r3` scans each specimen clean at 300 dpi and rough at 200 dpi.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 20261202
COUNT = 20

# (agency lines, top to bottom; issuer's symbol; place of issue; signer titles that fit the agency)
AGENCIES: tuple[tuple[tuple[str, ...], str, str, tuple[tuple[str, ...], ...]], ...] = (
    (("BỘ QUỐC PHÒNG",), "BQP", "Hà Nội", (("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),)),
    (("VĂN PHÒNG CHÍNH PHỦ",), "VPCP", "Hà Nội", (("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"),)),
    (("BỘ TÀI CHÍNH", "CỤC THỐNG KÊ"), "CTK", "Hà Nội", (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),)),
    (("BỘ Y TẾ", "CỤC QUẢN LÝ DƯỢC"), "QLD", "Hà Nội", (("CỤC TRƯỞNG",),)),
    (
        ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG TRỊ"),
        "UBND",
        "Quảng Trị",
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),),
    ),
    (("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"), "UBND", "Thành phố Hồ Chí Minh", (("CHỦ TỊCH",),)),
    (
        ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"),
        "SNNMT",
        "An Giang",
        (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),),
    ),
    (("UBND TỈNH BẮC NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"), "SGDĐT", "Bắc Ninh", (("GIÁM ĐỐC",),)),
    (("ỦY BAN NHÂN DÂN", "XÃ ĐẠI ĐỒNG"), "UBND", "Đại Đồng", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (("ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH"), "UBND", "Hà Nội", (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),)),
    (("HỘI ĐỒNG NHÂN DÂN", "TỈNH PHÚ THỌ"), "HĐND", "Phú Thọ", (("TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH"),)),
    (("TẬP ĐOÀN ĐIỆN LỰC", "VIỆT NAM"), "EVN", "Hà Nội", (("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),)),
    (("TỔNG CÔNG TY", "BƯU ĐIỆN VIỆT NAM"), "BĐVN", "Hà Nội", (("TỔNG GIÁM ĐỐC",),)),
    (("ĐẠI HỌC QUỐC GIA HÀ NỘI",), "ĐHQGHN", "Hà Nội", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (("VIỆN HÀN LÂM", "KHOA HỌC XÃ HỘI VIỆT NAM"), "KHXH", "Hà Nội", (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),)),
    (
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "ỦY BAN TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG QUỐC GIA"),
        "TĐC",
        "Hà Nội",
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),),
    ),
    (("ỦY BAN NHÂN DÂN", "TỈNH CAO BẰNG"), "UBND", "Cao Bằng", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
)
# (title on the page, abbreviation in the symbol, type code); Công văn twice: the commonest
TYPES = (
    ("BẢN THỎA THUẬN", "BTT", "ban_thoa_thuan"),
    ("GIẤY NGHỈ PHÉP", "GNP", "giay_nghi_phep"),
    ("PHIẾU CHUYỂN", "PC", "phieu_chuyen"),
    ("PHIẾU BÁO", "PB", "phieu_bao"),
    ("QUYẾT ĐỊNH", "QĐ", "quyet_dinh"),
    ("KẾ HOẠCH", "KH", "ke_hoach"),
    ("BÁO CÁO", "BC", "bao_cao"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
)
UNITS = ("TCHC", "KHĐT", "QLCL", "TTra", "ĐT", "KTNB")  # a Công văn's drafting unit in its symbol
SUBJECTS = (
    "Về việc bố trí vốn đầu tư công trung hạn giai đoạn {y} - {z}",
    "Sắp xếp, tổ chức lại đơn vị sự nghiệp công lập trực thuộc",
    "Về việc điều chỉnh giá dịch vụ khám bệnh, chữa bệnh theo yêu cầu",
    "Kiểm kê đất đai, lập bản đồ hiện trạng sử dụng đất năm {y}",
    "Về việc cấp điện phục vụ sản xuất nông nghiệp vụ Đông Xuân",
    "Bảo đảm an toàn thông tin mạng cho hệ thống thư điện tử công vụ",
    "Tuyển sinh đại học chính quy theo phương thức xét tuyển sớm năm {y}",
    "Về việc hỗ trợ người dân bị ảnh hưởng bởi hạn hán, xâm nhập mặn",
    "Điều tra dân số và nhà ở giữa kỳ năm {y}",
    "Về việc miễn, giảm tiền thuê mặt bằng cho hộ kinh doanh nhỏ lẻ",
)
BODIES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025; "
    "Theo đề nghị của Trưởng phòng Tổng hợp.",
    "Nhằm bảo đảm tiến độ đã đề ra, đơn vị đề nghị các cơ quan liên quan phối hợp triển khai "
    "và gửi kết quả về đầu mối trước ngày 20 hằng tháng.",
    "Sau khi xem xét hồ sơ, đơn vị có ý kiến như sau để các bên thống nhất thực hiện.",
)
FAMILY = ("Đoàn", "Nghiêm", "Khúc", "Triệu", "Lại", "Mạc", "Thân", "Vương", "Hà", "Tăng")
MIDDLE = ("Hồng", "Gia", "Thế", "Đăng", "Bảo", "Quốc", "Diệp", "Khánh")
GIVEN = ("Hạnh", "Tiến", "Vinh", "Nhàn", "Hòa", "Phong", "Cúc", "Trí", "Lộc", "Huệ", "Bích", "Toàn")


def heldout_r3(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` specimens in the shape `specimens.render_pdf` draws, seeded: the same on every run."""
    rng = random.Random(seed)
    specs = []
    for _ in range(count):
        agency, symbol, place, titles = rng.choice(AGENCIES)
        title, abbr, code = rng.choice(TYPES)
        date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        number = f"{rng.randint(1, 4100):02d}"
        subject = rng.choice(SUBJECTS).format(y=date.year + 1, z=date.year + 5)
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
