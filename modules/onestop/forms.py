"""The one-stop forms a dossier has, with their numbers, titles and download addresses.

Numbers: TT 01/2018/TT-VPCP Art. 9 (domain.md §1.2) numbers the six forms 01–06. For
TT 03/2025/TT-VPCP (Phụ lục I, seven forms) domain.md gives only what changed: 04 is renamed
"Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", 05 is new ("Thông báo dừng giải
quyết hồ sơ"), the tracking sheet becomes 06 and the register 07. It gives no 2025 number for
01, 02 and 03 (they are not among the changes, but domain.md does not say they keep theirs),
so none is printed for them: `number_2025` is "" there, not a guess.

The admin's links on a dossier and GraphQL's `Dossier.forms` both come from `available`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Form:
    key: str  # the URL's name: /onestop/dossiers/<id>/<key>.pdf
    number_2018: str  # TT 01/2018 Art. 9
    number_2025: str  # TT 03/2025 Phụ lục I, only where domain.md gives it
    title: str
    title_2025: str = ""  # the 2025 name where domain.md gives a new one
    icon: str = "description"

    def label(self) -> str:
        """The "Mẫu số" line printed on the form."""
        line = f"Mẫu số {self.number_2018} (Thông tư 01/2018/TT-VPCP)"
        if self.number_2025:
            line += f"; Mẫu số {self.number_2025} (Thông tư 03/2025/TT-VPCP)"
        return line


RECEIPT = Form("receipt", "01", "", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", icon="receipt_long")
SUPPLEMENT = Form("supplement", "02", "", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", icon="note_add")
REFUSAL = Form("refusal", "03", "", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", icon="block")
APOLOGY = Form(
    "apology",
    "04",
    "04",
    "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    title_2025="Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    icon="event_repeat",
)
TRACKING = Form("tracking", "05", "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", icon="fact_check")
REGISTER = Form("register", "06", "07", "Sổ theo dõi hồ sơ", icon="menu_book")


def available(dossier: Any) -> list[Form]:
    """The forms this dossier has by now: each exists once its event happened."""
    forms = []
    if dossier.received_at is not None:
        forms.append(RECEIPT)
    if dossier.supplement_requested_at is not None:
        forms.append(SUPPLEMENT)
    if dossier.state == "refused" and dossier.refusal_reason:
        forms.append(REFUSAL)
    if dossier.rescheduled:
        forms.append(APOLOGY)
    forms.append(TRACKING)
    return forms


def url(dossier: Any, form: Form) -> str:
    return reverse(f"onestop-{form.key}", args=[dossier.pk])
