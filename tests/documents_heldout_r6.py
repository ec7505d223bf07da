"""A sixth held-out set for the OCR metadata proposal (issue 17), written on 2 Dec 2026 (05:30 UTC)
BEFORE the seventh round of tuning (a lexicon of marked agency words), and not read by OCR before that
round ends. The five earlier sets (`tests/documents_heldout.py`, `documents_heldout_fresh.py`,
`documents_heldout_r3.py`, `documents_heldout_r4.py`, `documents_heldout_r5.py`) were run and looked
at: they are seen sets now.

Made by the same renderer (`modules/documents/specimens.py`) from a vocabulary that no tuning set and
no seen set uses, as real Vietnamese agencies head their documents: other ministries' departments
(state treasury, civil aviation, veterinary, immigration, border guard, radio frequencies), other
provinces' departments and councils, a province's people's committee, a ward, a commune and a special
zone with other names, a state corporation and a state group, the Fatherland Front, a provincial court,
a medical university, a hospital, the national radio. Every type of Phụ lục III has been used by some
set, so the types recur in new agencies' hands; subjects, bodies, drafting units and signers' family,
middle and given names are new. Seeded (`SEED`): the same on every run.
`bench/documents.py --ocr --sets r6` scans each specimen clean at 300 dpi and rough at 200 dpi.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 20261205
COUNT = 20

# (agency lines, top to bottom; issuer's symbol; place of issue; signer titles that fit the agency)
AGENCIES: tuple[tuple[tuple[str, ...], str, str, tuple[tuple[str, ...], ...]], ...] = (
    (("BỘ TÀI CHÍNH", "KHO BẠC NHÀ NƯỚC"), "KBNN", "Hà Nội", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (("BỘ XÂY DỰNG", "CỤC HÀNG KHÔNG VIỆT NAM"), "CHK", "Hà Nội", (("CỤC TRƯỞNG",),)),
    (("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "CỤC THÚ Y"), "TY", "Hà Nội", (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),)),
    (("BỘ CÔNG AN", "CỤC QUẢN LÝ XUẤT NHẬP CẢNH"), "QLXNC", "Hà Nội", (("CỤC TRƯỞNG",),)),
    (
        ("BỘ QUỐC PHÒNG", "BỘ TƯ LỆNH BỘ ĐỘI BIÊN PHÒNG"),
        "BĐBP",
        "Hà Nội",
        (("KT. TƯ LỆNH", "PHÓ TƯ LỆNH"),),
    ),
    (
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "CỤC TẦN SỐ VÔ TUYẾN ĐIỆN"),
        "CTS",
        "Hà Nội",
        (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),),
    ),
    (("UBND TỈNH HÀ TĨNH", "SỞ CÔNG THƯƠNG"), "SCT", "Hà Tĩnh", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (
        ("ỦY BAN NHÂN DÂN TỈNH SƠN LA", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
        "SVHTTDL",
        "Sơn La",
        (("GIÁM ĐỐC",),),
    ),
    (("ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"), "UBND", "Lạng Sơn", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (("HỘI ĐỒNG NHÂN DÂN", "TỈNH CÀ MAU"), "HĐND", "Cà Mau", (("TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH"),)),
    (("ỦY BAN NHÂN DÂN", "PHƯỜNG CỬA NAM"), "UBND", "Hà Nội", (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),)),
    (("ỦY BAN NHÂN DÂN", "XÃ ĐỒNG VĂN"), "UBND", "Đồng Văn", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (
        ("ỦY BAN NHÂN DÂN", "ĐẶC KHU VÂN ĐỒN"),
        "UBND",
        "Vân Đồn",
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),),
    ),
    (("TỔNG CÔNG TY", "HÀNG HẢI VIỆT NAM"), "HHVN", "Hà Nội", (("TỔNG GIÁM ĐỐC",),)),
    (
        ("TẬP ĐOÀN CÔNG NGHIỆP", "THAN - KHOÁNG SẢN VIỆT NAM"),
        "TKV",
        "Hà Nội",
        (("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),),
    ),
    (
        ("ỦY BAN TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC VIỆT NAM"),
        "MTTW",
        "Hà Nội",
        (("TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH"),),
    ),
    (("TÒA ÁN NHÂN DÂN", "TỈNH LAI CHÂU"), "TA", "Lai Châu", (("CHÁNH ÁN",),)),
    (("TRƯỜNG ĐẠI HỌC Y HÀ NỘI",), "ĐHYHN", "Hà Nội", (("KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"),)),
    (("BỘ Y TẾ", "BỆNH VIỆN BẠCH MAI"), "BVBM", "Hà Nội", (("GIÁM ĐỐC",),)),
    (("ĐÀI TIẾNG NÓI VIỆT NAM",), "TNVN", "Hà Nội", (("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),)),
)
# (title on the page, abbreviation in the symbol, type code); Công văn twice: the commonest.
# Every type of Phụ lục III has been used by an earlier set; these recur, in new agencies' hands
TYPES = (
    ("QUYẾT ĐỊNH", "QĐ", "quyet_dinh"),
    ("KẾ HOẠCH", "KH", "ke_hoach"),
    ("THÔNG BÁO", "TB", "thong_bao"),
    ("TỜ TRÌNH", "TTr", "to_trinh"),
    ("HƯỚNG DẪN", "HD", "huong_dan"),
    ("CÔNG ĐIỆN", "CĐ", "cong_dien"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
)
UNITS = ("KHTH", "QLNS", "TĐKT", "ATTP", "HTPL", "KSNB")  # a Công văn's drafting unit in its symbol
SUBJECTS = (
    "Về việc kiểm soát chi thường xuyên qua hệ thống thanh toán điện tử",
    "Bảo đảm an toàn bay trong mùa cao điểm vận chuyển hành khách năm {y}",
    "Về việc tiêm phòng bệnh dại cho chó, mèo nuôi tại hộ gia đình",
    "Cấp thị thực điện tử cho người nước ngoài nhập cảnh du lịch",
    "Về việc tuần tra, kiểm soát đường biên giới trên đất liền",
    "Phát triển chợ truyền thống và cửa hàng tiện lợi ở khu dân cư",
    "Về việc bảo tồn lễ hội dân gian và nghệ thuật hát then",
    "Vận chuyển than an toàn bằng đường thủy nội địa quý I năm {y}",
    "Về việc phân bổ băng tần cho mạng thông tin di động thế hệ mới",
    "Phát sóng chương trình thời sự bằng tiếng dân tộc thiểu số",
)
BODIES = (
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015; "
    "Theo đề nghị của Trưởng phòng Kế hoạch - Tổng hợp.",
    "Nhằm chủ động ứng phó với tình hình mới, cơ quan yêu cầu thủ trưởng các đơn vị quán triệt "
    "và tổ chức thực hiện nghiêm túc.",
    "Qua theo dõi, tổng hợp số liệu, cơ quan nhận thấy còn một số tồn tại, hạn chế cần khắc phục ngay.",
)
FAMILY = ("Trương", "Lưu", "Thạch", "Đậu", "Hầu", "Cấn", "Sầm", "Quan", "Nhữ", "Vi")
MIDDLE = ("Ích", "Lâm", "Trường", "Đắc", "Hoa", "Uy", "Tú", "Mộng")
GIVEN = ("Lực", "Thành", "Hậu", "Xuyến", "Định", "Nhân", "Ngà", "Khôi", "Chinh", "Đông", "Thơ", "Trinh")


def heldout_r6(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` specimens in the shape `specimens.render_pdf` draws, seeded: the same on every run."""
    rng = random.Random(seed)
    specs = []
    for _ in range(count):
        agency, symbol, place, titles = rng.choice(AGENCIES)
        title, abbr, code = rng.choice(TYPES)
        date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        number = f"{rng.randint(1, 6100):02d}"
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
