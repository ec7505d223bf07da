"""The public lookup's allowance per client address: the page, the GraphQL query and the subscription."""

from __future__ import annotations

from django.conf import settings

from modules.engine.ratelimit import RateLimited as LookupLimited
from modules.engine.ratelimit import check_rate

GROUP = "onestop.lookup"
__all__ = ["LookupLimited", "check_lookup_rate"]


def check_lookup_rate(client: str) -> None:
    check_rate(GROUP, client, getattr(settings, "ONESTOP_LOOKUP_RATE", "30/m"))
