"""Petition rules plugged into the generated entity: validation, classification, answer, publication."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from modules.engine import workdays
from modules.org.contact import check_contact

from . import rules


def validate_petition(petition: Any, user: Any) -> dict[str, list[str]]:
    """Art. 7: a petition gives the name, address and phone, in Vietnamese."""
    problems: dict[str, list[str]] = {}
    check_contact(petition, problems)
    if len((petition.petitioner_name or "").strip()) < 3:
        problems["petitioner_name"] = ["Ghi rõ họ tên hoặc tên tổ chức. / Give a full name."]
    if len((petition.address or "").strip()) < 8:
        problems["address"] = ["Ghi rõ địa chỉ liên hệ. / Give a full address."]
    if len((petition.content or "").strip()) < 20:
        problems["content"] = ["Nội dung quá ngắn (ít nhất 20 ký tự). / Too short (20 characters at least)."]
    if (
        petition.answer_deadline
        and petition.created_at
        and petition.answer_deadline < timezone.localtime(petition.created_at).date()
    ):
        problems["answer_deadline"] = ["Hạn trả lời trước ngày nhận. / Before the receipt date."]
    return problems


def before_petition_save(petition: Any, user: Any, created: bool) -> None:
    if created:
        petition.forward_deadline = rules.forward_deadline(workdays.today())
        petition.feedback_key = secrets.token_urlsafe(24)
        classify_at_intake(petition)


def classify_at_intake(petition: Any) -> None:
    """Logged in the register, then classified at once when the rules decide (Art. 9):
    a complaint or denunciation is out of scope (Art. 1); a text not in Vietnamese is not
    accepted (Art. 7). The reason and the notice the petitioner is shown stay on the record."""
    text = " ".join(filter(None, (petition.subject, petition.content, petition.proposal)))
    reason = rules.intake_refusal(petition.kind, text)
    if reason is None:
        return
    petition.state = "not_accepted" if reason == rules.NOT_VIETNAMESE else "out_of_scope"
    petition.refusal_reason = reason
    petition.notice = rules.NOTICES[reason]


# --- guards (a refusal message, or None) ---------------------------------------------------


def forward_target_given(petition: Any, user: Any) -> str | None:
    if not (petition.forwarded_to or "").strip():
        return "Ghi cơ quan nhận chuyển trước. / Fill in the body it is forwarded to first."
    return None


def assignment_given(petition: Any, user: Any) -> str | None:
    if petition.assigned_unit_id is None or petition.answer_deadline is None:
        return "Chọn đơn vị xử lý và hạn trả lời trước. / Choose the handling unit and answer deadline first."
    return None


def complaint_or_denunciation(petition: Any, user: Any) -> str | None:
    if petition.kind not in (rules.COMPLAINT, rules.DENUNCIATION):
        return (
            "Ghi loại đơn là khiếu nại hoặc tố cáo trước. / Set the kind to complaint or denunciation first."
        )
    return None


def answer_ready(petition: Any, user: Any) -> str | None:
    if not (petition.answer or "").strip():
        return "Nhập kết quả xử lý trước. / Write the answer first."
    if not (petition.review_notes or "").strip():
        return "Ghi nhận xét theo 6 tiêu chí trước. / Record the six-criteria review first."
    return None


# --- transitions -------------------------------------------------------------------------


def on_classified(petition: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    if transition.name == "forward":
        petition.forwarded_at = timezone.now()
    if transition.name == "accept" and petition.assigned_unit_id:
        petition.owner_unit_id = petition.assigned_unit_id  # the handling unit sees and answers it


def on_routed_out(petition: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    petition.refusal_reason = petition.kind
    petition.notice = rules.NOTICES[petition.kind]


def on_answered(petition: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    petition.answered_at = timezone.now()
    petition.answered_on_time = petition.answer_deadline is None or (
        timezone.localtime(petition.answered_at).date() <= petition.answer_deadline
    )


def on_published(petition: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    petition.published_at = timezone.now()
