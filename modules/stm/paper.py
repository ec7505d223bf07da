"""A dossier filed on paper (domain.md §7.3, TT 20/2023): "one sealed paper set plus a PDF on
USB, or online. Receipt date = postmark, 'đến' stamp, or system timestamp."

- **Who records it**: the managing unit's staff (the clerk who opened the mail), never the
  applicant: they enter the dossier as a draft of the organisation, then fire
  `receive_paper` with what the envelope shows (`paper_evidence`: the postmark or the unit's
  "đến" stamp, and its date). The applicant's group is granted the dossier as for an online one.
- **The receipt date** is the envelope's, not the day the clerk types it in: a set posted in
  time and opened a few days later is in time. A postmark is judged by its day (a postmark
  shows no hour: posted on the deadline's day is in time); a "đến" stamp by its minute, like
  an online receipt (`rules.before_deadline`). A date in the future, or before the notice was
  published, is refused; so is a set recorded once the dossiers have been opened.
- **The system's timestamp** is kept apart and never typed: `recorded_at` (and `recorded_by`)
  say when and by whom it was entered; for an online dossier the receipt and the recording are
  the same instant. Both are printed on the receipt the applicant gets (`receipt.py`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import registry
from modules.engine.numbering import next_number

from . import rules

CHANNELS = (
    ("online", "Trực tuyến", "Online"),
    ("paper", "Hồ sơ giấy", "On paper"),
)
EVIDENCE = (
    ("postmark", "Dấu bưu điện", "Postmark"),
    ("stamp", "Dấu «đến» của cơ quan quản lý", "The managing unit's “đến” stamp"),
)
PAPER_FIELDS = ("paper_evidence", "paper_received_at")  # the managing unit's to enter


def _day(moment: Any) -> Any:
    return timezone.localtime(moment).date()


def paper_in_time(dossier: Any, user: Any) -> str | None:
    """Refuse a paper receipt that the envelope does not show in time."""
    notice = dossier.notice
    if not dossier.paper_evidence or not dossier.paper_received_at:
        return (
            "Nhập căn cứ ngày nhận (dấu bưu điện hoặc dấu đến) và ngày trên dấu. / "
            "Enter what shows the receipt date (postmark or “đến” stamp) and its date."
        )
    if notice.state != "published":
        return "Thông báo không còn nhận hồ sơ. / The notice no longer takes dossiers."
    when = dossier.paper_received_at
    if when > timezone.now():
        return "Ngày trên dấu chưa đến. / The date on the stamp is in the future."
    if notice.published_at and _day(when) < _day(notice.published_at):
        return (
            "Ngày trên dấu trước ngày đăng thông báo. / "
            "The date on the stamp is before the notice was published."
        )
    late = (
        _day(when) > _day(notice.deadline)
        if dossier.paper_evidence == "postmark"
        else not rules.before_deadline(when, notice.deadline)
    )
    return rules.late_message(notice.deadline) if late else None


def on_paper_received(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """The receipt date is the envelope's; the system's own timestamp is the recording's."""
    from .hooks import replace_submitted

    dossier.channel = "paper"
    dossier.received_at = dossier.paper_received_at
    dossier.recorded_at = timezone.now()
    dossier.recorded_by = user
    entity = registry.entity_by_label("stm.SelectionDossier")
    if not dossier.number:  # numbered on receipt, as the online `submit` is (`numbering_on`)
        dossier.number = next_number(entity.label, entity.numbering, dossier)
    replace_submitted(dossier, user)
