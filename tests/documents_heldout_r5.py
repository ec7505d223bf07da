"""A fifth held-out set for the OCR metadata proposal (issue 17), written on 2 Dec 2026 (04:55 UTC)
BEFORE the sixth round of tuning (a better Vietnamese Tesseract model, rules), and not read by OCR
before that round ends. The four earlier sets (`tests/documents_heldout.py`, `documents_heldout_fresh.py`,
`documents_heldout_r3.py`, `documents_heldout_r4.py`) were run and looked at: they are seen sets now.

Made by the same renderer (`modules/documents/specimens.py`) from a vocabulary that no tuning set and
no seen set uses, as real Vietnamese agencies head their documents: other ministries' departments
(customs, traffic police, consular affairs, teachers), other provinces' departments and councils, a
city's people's committee, a ward, a commune and a special zone with other names, a state group, an
association, a provincial court, the Supreme Procuracy, a university, an institute, a hospital, the
national news agency. Every type of Phụ lục III has been used by some set, so the types recur in new
agencies' hands; subjects, bodies, drafting units and signers' family, middle and given names are
new. Seeded (`SEED`): the same on every run. `bench/documents.py --ocr --sets r5` scans each specimen
clean at 300 dpi and rough at 200 dpi.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 20261204
COUNT = 20

# (agency lines, top to bottom; issuer's symbol; place of issue; signer titles that fit the agency)
AGENCIES: tuple[tuple[tuple[str, ...], str, str, tuple[tuple[str, ...], ...]], ...] = (
    (("BỘ TÀI CHÍNH", "CỤC HẢI QUAN"), "CHQ", "Hà Nội", (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),)),
    (("BỘ CÔNG AN", "CỤC CẢNH SÁT GIAO THÔNG"), "CSGT", "Hà Nội", (("CỤC TRƯỞNG",),)),
    (("BỘ NGOẠI GIAO", "CỤC LÃNH SỰ"), "CLS", "Hà Nội", (("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),)),
    (
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "CỤC NHÀ GIÁO VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC"),
        "NGCBQLGD",
        "Hà Nội",
        (("CỤC TRƯỞNG",),),
    ),
    (("UBND TỈNH TUYÊN QUANG", "SỞ XÂY DỰNG"), "SXD", "Tuyên Quang", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (
        ("ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN", "SỞ DÂN TỘC VÀ TÔN GIÁO"),
        "SDTTG",
        "Điện Biên",
        (("GIÁM ĐỐC",),),
    ),
    (("ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"), "UBND", "Đà Nẵng", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (
        ("HỘI ĐỒNG NHÂN DÂN", "TỈNH VĨNH LONG"),
        "HĐND",
        "Vĩnh Long",
        (("TM. THƯỜNG TRỰC HĐND", "PHÓ CHỦ TỊCH"),),
    ),
    (("ỦY BAN NHÂN DÂN", "PHƯỜNG HOÀN KIẾM"), "UBND", "Hà Nội", (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),)),
    (("ỦY BAN NHÂN DÂN", "XÃ BÁT TRÀNG"), "UBND", "Hà Nội", (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),)),
    (
        ("ỦY BAN NHÂN DÂN", "ĐẶC KHU CÔN ĐẢO"),
        "UBND",
        "Côn Đảo",
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),),
    ),
    (("TẬP ĐOÀN", "DẦU KHÍ VIỆT NAM"), "DKVN", "Hà Nội", (("KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),)),
    (("HỘI CHỮ THẬP ĐỎ", "VIỆT NAM"), "HCTĐ", "Hà Nội", (("CHỦ TỊCH",),)),
    (("TÒA ÁN NHÂN DÂN", "TỈNH ĐỒNG NAI"), "TA", "Đồng Nai", (("KT. CHÁNH ÁN", "PHÓ CHÁNH ÁN"),)),
    (("VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",), "VKSTC", "Hà Nội", (("KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"),)),
    (("ĐẠI HỌC BÁCH KHOA HÀ NỘI",), "ĐHBK", "Hà Nội", (("GIÁM ĐỐC",),)),
    (
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "VIỆN NĂNG LƯỢNG NGUYÊN TỬ VIỆT NAM"),
        "VNLNT",
        "Hà Nội",
        (("VIỆN TRƯỞNG",),),
    ),
    (("BỘ Y TẾ", "BỆNH VIỆN CHỢ RẪY"), "BVCR", "Thành phố Hồ Chí Minh", (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),)),
    (("THÔNG TẤN XÃ VIỆT NAM",), "TTXVN", "Hà Nội", (("TỔNG GIÁM ĐỐC",),)),
)
# (title on the page, abbreviation in the symbol, type code); Công văn twice: the commonest.
# Every type of Phụ lục III has been used by an earlier set; these recur, in new agencies' hands
TYPES = (
    ("CHỈ THỊ", "CT", "chi_thi"),
    ("GIẤY MỜI", "GM", "giay_moi"),
    ("BIÊN BẢN", "BB", "bien_ban"),
    ("QUY CHẾ", "QC", "quy_che"),
    ("NGHỊ QUYẾT", "NQ", "nghi_quyet"),
    ("BÁO CÁO", "BC", "bao_cao"),
    ("", "", "cong_van"),
    ("", "", "cong_van"),
)
UNITS = ("QLXD", "HCQT", "GSTT", "VHXH", "ĐTXD", "TTDL")  # a Công văn's drafting unit in its symbol
SUBJECTS = (
    "Về việc thông quan hàng hóa xuất khẩu qua cửa khẩu đường bộ",
    "Bảo đảm trật tự, an toàn giao thông dịp lễ hội xuân năm {y}",
    "Về việc cấp hộ chiếu phổ thông cho công dân ở nước ngoài",
    "Bồi dưỡng giáo viên mầm non về chương trình giáo dục mới",
    "Về việc kiểm định chất lượng công trình nhà ở xã hội",
    "Hỗ trợ đồng bào vùng cao ổn định đời sống sau lũ",
    "Về việc lấy ý kiến dự thảo quy hoạch phân khu ven biển",
    "Cứu trợ khẩn cấp, hiến máu tình nguyện đợt cao điểm năm {y}",
    "Về việc xét xử lưu động các vụ án ma túy tại địa phương",
    "Tuyển chọn kỹ sư lò phản ứng nghiên cứu đi đào tạo ngắn hạn",
)
BODIES = (
    "Thực hiện chỉ đạo của cấp trên tại cuộc họp giao ban tuần trước; "
    "Xét báo cáo của Trưởng phòng Hành chính - Quản trị.",
    "Để kịp thời xử lý những vướng mắc phát sinh, đơn vị yêu cầu các bộ phận rà soát hồ sơ "
    "và gửi văn bản góp ý trong vòng năm ngày làm việc.",
    "Theo kết luận của hội đồng, đơn vị trân trọng gửi kèm theo đây danh mục chi tiết để thực hiện.",
)
FAMILY = ("Tô", "Khổng", "Lã", "Cù", "Bế", "Lò", "Mẫn", "Ứng", "Từ", "Kha")
MIDDLE = ("Trung", "Viết", "Huy", "Cảnh", "Tường", "Vĩnh", "Sỹ", "Yên")
GIVEN = ("Thư", "Nguyệt", "Hùng", "Loan", "Phượng", "Quân", "Thủy", "Hưng", "Ngân", "Vân", "Khải", "Điệp")


def heldout_r5(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
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
