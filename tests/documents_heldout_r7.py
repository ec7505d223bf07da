"""A seventh held-out set for the OCR metadata proposal (issue 17), written on 2 Dec 2026 (08:20 UTC)
BEFORE the eighth round of tuning, and not read by OCR before that round ends. The six earlier sets
(`tests/documents_heldout.py`, `documents_heldout_fresh.py`, `documents_heldout_r3.py` to `_r6.py`)
were run and looked at: they are seen sets now.

Made by the same renderer (`modules/documents/specimens.py`) from a vocabulary that no tuning set and
no seen set uses, as real Vietnamese agencies head their documents: other ministries' departments
(judicial support, trade promotion, war veterans, cultural heritage, hydro-meteorology, vehicle
registry), the coast guard, a province's economic-zone board and a city's foreign-affairs department,
a ward, a commune and a special zone with other names, a province's delegation to the National
Assembly, a state group and a state corporation, the social-policy bank, the farmers' union, the
military procuracy, an academy and a hospital. Every province's name has been used by some set (the
34 provinces since 2025), so provinces recur under new kinds of agency.

Unlike the earlier sets, NO value repeats across specimens: each of the 20 specimens has its own
agency, its own subject (one that fits the agency, as a real document's would) and its own signer,
whose family, middle and given names are each used once and by no earlier set. Types and drafting
units are drawn (Decree 30 has fewer types than specimens). Seeded (`SEED`): the same on every run.
`bench/documents.py --ocr --sets r7` scans each specimen clean at 300 dpi and rough at 200 dpi.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 20261206
COUNT = 20

# (agency lines, top to bottom; issuer's symbol; place of issue; signer title lines; subject that fits)
AGENCIES: tuple[tuple[tuple[str, ...], str, str, tuple[str, ...], str], ...] = (
    (
        ("BỘ TƯ PHÁP", "CỤC BỔ TRỢ TƯ PHÁP"),
        "BTTP",
        "Hà Nội",
        ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
        "Về việc cấp chứng chỉ hành nghề công chứng, luật sư và đấu giá viên",
    ),
    (
        ("BỘ CÔNG THƯƠNG", "CỤC XÚC TIẾN THƯƠNG MẠI"),
        "XTTM",
        "Hà Nội",
        ("CỤC TRƯỞNG",),
        "Tổ chức gian hàng quốc gia tại hội chợ quốc tế ở châu Âu năm {y}",
    ),
    (
        ("BỘ NỘI VỤ", "CỤC NGƯỜI CÓ CÔNG"),
        "NCC",
        "Hà Nội",
        ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
        "Về việc điều dưỡng người có công và thân nhân liệt sĩ",
    ),
    (
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "CỤC DI SẢN VĂN HÓA"),
        "DSVH",
        "Hà Nội",
        ("CỤC TRƯỞNG",),
        "Trùng tu di tích đình, chùa cổ được xếp hạng cấp quốc gia",
    ),
    (
        ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "CỤC KHÍ TƯỢNG THỦY VĂN"),
        "KTTV",
        "Hà Nội",
        ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
        "Về việc cảnh báo sương muối, rét hại ở vùng núi phía Bắc",
    ),
    (
        ("BỘ XÂY DỰNG", "CỤC ĐĂNG KIỂM VIỆT NAM"),
        "ĐKVN",
        "Hà Nội",
        ("CỤC TRƯỞNG",),
        "Kiểm tra khí thải xe mô tô, xe gắn máy tại các đô thị lớn",
    ),
    (
        ("BỘ QUỐC PHÒNG", "BỘ TƯ LỆNH CẢNH SÁT BIỂN"),
        "CSB",
        "Hà Nội",
        ("TƯ LỆNH",),
        "Về việc ngăn chặn đánh bắt hải sản trái phép ở ngư trường xa bờ",
    ),
    (
        ("UBND TỈNH GIA LAI", "BAN QUẢN LÝ KHU KINH TẾ"),
        "BQLKKT",
        "Gia Lai",
        ("TRƯỞNG BAN",),
        "Thu hút nhà đầu tư thứ cấp vào các khu chế xuất",
    ),
    (
        ("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ NGOẠI VỤ"),
        "SNgV",
        "Hải Phòng",
        ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        "Về việc đón tiếp phái đoàn kết nghĩa sang thăm hữu nghị",
    ),
    (
        ("ỦY BAN NHÂN DÂN", "PHƯỜNG NHA TRANG"),
        "UBND",
        "Khánh Hòa",
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        "Giải tỏa lấn chiếm bờ kè, bãi tắm dọc bờ biển",
    ),
    (
        ("ỦY BAN NHÂN DÂN", "XÃ MÈO VẠC"),
        "UBND",
        "Mèo Vạc",
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        "Về việc trồng rừng phòng hộ, chăm sóc dược liệu dưới tán rừng",
    ),
    (
        ("ỦY BAN NHÂN DÂN", "ĐẶC KHU THỔ CHÂU"),
        "UBND",
        "Thổ Châu",
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        "Lắp đặt hệ thống lọc nước ngọt cho ngư dân trên đảo",
    ),
    (
        ("ĐOÀN ĐẠI BIỂU QUỐC HỘI", "TỈNH QUẢNG NGÃI"),
        "ĐĐBQH",
        "Quảng Ngãi",
        ("TRƯỞNG ĐOÀN",),
        "Về việc tiếp xúc cử tri trước kỳ họp thứ nhất Quốc hội khóa XVI",
    ),
    (
        ("TẬP ĐOÀN CÔNG NGHIỆP", "CAO SU VIỆT NAM"),
        "CSVN",
        "Thành phố Hồ Chí Minh",
        ("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),
        "Tái canh vườn cây cao su già cỗi, năng suất thấp năm {y}",
    ),
    (
        ("TỔNG CÔNG TY", "LƯƠNG THỰC MIỀN BẮC"),
        "LTMB",
        "Hà Nội",
        ("TỔNG GIÁM ĐỐC",),
        "Về việc thu mua tạm trữ thóc gạo vụ Hè Thu",
    ),
    (
        ("NGÂN HÀNG CHÍNH SÁCH XÃ HỘI",),
        "NHCS",
        "Hà Nội",
        ("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),
        "Cho vay vốn ưu đãi hộ nghèo, hộ cận nghèo khởi nghiệp",
    ),
    (
        ("BAN CHẤP HÀNH TRUNG ƯƠNG", "HỘI NÔNG DÂN VIỆT NAM"),
        "HNDTW",
        "Hà Nội",
        ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"),
        "Về việc bình chọn nông dân tiêu biểu và trao giải thưởng Bông lúa vàng",
    ),
    (
        ("VIỆN KIỂM SÁT QUÂN SỰ", "TRUNG ƯƠNG"),
        "VKSQSTW",
        "Hà Nội",
        ("KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"),
        "Trực tiếp kiểm tra nhà tạm giữ, trại tạm giam thuộc quân khu",
    ),
    (
        ("HỌC VIỆN NÔNG NGHIỆP VIỆT NAM",),
        "HVN",
        "Hà Nội",
        ("GIÁM ĐỐC",),
        "Về việc nhân giống lợn bản địa cho hợp tác xã vùng đồi",
    ),
    (
        ("BỘ Y TẾ", "BỆNH VIỆN PHỔI TRUNG ƯƠNG"),
        "BVPTW",
        "Hà Nội",
        ("GIÁM ĐỐC",),
        "Sàng lọc, phát hiện sớm bệnh lao phổi trong trường học",
    ),
)
# Signers: every family, middle and given name used once here and by no earlier set
SIGNERS = (
    "Sử Triều Khang",
    "Tống Nhã Quỳnh",
    "Cầm Vạn Thuận",
    "Khương Thục Nhi",
    "Mông Tấn Kiệt",
    "Lăng Quế Trúc",
    "Nhâm Hiển Vượng",
    "Bành Đoan Hân",
    "Trác Bửu Tín",
    "Chử Tố Diễm",
    "Lạc Chiến Hào",
    "Mã Uyển My",
    "Ôn Khả Thạnh",
    "Viên Ái Duyên",
    "Lữ Hạo Khiêm",
    "Dư Cát Thắm",
    "Thiều Toản Hoan",
    "Ngụy Nghi Luyến",
    "Mạch Tịnh Nhạn",
    "Tiêu Trâm Xoan",
)
# (title on the page, abbreviation in the symbol, type code); Công văn three times: the commonest
TYPES = (
    ("QUYẾT ĐỊNH", "QĐ", "quyet_dinh"),
    ("KẾ HOẠCH", "KH", "ke_hoach"),
    ("THÔNG BÁO", "TB", "thong_bao"),
    ("BÁO CÁO", "BC", "bao_cao"),
    ("TỜ TRÌNH", "TTr", "to_trinh"),
    ("PHƯƠNG ÁN", "PA", "phuong_an"),
    ("CHƯƠNG TRÌNH", "CTr", "chuong_trinh"),
    ("ĐỀ ÁN", "ĐA", "de_an"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
)
UNITS = ("NVTH", "QLTT", "PCCC", "XTĐT", "TCDN", "HTKT")  # a Công văn's drafting unit in its symbol
BODIES = (
    "Căn cứ Nghị định quy định chức năng, nhiệm vụ và cơ cấu tổ chức của đơn vị; "
    "Xét tờ trình của Trưởng phòng Nghiệp vụ.",
    "Để công việc được triển khai đồng bộ, thống nhất, đơn vị đề nghị các cá nhân, tổ chức có liên quan "
    "nghiên cứu kỹ và gửi phản hồi bằng văn bản trước cuối tháng.",
    "Căn cứ biên bản làm việc giữa các bên, đơn vị xin trình bày một số đề xuất cụ thể dưới đây.",
)


def heldout_r7(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` (at most 20) specimens in the shape `specimens.render_pdf` draws, seeded: the same on
    every run; each takes its own agency (with its subject) and its own signer."""
    rng = random.Random(seed)
    agencies = rng.sample(AGENCIES, k=count)
    signers = rng.sample(SIGNERS, k=count)
    specs = []
    for (agency, symbol, place, signer_title, subject), signer in zip(agencies, signers, strict=True):
        title, abbr, code = rng.choice(TYPES)
        date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        number = f"{rng.randint(1, 4800):02d}"
        subject = subject.format(y=date.year + 1)
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
                "signer_title": signer_title,
                "signer": signer,
                "expected_type": code,
            }
        )
    return specs
