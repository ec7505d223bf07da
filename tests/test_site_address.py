"""Printed links follow the server's own address (issue 12.9).

`make run PORT=8123` must put http://127.0.0.1:8123 on receipt slips (text and QR), in
reminder emails and in the demo's printed links, unless SITE_URL is given.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def _site_urls(*args: str) -> set[str]:
    plan = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {word.split("=", 1)[1] for word in plan.split() if word.startswith("SITE_URL=")}


def test_make_run_takes_the_site_address_from_host_and_port():
    # seed_demo, the job worker (reminder emails) and Daphne all get the same address.
    assert _site_urls("PORT=8123") == {"http://127.0.0.1:8123"}
    assert _site_urls("HOST=0.0.0.0", "PORT=9000") == {"http://0.0.0.0:9000"}


def test_a_given_site_url_wins():
    assert _site_urls("PORT=8123", "SITE_URL=https://onemst.example.vn") == {"https://onemst.example.vn"}


def test_the_receipt_slip_link_uses_the_site_address():
    from modules.onestop.pdfs import lookup_url

    with override_settings(SITE_URL="http://127.0.0.1:8123/"):
        assert lookup_url("000.00.01.H01-261130-0001") == (
            "http://127.0.0.1:8123/tra-cuu/?ma=000.00.01.H01-261130-0001"
        )
