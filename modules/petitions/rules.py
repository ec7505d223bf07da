"""The vocabulary and time rules of Decree 20/2008 (domain.md §4)."""

from __future__ import annotations

import datetime as dt

from modules.engine import workdays

FORWARD_WORKING_DAYS = 5  # Art. 9: matters outside our competence are forwarded within 5 working days

CONTENT_TYPES = (  # Art. 5
    (
        "slow_application",
        "Vướng mắc do chậm hoặc không đúng việc thực hiện quy định",
        "Slow or wrongful application",
    ),
    ("unsuited", "Quy định không phù hợp với thực tế", "Rule unsuited to reality"),
    ("inconsistent", "Quy định không thống nhất, không đồng bộ", "Rules inconsistent with each other"),
    ("unlawful", "Quy định không hợp pháp", "Unlawful rule"),
    ("against_treaty", "Quy định trái điều ước quốc tế", "Rule contrary to treaties"),
    ("other", "Vấn đề khác liên quan đến quy định hành chính", "Other"),
    ("proposed_fix", "Phương án xử lý, đề xuất", "Proposed fix"),
    ("initiative", "Sáng kiến ban hành quy định mới", "Initiative for a new rule"),
)
CHANNELS = (  # Art. 6–7
    ("in_person", "Văn bản nộp trực tiếp", "In person, in writing"),
    ("post", "Qua đường bưu chính", "By post"),
    ("online", "Trực tuyến", "Online"),
    ("hotline", "Điện thoại (đường dây nóng)", "Hotline"),
    ("survey", "Phiếu lấy ý kiến", "Opinion survey form"),
)
CRITERIA = (  # Art. 14: the six criteria a rule is tested on
    ("crit_necessity", "Tiêu chí: sự cần thiết", "Criterion: necessity"),
    ("crit_legality", "Tiêu chí: hợp lý, hợp pháp", "Criterion: reasonable and lawful"),
    ("crit_simplicity", "Tiêu chí: đơn giản", "Criterion: simplicity"),
    ("crit_feasibility", "Tiêu chí: khả thi", "Criterion: feasibility"),
    ("crit_consistency", "Tiêu chí: thống nhất, đồng bộ", "Criterion: consistency"),
    ("crit_treaty", "Tiêu chí: phù hợp điều ước quốc tế", "Criterion: treaty conformity"),
)
SATISFACTION = (
    ("very_satisfied", "Rất hài lòng", "Very satisfied"),
    ("satisfied", "Hài lòng", "Satisfied"),
    ("unsatisfied", "Chưa hài lòng", "Not satisfied"),
)
SATISFIED = ("very_satisfied", "satisfied")


def forward_deadline(received: dt.date) -> dt.date:
    return workdays.add_working_days(received, FORWARD_WORKING_DAYS)
