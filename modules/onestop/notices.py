"""What the applicant is told, and when: receipt, supplement request, refusal, re-schedule, result.

NĐ 61/2018 (domain.md §1.3): online applicants are notified at receipt (step 2); the
one-stop unit notifies the applicant of a new date (step 5) and of an early result (step
6). The texts are written here, in Vietnamese first with an English line in the email, with
dates as dd/mm/yyyy and the status by its name, never a stored code. They go through the
engine's outbox (`engine/outbox.py`), in the transaction of the change: email when the
dossier has an address, SMS when it has a phone and a gateway is configured.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import outbox

from . import pdfs

OUTBOX = "onestop.applicant"
# the change of state that tells the applicant something, by its new state
BY_STATE = {"accepted": "receipt", "supplement": "supplement", "refused": "refusal", "processed": "result"}


def _date(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _texts(dossier: Any, topic: str) -> tuple[str, str, str]:
    """(subject, email body, SMS text) for one topic."""
    code = dossier.number
    name = dossier.applicant_name
    procedure = dossier.procedure.name
    look = pdfs.lookup_url(code) if code else ""
    place = pdfs.COLLECTION_LABELS.get(dossier.collection, "")
    if topic == "receipt":
        subject = f"Đã tiếp nhận hồ sơ {code}"
        vi = (
            f"Bộ phận một cửa đã tiếp nhận hồ sơ «{procedure}» của {name}.\n"
            f"Mã hồ sơ: {code}. Ngày hẹn trả kết quả: {_date(dossier.promised_date)}.\n"
            f"Tra cứu tiến độ: {look}"
        )
        en = f"Your dossier {code} was received; the result is promised for {_date(dossier.promised_date)}."
        sms = f"Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả ngày {_date(dossier.promised_date)}."
    elif topic == "supplement":
        subject = f"Yêu cầu bổ sung, hoàn thiện hồ sơ {code}"
        vi = (
            f"Hồ sơ «{procedure}» của {name} (mã {code}) cần bổ sung, hoàn thiện:\n"
            f"{dossier.supplement_request}\n"
            "Thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ.\n"
            f"Tra cứu: {look}"
        )
        en = f"Dossier {code} needs more documents (listed above); the time limit restarts when complete."
        sms = f"Hồ sơ {code} cần bổ sung, hoàn thiện. Chi tiết: {look}"
    elif topic == "refusal":
        when = timezone.localtime(dossier.finished_at) if dossier.finished_at else None
        subject = "Từ chối tiếp nhận giải quyết hồ sơ" + (f" {code}" if code else "")
        vi = (
            f"Hồ sơ «{procedure}» của {name}"
            + (f" (mã {code})" if code else "")
            + f" không được tiếp nhận giải quyết ngày {_date(when)}.\nLý do: {dossier.refusal_reason}"
        )
        en = "Your dossier was not accepted for processing; the reason is given above."
        sms = f"Hồ sơ «{procedure}» không được tiếp nhận. Lý do: {dossier.refusal_reason}"[:300]
    elif topic == "reschedule":
        subject = f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}"
        vi = (
            f"Cơ quan giải quyết xin lỗi {name} vì hồ sơ «{procedure}» (mã {code}) chưa trả kết quả "
            f"đúng hẹn ngày {_date(dossier.original_promised_date)}.\n"
            f"Lý do: {dossier.reschedule_reason}\n"
            f"Ngày hẹn trả kết quả mới: {_date(dossier.promised_date)}."
        )
        en = f"We apologise: the result of {code} is now promised for {_date(dossier.promised_date)}."
        sms = f"Xin lỗi: hồ sơ {code} hẹn lại ngày trả kết quả {_date(dossier.promised_date)}."
    elif topic == "result":
        subject = f"Đã có kết quả giải quyết hồ sơ {code}"
        vi = (
            f"Hồ sơ «{procedure}» của {name} (mã {code}) đã có kết quả giải quyết.\n"
            f"Nơi nhận kết quả: {place}. Ngày hẹn trả: {_date(dossier.promised_date)}."
        )
        how = "by post" if dossier.collection == "post" else "at the counter"
        en = f"The result of your dossier {code} is ready ({how})."
        sms = f"Hồ sơ {code} đã có kết quả. Nơi nhận: {place}."
    else:
        raise ValueError(f"unknown notice {topic!r}")
    body = f"Kính gửi {name},\n\n{vi}\n\nBộ phận một cửa\n\n---\n{en}\n"
    return f"[Một cửa] {subject}", body, sms


def notify(dossier: Any, topic: str) -> int:
    """Queue the notice by email and SMS in the current transaction; how many were queued."""
    subject, body, sms = _texts(dossier, topic)
    stream = f"onestop.Dossier:{dossier.pk}"
    queued = 0
    if dossier.email:
        queued += bool(
            outbox.enqueue(
                OUTBOX,
                "email",
                recipient=dossier.email,
                subject=subject,
                body=body,
                record=dossier,
                topic=topic,
                stream=f"email:{stream}",
            )
        )
    if dossier.phone and outbox.enabled("sms"):
        queued += bool(
            outbox.enqueue(
                OUTBOX,
                "sms",
                recipient=dossier.phone,
                body=sms,
                record=dossier,
                topic=topic,
                stream=f"sms:{stream}",
            )
        )
    return queued
