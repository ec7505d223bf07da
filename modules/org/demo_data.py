"""Static demo data for `manage.py seed_demo`: the unit tree and the demo people.

Plain tuples only, so the lists can be read (and tested) without a database.
Province codes are those of QĐ 19/2025/QĐ-TTg for the 34 provincial-level
units in force from 1 July 2025 (NQ 202/2025/QH15).
"""

from __future__ import annotations

import random
import unicodedata

DEMO_PASSWORD = "onemst2026"
EMAIL_DOMAIN = "onemst.example"  # demo addresses; deliberately not a real domain

MINISTRY = {
    "code": "BKHCN",
    "name": "Bộ Khoa học và Công nghệ",
    "short_name": "Bộ KH&CN",
    "kind": "ministry",
}

# (code, name, short name, sees_all_units, title of its head)
MINISTRY_UNITS: tuple[tuple[str, str, str, bool, str], ...] = (
    ("VP", "Văn phòng Bộ", "Văn phòng Bộ", True, "Chánh Văn phòng"),
    ("KHTC", "Vụ Kế hoạch - Tài chính", "Vụ KHTC", False, "Vụ trưởng"),
    ("TCCB", "Vụ Tổ chức cán bộ", "Vụ TCCB", False, "Vụ trưởng"),
    ("TTRA", "Thanh tra Bộ", "Thanh tra", False, "Chánh Thanh tra"),
    ("PC", "Vụ Pháp chế", "Vụ PC", False, "Vụ trưởng"),
    ("KHXHTN", "Vụ Khoa học Xã hội, Nhân văn và Tự nhiên", "Vụ KHXHTN", False, "Vụ trưởng"),
    ("CTTKHCN", "Cục Thông tin khoa học và công nghệ quốc gia", "Cục TTKHCN", False, "Cục trưởng"),
    ("CSHTT", "Cục Sở hữu trí tuệ", "Cục SHTT", False, "Cục trưởng"),
    ("CUDCN", "Cục Ứng dụng và Phát triển công nghệ", "Cục ƯDPTCN", False, "Cục trưởng"),
    ("TTCNTT", "Trung tâm Công nghệ thông tin", "Trung tâm CNTT", False, "Giám đốc"),
)

# (province code, name, is a centrally-governed city)
PROVINCES: tuple[tuple[str, str, bool], ...] = (
    ("01", "Hà Nội", True),
    ("04", "Cao Bằng", False),
    ("08", "Tuyên Quang", False),
    ("11", "Điện Biên", False),
    ("12", "Lai Châu", False),
    ("14", "Sơn La", False),
    ("15", "Lào Cai", False),
    ("19", "Thái Nguyên", False),
    ("20", "Lạng Sơn", False),
    ("22", "Quảng Ninh", False),
    ("24", "Bắc Ninh", False),
    ("25", "Phú Thọ", False),
    ("31", "Hải Phòng", True),
    ("33", "Hưng Yên", False),
    ("37", "Ninh Bình", False),
    ("38", "Thanh Hóa", False),
    ("40", "Nghệ An", False),
    ("42", "Hà Tĩnh", False),
    ("44", "Quảng Trị", False),
    ("46", "Huế", True),
    ("48", "Đà Nẵng", True),
    ("51", "Quảng Ngãi", False),
    ("52", "Gia Lai", False),
    ("56", "Khánh Hòa", False),
    ("66", "Đắk Lắk", False),
    ("68", "Lâm Đồng", False),
    ("75", "Đồng Nai", False),
    ("79", "Hồ Chí Minh", True),
    ("80", "Tây Ninh", False),
    ("82", "Đồng Tháp", False),
    ("86", "Vĩnh Long", False),
    ("91", "An Giang", False),
    ("92", "Cần Thơ", True),
    ("96", "Cà Mau", False),
)


def provincial_unit(code: str, name: str, is_city: bool) -> dict[str, str]:
    """The values of one provincial Department of S&T (a top-level unit, outside the Ministry)."""
    place = f"thành phố {name}" if is_city else f"tỉnh {name}"
    return {
        "code": f"SKHCN-{code}",
        "name": f"Sở Khoa học và Công nghệ {name}",
        "short_name": f"Sở KH&CN {place}",
        "kind": "provincial_dost",
        "province_code": code,
    }


# Provinces whose Department gets a demo director (unit_head) and officer.
PROVINCES_WITH_STAFF = ("01", "31", "46", "48", "79", "92", "19", "38", "40", "56", "68", "96")

# Names, in the order they are handed out (deterministic, so usernames are stable).
NAMES: tuple[str, ...] = (
    "Nguyễn Văn Hùng",
    "Trần Thị Thu Hà",
    "Lê Minh Tuấn",
    "Phạm Thị Lan Anh",
    "Hoàng Quốc Khánh",
    "Vũ Thị Mai",
    "Đặng Văn Long",
    "Bùi Thị Hương",
    "Đỗ Minh Quân",
    "Ngô Thị Thanh Tâm",
    "Dương Văn Thắng",
    "Lý Thị Ngọc Hân",
    "Phan Anh Dũng",
    "Trịnh Thị Hồng Nhung",
    "Mai Xuân Trường",
    "Hồ Thị Kim Oanh",
    "Đinh Công Thành",
    "Lương Thị Phương",
    "Tạ Quang Huy",
    "Cao Thị Bích Ngọc",
    "Nguyễn Thành Nam",
    "Trần Văn Khoa",
    "Lê Thị Hải Yến",
    "Phạm Đức Mạnh",
    "Hoàng Thị Thu Trang",
    "Vũ Đình Phúc",
    "Đặng Thị Minh Châu",
    "Bùi Quang Vinh",
    "Đỗ Thị Ngọc Linh",
    "Ngô Văn Toàn",
    "Nguyễn Thị Hoa",
    "Trần Quốc Bảo",
    "Lê Văn Sơn",
    "Phạm Thị Thúy",
    "Hoàng Văn Đức",
    "Vũ Thị Thanh Huyền",
    "Đặng Minh Khôi",
    "Bùi Thị Lệ Quyên",
    "Đỗ Văn Hải",
    "Ngô Thị Diệu Linh",
    "Nguyễn Hữu Tín",
    "Trần Thị Ánh Tuyết",
    "Lê Hoàng Phong",
    "Phạm Văn Tài",
    "Hoàng Thị Ngân",
    "Vũ Minh Hiếu",
    "Đặng Thị Kiều Trinh",
    "Bùi Văn Lực",
    "Đỗ Thị Quỳnh Như",
    "Ngô Đức Thịnh",
    "Nguyễn Thị Mỹ Dung",
    "Trần Minh Triết",
    "Lê Thị Cẩm Vân",
    "Phạm Quốc Cường",
    "Hoàng Văn Nam",
    "Vũ Thị Hạnh",
    "Đặng Văn Tú",
    "Bùi Thị Thảo",
    "Huỳnh Tấn Lộc",
    "Võ Thị Bảo Ngọc",
    "Châu Minh Luân",
    "Kiều Thị Phương Thảo",
    "Tô Thị Minh Nguyệt",
    "La Văn Khải",
)


def ascii_fold(text: str) -> str:
    """'Đặng Thị' -> 'Dang Thi': strip Vietnamese diacritics for usernames."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def username_for(full_name: str) -> str:
    """Vietnamese office convention: given name + initials, e.g. 'Nguyễn Văn Hùng' -> 'hungnv'."""
    parts = ascii_fold(full_name).lower().split()
    return parts[-1] + "".join(p[0] for p in parts[:-1])


def demo_people() -> list[dict[str, object]]:
    """Every demo person: username, full name, position, role codes and unit code.

    The superuser `admin` is listed first; usernames are unique and stable.
    """
    from .roles import (
        BIOMETRIC_ADMIN,
        MINISTRY_LEADER,
        ONESTOP_CLERK,
        PLATFORM_ADMIN,
        PROVINCIAL_OFFICER,
        REPORT_REVIEWER,
        SECRETARY,
        SPECIALIST,
        UNIT_HEAD,
    )

    names = iter(NAMES)
    plan: list[tuple[str, str, str]] = []  # (role, position, unit code)
    plan += [
        (MINISTRY_LEADER, "Bộ trưởng", MINISTRY["code"]),
        (MINISTRY_LEADER, "Thứ trưởng", MINISTRY["code"]),
    ]
    for code, _name, _short, _all, head_title in MINISTRY_UNITS:
        plan.append((UNIT_HEAD, head_title, code))
        plan.append((SPECIALIST, "Chuyên viên chính", code))
        plan.append((SPECIALIST, "Chuyên viên", code))
    plan += [
        (ONESTOP_CLERK, "Cán bộ Bộ phận Một cửa", "VP"),
        (ONESTOP_CLERK, "Cán bộ Bộ phận Một cửa", "VP"),
        (REPORT_REVIEWER, "Chuyên viên tổng hợp báo cáo", "VP"),
        (REPORT_REVIEWER, "Chuyên viên tổng hợp báo cáo", "KHTC"),
        (PLATFORM_ADMIN, "Quản trị hệ thống", "TTCNTT"),
        (BIOMETRIC_ADMIN, "Quản trị dữ liệu chấm công", "TCCB"),
    ]
    for province in PROVINCES_WITH_STAFF:
        plan.append((UNIT_HEAD, "Giám đốc Sở", f"SKHCN-{province}"))
        plan.append((PROVINCIAL_OFFICER, "Chuyên viên", f"SKHCN-{province}"))
    # last, so everyone above keeps their username: who records a leader's assignments
    plan += [
        (SECRETARY, "Thư ký Bộ trưởng", "VP"),
        (SECRETARY, "Văn thư Sở", f"SKHCN-{PROVINCES_WITH_STAFF[0]}"),
    ]

    people: list[dict[str, object]] = [
        {
            "username": "admin",
            "full_name": "Quản trị viên hệ thống",
            "position": "Quản trị hệ thống (siêu quản trị)",
            "roles": (PLATFORM_ADMIN,),
            "unit": "TTCNTT",
            "superuser": True,
        }
    ]
    taken = {"admin"}
    for role, position, unit in plan:
        full_name = next(names)
        base = username_for(full_name)
        username, n = base, 1
        while username in taken:
            n += 1
            username = f"{base}{n}"
        taken.add(username)
        people.append(
            {
                "username": username,
                "full_name": full_name,
                "position": position,
                "roles": (role,),
                "unit": unit,
                "superuser": False,
            }
        )
    return people


# prefixes of Vietnamese mobile networks that libphonenumber accepts
MOBILE_PREFIXES = ("090", "091", "094", "096", "097", "098", "086", "088", "083", "085")


def demo_phone(rng: random.Random) -> str:
    """A made-up but well-formed Vietnamese mobile number (the platform validates phones)."""
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(1_000_000, 9_999_999)}"
