"""Held-out documents for the OCR metadata proposal (issue 17), written BEFORE the rule in
`modules/documents/proposal.py` was tuned, and never used to tune it: `bench/documents.py`
and `tests/test_documents_ocr.py` report their scores apart from the tuning set.

Each item is what a real Decree 30 document says (Phụ lục I layout): the issuing agency
(one or two lines), the number and symbol, place and date, the type's name (none for a
Công văn, which has "V/v ..." instead), the subject, a body, the signature block and the
"Nơi nhận" list. `expected` holds what the clerk would confirm.
"""

from __future__ import annotations

import datetime as dt

HELDOUT = [
    {
        "agency": ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",),
        "number_symbol": "214/QĐ-BNNMT",
        "place": "Hà Nội",
        "date": dt.date(2026, 4, 8),
        "type_title": "QUYẾT ĐỊNH",
        "subject": "Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp bộ năm 2027",
        "body": "Căn cứ Nghị định số 35/2025/NĐ-CP quy định chức năng, nhiệm vụ, quyền hạn của Bộ; "
        "Theo đề nghị của Vụ trưởng Vụ Khoa học và Công nghệ.",
        "signer_title": ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        "signer": "Trần Thanh Nam",
        "expected_type": "quyet_dinh",
    },
    {
        "agency": ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"),
        "number_symbol": "1873/UBND-KGVX",
        "place": "Quảng Ninh",
        "date": dt.date(2026, 6, 19),
        "type_title": "",
        "subject": "V/v góp ý dự thảo Thông tư hướng dẫn quản lý nhiệm vụ khoa học",
        "body": "Ủy ban nhân dân tỉnh nhận được văn bản của Bộ Khoa học và Công nghệ đề nghị góp ý. "
        "Sau khi nghiên cứu, Ủy ban nhân dân tỉnh có ý kiến như sau.",
        "signer_title": ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        "signer": "Nguyễn Thị Hạnh",
        "expected_type": "cong_van",
    },
    {
        "agency": ("BỘ GIÁO DỤC VÀ ĐÀO TẠO",),
        "number_symbol": "09/KH-BGDĐT",
        "place": "Hà Nội",
        "date": dt.date(2026, 1, 15),
        "type_title": "KẾ HOẠCH",
        "subject": "Triển khai chuyển đổi số trong giáo dục đại học giai đoạn 2026 - 2030",
        "body": "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.",
        "signer_title": ("BỘ TRƯỞNG",),
        "signer": "Lê Quang Đức",
        "expected_type": "ke_hoach",
    },
    {
        "agency": ("BỘ Y TẾ",),
        "number_symbol": "56/BC-BYT",
        "place": "Hà Nội",
        "date": dt.date(2026, 9, 30),
        "type_title": "BÁO CÁO",
        "subject": "Kết quả thực hiện nhiệm vụ khoa học và công nghệ 9 tháng đầu năm 2026",
        "body": "Bộ Y tế báo cáo kết quả thực hiện các nhiệm vụ khoa học và công nghệ như sau.",
        "signer_title": ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        "signer": "Đỗ Xuân Tuyên",
        "expected_type": "bao_cao",
    },
    {
        "agency": ("VIỆN HÀN LÂM", "KHOA HỌC VÀ CÔNG NGHỆ VIỆT NAM"),
        "number_symbol": "331/TTr-VHL",
        "place": "Hà Nội",
        "date": dt.date(2026, 11, 2),
        "type_title": "TỜ TRÌNH",
        "subject": "Đề nghị phê duyệt chương trình khoa học trọng điểm về vật liệu mới",
        "body": "Viện Hàn lâm Khoa học và Công nghệ Việt Nam kính trình Bộ xem xét, phê duyệt.",
        "signer_title": ("CHỦ TỊCH",),
        "signer": "Châu Văn Minh",
        "expected_type": "to_trinh",
    },
    {
        "agency": ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "THÀNH PHỐ ĐÀ NẴNG"),
        "number_symbol": "47/GM-SKHCN",
        "place": "Đà Nẵng",
        "date": dt.date(2026, 3, 3),
        "type_title": "GIẤY MỜI",
        "subject": "Dự hội thảo đánh giá kết quả ứng dụng trí tuệ nhân tạo trong dịch vụ công",
        "body": "Sở Khoa học và Công nghệ trân trọng kính mời đại diện lãnh đạo đơn vị tham dự hội thảo.",
        "signer_title": ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        "signer": "Phạm Hồng Quang",
        "expected_type": "giay_moi",
    },
    {
        "agency": ("BỘ TÀI CHÍNH",),
        "number_symbol": "12045/BTC-HCSN",
        "place": "Hà Nội",
        "date": dt.date(2026, 10, 21),
        "type_title": "",
        "subject": "V/v bố trí kinh phí thực hiện nhiệm vụ khoa học và công nghệ năm 2027",
        "body": "Bộ Tài chính nhận được Công văn của Bộ Khoa học và Công nghệ về dự toán năm 2027.",
        "signer_title": ("TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ HÀNH CHÍNH SỰ NGHIỆP"),
        "signer": "Vũ Thị Mai",
        "expected_type": "cong_van",
    },
    {
        "agency": ("BỘ CÔNG THƯƠNG",),
        "number_symbol": "05/TB-BCT",
        "place": "Hà Nội",
        "date": dt.date(2026, 2, 9),
        "type_title": "THÔNG BÁO",
        "subject": "Kết luận của Thứ trưởng tại cuộc họp về tiêu chuẩn năng lượng tái tạo",
        "body": "Ngày 05 tháng 02 năm 2026, Thứ trưởng đã chủ trì cuộc họp với các đơn vị liên quan.",
        "signer_title": ("TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"),
        "signer": "Hoàng Anh Tuấn",
        "expected_type": "thong_bao",
    },
]
