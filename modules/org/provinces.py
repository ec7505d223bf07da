"""Province codes with their validity dates (domain.md §6).

From 01/7/2025 Vietnam has 34 provinces and cities (NQ 202/2025/QH15, codes under
QĐ 19/2025/QĐ-TTg). Several codes changed meaning that day: 44 was Quảng Bình and is now
Quảng Trị (merged with Quảng Bình); 45, the old Quảng Trị, and 89, the old An Giang, are
gone. So a code is read together with a date: each row below is valid from `valid_from`
(None: since before any record here) to `valid_to` (None: still valid).

- an old code stays readable for the records that carry it (`lookup(code, on=...)`);
- a new record, or a changed code, takes only a code valid today (`check_new_code`).

The 34 current codes are domain.md's table. The old codes (valid until 30/6/2025) are the
63-province list of QĐ 124/2004/QĐ-TTg as commonly published; like the new list, they are
to be checked against the signed text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REFORM = dt.date(2025, 7, 1)  # the 34-province arrangement takes effect
BEFORE_REFORM = REFORM - dt.timedelta(days=1)


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    merged: str = ""  # the provinces merged into it (new codes)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def label(self) -> str:
        """ "45 — Quảng Trị (đến 30/06/2025)": the code, its name and, when it ended, when."""
        until = f" (đến {self.valid_to:%d/%m/%Y} / until {self.valid_to:%d/%m/%Y})" if self.valid_to else ""
        return f"{self.code} — {self.name}{until}"


_CURRENT = (  # domain.md §6: 6 cities and 28 provinces from 01/7/2025
    ("01", "Thành phố Hà Nội", ""),
    ("31", "Thành phố Hải Phòng", "Hải Dương"),
    ("46", "Thành phố Huế", ""),
    ("48", "Thành phố Đà Nẵng", "Quảng Nam"),
    ("79", "Thành phố Hồ Chí Minh", "Bình Dương, Bà Rịa–Vũng Tàu"),
    ("92", "Thành phố Cần Thơ", "Sóc Trăng, Hậu Giang"),
    ("04", "Tỉnh Cao Bằng", ""),
    ("08", "Tỉnh Tuyên Quang", "Hà Giang"),
    ("11", "Tỉnh Điện Biên", ""),
    ("12", "Tỉnh Lai Châu", ""),
    ("14", "Tỉnh Sơn La", ""),
    ("15", "Tỉnh Lào Cai", "Yên Bái"),
    ("19", "Tỉnh Thái Nguyên", "Bắc Kạn"),
    ("20", "Tỉnh Lạng Sơn", ""),
    ("22", "Tỉnh Quảng Ninh", ""),
    ("24", "Tỉnh Bắc Ninh", "Bắc Giang"),
    ("25", "Tỉnh Phú Thọ", "Vĩnh Phúc, Hòa Bình"),
    ("33", "Tỉnh Hưng Yên", "Thái Bình"),
    ("37", "Tỉnh Ninh Bình", "Hà Nam, Nam Định"),
    ("38", "Tỉnh Thanh Hóa", ""),
    ("40", "Tỉnh Nghệ An", ""),
    ("42", "Tỉnh Hà Tĩnh", ""),
    ("44", "Tỉnh Quảng Trị", "Quảng Bình"),
    ("51", "Tỉnh Quảng Ngãi", "Kon Tum"),
    ("52", "Tỉnh Gia Lai", "Bình Định"),
    ("56", "Tỉnh Khánh Hòa", "Ninh Thuận"),
    ("66", "Tỉnh Đắk Lắk", "Phú Yên"),
    ("68", "Tỉnh Lâm Đồng", "Đắk Nông, Bình Thuận"),
    ("75", "Tỉnh Đồng Nai", "Bình Phước"),
    ("80", "Tỉnh Tây Ninh", "Long An"),
    ("82", "Tỉnh Đồng Tháp", "Tiền Giang"),
    ("86", "Tỉnh Vĩnh Long", "Bến Tre, Trà Vinh"),
    ("91", "Tỉnh An Giang", "Kiên Giang"),
    ("96", "Tỉnh Cà Mau", "Bạc Liêu"),
)
_OLD = (  # the 63 provinces and cities until 30/6/2025
    ("01", "Thành phố Hà Nội"), ("02", "Tỉnh Hà Giang"), ("04", "Tỉnh Cao Bằng"),
    ("06", "Tỉnh Bắc Kạn"), ("08", "Tỉnh Tuyên Quang"), ("10", "Tỉnh Lào Cai"),
    ("11", "Tỉnh Điện Biên"), ("12", "Tỉnh Lai Châu"), ("14", "Tỉnh Sơn La"),
    ("15", "Tỉnh Yên Bái"), ("17", "Tỉnh Hòa Bình"), ("19", "Tỉnh Thái Nguyên"),
    ("20", "Tỉnh Lạng Sơn"), ("22", "Tỉnh Quảng Ninh"), ("24", "Tỉnh Bắc Giang"),
    ("25", "Tỉnh Phú Thọ"), ("26", "Tỉnh Vĩnh Phúc"), ("27", "Tỉnh Bắc Ninh"),
    ("30", "Tỉnh Hải Dương"), ("31", "Thành phố Hải Phòng"), ("33", "Tỉnh Hưng Yên"),
    ("34", "Tỉnh Thái Bình"), ("35", "Tỉnh Hà Nam"), ("36", "Tỉnh Nam Định"),
    ("37", "Tỉnh Ninh Bình"), ("38", "Tỉnh Thanh Hóa"), ("40", "Tỉnh Nghệ An"),
    ("42", "Tỉnh Hà Tĩnh"), ("44", "Tỉnh Quảng Bình"), ("45", "Tỉnh Quảng Trị"),
    ("46", "Tỉnh Thừa Thiên Huế"), ("48", "Thành phố Đà Nẵng"), ("49", "Tỉnh Quảng Nam"),
    ("51", "Tỉnh Quảng Ngãi"), ("52", "Tỉnh Bình Định"), ("54", "Tỉnh Phú Yên"),
    ("56", "Tỉnh Khánh Hòa"), ("58", "Tỉnh Ninh Thuận"), ("60", "Tỉnh Bình Thuận"),
    ("62", "Tỉnh Kon Tum"), ("64", "Tỉnh Gia Lai"), ("66", "Tỉnh Đắk Lắk"),
    ("67", "Tỉnh Đắk Nông"), ("68", "Tỉnh Lâm Đồng"), ("70", "Tỉnh Bình Phước"),
    ("72", "Tỉnh Tây Ninh"), ("74", "Tỉnh Bình Dương"), ("75", "Tỉnh Đồng Nai"),
    ("77", "Tỉnh Bà Rịa - Vũng Tàu"), ("79", "Thành phố Hồ Chí Minh"), ("80", "Tỉnh Long An"),
    ("82", "Tỉnh Tiền Giang"), ("83", "Tỉnh Bến Tre"), ("84", "Tỉnh Trà Vinh"),
    ("86", "Tỉnh Vĩnh Long"), ("87", "Tỉnh Đồng Tháp"), ("89", "Tỉnh An Giang"),
    ("91", "Tỉnh Kiên Giang"), ("92", "Thành phố Cần Thơ"), ("93", "Tỉnh Hậu Giang"),
    ("94", "Tỉnh Sóc Trăng"), ("95", "Tỉnh Bạc Liêu"), ("96", "Tỉnh Cà Mau"),
)  # fmt: skip

PROVINCES: tuple[Province, ...] = (
    *(Province(code, name, None, BEFORE_REFORM) for code, name in _OLD),
    *(Province(code, name, REFORM, None, merged) for code, name, merged in _CURRENT),
)


def lookup(code: str, on: dt.date) -> Province | None:
    """The province `code` meant on `on`; else the latest province that ever had it (an old record)."""
    rows = [p for p in PROVINCES if p.code == (code or "").strip()]
    for row in rows:
        if row.valid_on(on):
            return row
    return max(rows, key=lambda p: p.valid_to or dt.date.max, default=None)


def valid_codes(on: dt.date) -> list[Province]:
    """The codes a new record may take on `on`."""
    return sorted((p for p in PROVINCES if p.valid_on(on)), key=lambda p: p.code)


def check_new_code(code: str, on: dt.date) -> str | None:
    """Why `code` cannot be chosen on `on` (a bilingual message), or None when it can."""
    code = (code or "").strip()
    if not code:
        return None
    if any(p.code == code and p.valid_on(on) for p in PROVINCES):
        return None
    known = lookup(code, on)
    if known is None or known.valid_to is None:
        return f"Mã tỉnh «{code}» không có trong danh mục. / Province code “{code}” is not in the list."
    ended = known.valid_to + dt.timedelta(days=1)
    return (
        f"Mã tỉnh {known.code} ({known.name}) hết hiệu lực từ {ended:%d/%m/%Y}: chỉ còn dùng để đọc hồ "
        f"sơ cũ. / Province code {known.code} ({known.name}) is no longer valid since {ended:%d/%m/%Y}: "
        "kept for reading old records only."
    )
