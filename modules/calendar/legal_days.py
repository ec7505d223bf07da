"""The days shipped with the platform (`../shared/domain.md` §1.6), loaded by a migration.

Labour Code 2019 Art. 112 gives 11 holiday days; the Prime Minister fixes the
exact Tết and 2/9 days each year, and a holiday on a weekly rest day gives a
compensating day off (Art. 111(3)). Administrators add each new year's days
in the admin when they are announced.

A day that is reported but not confirmed by a published text (24/11, Ngày Văn hóa
Việt Nam, domain.md §1.6 and §8) ships switched off (`in_force` False) with a note
saying why; an administrator switches it on in the admin once the text is out.
"""

import datetime as dt
from typing import Any

LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"
COMPENSATION = "Bộ luật Lao động 2019, Điều 111 khoản 3"
CULTURE_DAY = "NQ 28/2026/QH16 (Ngày Văn hóa Việt Nam; theo báo chí, cần đối chiếu văn bản gốc)"
UNCONFIRMED = (CULTURE_DAY,)  # legal bases reported, not confirmed: their days ship switched off
UNCONFIRMED_NOTE = (
    "Mới có tin báo chí, chưa có văn bản chính thức: chưa áp dụng. Quản trị viên chọn «Áp dụng» "
    "khi văn bản được ban hành. / Reported, not confirmed: not in force. An administrator ticks "
    "“In force” once the text is published."
)

# (ISO date, kind, name, legal basis)
DAYS: tuple[tuple[str, str, str, str], ...] = (
    # 2025
    ("2025-01-01", "holiday", "Tết Dương lịch", LABOUR_CODE),
    ("2025-01-27", "holiday", "Tết Nguyên đán Ất Tỵ (28 Tết)", LABOUR_CODE),
    ("2025-01-28", "holiday", "Tết Nguyên đán Ất Tỵ (29 Tết)", LABOUR_CODE),
    ("2025-01-29", "holiday", "Tết Nguyên đán Ất Tỵ (Mùng 1)", LABOUR_CODE),
    ("2025-01-30", "holiday", "Tết Nguyên đán Ất Tỵ (Mùng 2)", LABOUR_CODE),
    ("2025-01-31", "holiday", "Tết Nguyên đán Ất Tỵ (Mùng 3)", LABOUR_CODE),
    ("2025-04-07", "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LABOUR_CODE),
    ("2025-04-26", "working", "Làm bù cho ngày 02/5/2025", "Thông báo nghỉ lễ 30/4-1/5/2025"),
    ("2025-04-30", "holiday", "Ngày Chiến thắng", LABOUR_CODE),
    ("2025-05-01", "holiday", "Ngày Quốc tế lao động", LABOUR_CODE),
    ("2025-05-02", "day_off", "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)", "Thông báo nghỉ lễ 30/4-1/5/2025"),
    ("2025-09-01", "holiday", "Quốc khánh (ngày liền kề)", LABOUR_CODE),
    ("2025-09-02", "holiday", "Quốc khánh", LABOUR_CODE),
    # 2026
    ("2026-01-01", "holiday", "Tết Dương lịch", LABOUR_CODE),
    ("2026-02-16", "holiday", "Tết Nguyên đán Bính Ngọ (29 Tết)", LABOUR_CODE),
    ("2026-02-17", "holiday", "Tết Nguyên đán Bính Ngọ (Mùng 1)", LABOUR_CODE),
    ("2026-02-18", "holiday", "Tết Nguyên đán Bính Ngọ (Mùng 2)", LABOUR_CODE),
    ("2026-02-19", "holiday", "Tết Nguyên đán Bính Ngọ (Mùng 3)", LABOUR_CODE),
    ("2026-02-20", "holiday", "Tết Nguyên đán Bính Ngọ (Mùng 4)", LABOUR_CODE),
    ("2026-04-26", "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LABOUR_CODE),
    ("2026-04-27", "day_off", "Nghỉ bù Giỗ Tổ Hùng Vương (26/4/2026 là Chủ nhật)", COMPENSATION),
    ("2026-04-30", "holiday", "Ngày Chiến thắng", LABOUR_CODE),
    ("2026-05-01", "holiday", "Ngày Quốc tế lao động", LABOUR_CODE),
    ("2026-09-01", "holiday", "Quốc khánh (ngày liền kề)", LABOUR_CODE),
    ("2026-09-02", "holiday", "Quốc khánh", LABOUR_CODE),
    ("2026-11-24", "holiday", "Ngày Văn hóa Việt Nam", CULTURE_DAY),
    # 2027: the fixed-date days; Tết, Giỗ Tổ and 2/9's adjacent day await the yearly notice.
    ("2027-01-01", "holiday", "Tết Dương lịch", LABOUR_CODE),
    ("2027-04-30", "holiday", "Ngày Chiến thắng", LABOUR_CODE),
    ("2027-05-01", "holiday", "Ngày Quốc tế lao động", LABOUR_CODE),
    ("2027-05-03", "day_off", "Nghỉ bù Ngày Quốc tế lao động (01/5/2027 là thứ Bảy)", COMPENSATION),
    ("2027-09-02", "holiday", "Quốc khánh", LABOUR_CODE),
    ("2027-11-24", "holiday", "Ngày Văn hóa Việt Nam", CULTURE_DAY),
)


def shipped_state(basis: str) -> dict[str, Any]:
    """`in_force` and `note` of a shipped day: an unconfirmed one is off, and says why."""
    if basis in UNCONFIRMED:
        return {"in_force": False, "note": UNCONFIRMED_NOTE}
    return {"in_force": True, "note": ""}


def load(model: Any) -> int:
    """Add the shipped days that are missing (an administrator's edits are kept); returns how many.

    `model` may be a migration's historical model from before `in_force` existed."""
    has_state = any(f.name == "in_force" for f in model._meta.get_fields())
    added = 0
    for iso, kind, name, basis in DAYS:
        defaults = {"kind": kind, "name": name, "legal_basis": basis, "version": 1}
        if has_state:
            defaults |= shipped_state(basis)
        _, created = model.objects.get_or_create(day=dt.date.fromisoformat(iso), defaults=defaults)
        added += created
    return added


def switch_off_unconfirmed(model: Any) -> int:
    """The migration that added `in_force`: the unconfirmed days already loaded go off, with the note."""
    return model.objects.filter(legal_basis__in=UNCONFIRMED).update(in_force=False, note=UNCONFIRMED_NOTE)
