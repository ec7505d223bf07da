"""Applicants register themselves (issue 18): an account outside the Ministry, its organisation's
profile (B1-3-LLTC) and membership of the organisation's group, in one transaction.

No log-in needed, so the intake is rate-limited per address like the other public entry
points. The account holds the applicant role only; the organisation is created through the
write path as that account, so the grants and the history are the same as any later write.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from modules.engine import registry, services
from modules.engine.errors import FieldProblem, InvalidInput
from modules.engine.ratelimit import check_rate

from .roles import STM_APPLICANT

REGISTER_GROUP = "stm-register"


def register(values: dict[str, Any], client: str) -> Any:
    """Create the account and its organisation; field-level errors for what is wrong."""
    check_rate(REGISTER_GROUP, client, getattr(settings, "STM_REGISTER_RATE", "10/h"))
    username = (values.get("username") or "").strip()
    password = values.get("password") or ""
    email = (values.get("email") or "").strip()
    problems: list[FieldProblem] = []
    if len(username) < 4 or not username.replace("_", "").replace(".", "").isalnum():
        problems.append(
            FieldProblem(
                "username",
                "INVALID",
                "Tên đăng nhập từ 4 ký tự, chữ, số, dấu chấm hoặc gạch dưới. / "
                "A username of 4 or more letters, digits, dots or underscores.",
            )
        )
    elif User.objects.filter(username__iexact=username).exists():
        problems.append(FieldProblem("username", "TAKEN", "Tên đăng nhập đã có. / This username is taken."))
    if "@" not in email:
        problems.append(
            FieldProblem("email", "INVALID", "Thư điện tử không hợp lệ. / Invalid email address.")
        )
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        problems.append(FieldProblem("password", "WEAK_PASSWORD", " ".join(error.messages)))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        user.groups.add(Group.objects.get_or_create(name=STM_APPLICANT)[0])
        organisation = services.create_record(
            registry.entity_by_label("stm.HostOrganisation"),
            user,
            {
                "name": values.get("organisation_name") or "",
                "tax_code": values.get("tax_code") or "",
                "address": values.get("address") or "",
                "email": email,
            },
        )
    return organisation
