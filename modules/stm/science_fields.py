"""The science fields experts and tasks are classified by.

Level 1 and 2 of the Vietnamese classification of S&T fields (Bảng phân loại lĩnh vực
nghiên cứu KH&CN, QĐ 12/2008/QĐ-BKHCN, which follows the OECD Frascati fields of science).
Not in domain.md: the codes were written from that table and should be checked against it.
A three-digit code's first digit is its level-1 group, which matching uses as a fallback.
"""

GROUPS = {
    "1": ("Khoa học tự nhiên", "Natural sciences"),
    "2": ("Khoa học kỹ thuật và công nghệ", "Engineering and technology"),
    "3": ("Khoa học y, dược", "Medical and health sciences"),
    "4": ("Khoa học nông nghiệp", "Agricultural sciences"),
    "5": ("Khoa học xã hội", "Social sciences"),
    "6": ("Khoa học nhân văn", "Humanities"),
}

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("101", "Toán học và thống kê", "Mathematics and statistics"),
    ("102", "Khoa học máy tính và thông tin", "Computer and information sciences"),
    ("103", "Vật lý", "Physics"),
    ("104", "Hoá học", "Chemistry"),
    ("105", "Khoa học trái đất và môi trường", "Earth and environmental sciences"),
    ("106", "Sinh học", "Biology"),
    ("201", "Kỹ thuật dân dụng", "Civil engineering"),
    ("202", "Kỹ thuật điện, điện tử, thông tin", "Electrical, electronic, information engineering"),
    ("203", "Kỹ thuật cơ khí", "Mechanical engineering"),
    ("204", "Kỹ thuật hoá học", "Chemical engineering"),
    ("205", "Kỹ thuật vật liệu và luyện kim", "Materials engineering"),
    ("207", "Kỹ thuật môi trường", "Environmental engineering"),
    ("209", "Công nghệ sinh học công nghiệp", "Industrial biotechnology"),
    ("211", "Kỹ thuật thực phẩm và đồ uống", "Food and beverage engineering"),
    ("301", "Y học cơ sở", "Basic medicine"),
    ("302", "Y học lâm sàng", "Clinical medicine"),
    ("303", "Dược học", "Pharmacy"),
    ("401", "Trồng trọt", "Crop science"),
    ("402", "Chăn nuôi", "Animal science"),
    ("404", "Lâm nghiệp", "Forestry"),
    ("405", "Thuỷ sản", "Fisheries"),
    ("501", "Tâm lý học", "Psychology"),
    ("502", "Kinh tế và kinh doanh", "Economics and business"),
    ("503", "Khoa học giáo dục", "Educational sciences"),
    ("504", "Xã hội học", "Sociology"),
    ("505", "Pháp luật", "Law"),
    ("601", "Lịch sử và khảo cổ học", "History and archaeology"),
    ("602", "Ngôn ngữ học và văn học", "Languages and literature"),
)
CODES = frozenset(code for code, _, _ in FIELDS)


def group_of(code: str) -> str:
    """The level-1 group of a field code ("102" -> "1")."""
    return (code or "")[:1]
