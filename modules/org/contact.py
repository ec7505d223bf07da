"""Contact details of the public (applicants, petitioners): Vietnamese phone numbers and emails.

Phones are checked and normalised with libphonenumber's data (`phonenumbers`), so
"0912 345 678", "+84 912 345 678" and "0912345678" are one number.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

BAD_PHONE = "Số điện thoại không hợp lệ. / Invalid phone number."
BAD_EMAIL = "Thư điện tử không hợp lệ. / Invalid email address."


def normalise_phone(raw: str | None) -> str | None:
    """The national form without spaces ("0912345678"), or None when it is not a valid number."""
    try:
        parsed = phonenumbers.parse((raw or "").strip(), "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


def check_contact(record: Any, problems: dict[str, list[str]]) -> None:
    """Validate `record.phone` (normalising it in place) and `record.email`, adding field problems."""
    phone = normalise_phone(record.phone)
    if phone is None:
        problems["phone"] = [BAD_PHONE]
    else:
        record.phone = phone
    if record.email:
        try:
            validate_email(record.email)
        except ValidationError:
            problems["email"] = [BAD_EMAIL]
