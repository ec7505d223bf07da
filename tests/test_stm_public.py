"""The citizen's page of published acceptance dossiers (issue 19; domain.md §7 "Acceptance":
"Publication: within 5 working days, for 60 days").

The dossier is published on Friday 08/10/2027; 60 days counted from the next day end on Tuesday
07/12/2027 (23 days left in October, 30 in November, 7 in December): shown on that day, gone on
08/12. A draft, a dossier found valid but not yet published, and a secret task never show; nor
does any field outside the published facts (files, refund, missing items). No log-in; past the
allowance per address, a 429 with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from modules.engine import services
from tests.stm2_helpers import START, host, make_acceptance, signed_contract
from tests.stm_helpers import E, add_pi, register_org
from tests.test_stm_acceptance import at, oct_, published, step

PUBLISHED_ON = dt.date(2027, 10, 8)
LAST_DAY = dt.date(2027, 12, 7)
SECRET_TITLE = "Nghiên cứu vật liệu che chắn cho công trình đặc biệt"


def page(day: dt.date, query: str = "", address: str = "10.0.0.1") -> tuple[int, str]:
    with time_machine.travel(at(day, 10), tick=False):
        answer = Client(REMOTE_ADDR=address).get("/stm/cong-khai/", {"q": query} if query else {})
    return answer.status_code, answer.content.decode()


@pytest.fixture
def dossiers(org, legal_days):
    """One published dossier, one draft and one found valid but unpublished, and a secret task."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.stm2_helpers import PDF_BYTES

    user, organisation, pi = host()
    with time_machine.travel(at(START), tick=False):
        shown = signed_contract(org.officer_a, organisation, pi, task_code="ĐT-CK-01")
        drafted = signed_contract(
            org.officer_a,
            organisation,
            add_pi(user, organisation, "Trần Thị Bình"),
            title="Nhiệm vụ hồ sơ còn nháp",
        )
        checked = signed_contract(
            org.officer_a,
            organisation,
            add_pi(user, organisation, "Lê Văn Cường"),
            title="Nhiệm vụ hồ sơ chưa công khai",
        )
    dossier = published(org, {"user": user, "contract": shown})
    with time_machine.travel(at(oct_(4)), tick=False):
        make_acceptance(user, drafted)
        valid = make_acceptance(user, checked)
    valid = step(user, valid, "AcceptanceDossier", "submit", oct_(4))
    step(org.officer_a, valid, "AcceptanceDossier", "accept", oct_(5))
    keeper = register_org(user, "Viện Kỹ thuật Đặc biệt")
    services.create_record(
        E("SecretTask"),
        org.officer_a,
        {
            "title": SECRET_TITLE,
            "task_type": "tech",
            "science_field": "102",
            "organisation": keeper.pk,
            "investigator": add_pi(user, keeper, "Phạm Văn Quốc").pk,
            "commitment_b17": SimpleUploadedFile("b17.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    return {"dossier": dossier, "contract": shown}


def test_a_published_dossier_is_shown_for_60_days_then_gone(dossiers):
    dossier = dossiers["dossier"]
    assert dossier.published_until == LAST_DAY  # the rule's 60 days, counted by hand
    status, html = page(PUBLISHED_ON)
    assert status == 200 and dossier.number in html
    assert "Nền tảng dữ liệu KH&amp;CN tỉnh" in html and "ĐT-CK-01" in html
    assert "08/10/2027 – 07/12/2027" in html
    assert dossier.number in page(LAST_DAY, address="10.0.0.2")[1]
    status, html = page(LAST_DAY + dt.timedelta(days=1), address="10.0.0.3")
    assert status == 200 and dossier.number not in html and 'id="empty"' in html
    assert dossier.number not in page(PUBLISHED_ON - dt.timedelta(days=1), address="10.0.0.4")[1]


def test_drafts_unpublished_dossiers_secret_tasks_and_other_fields_never_show(dossiers):
    _, html = page(PUBLISHED_ON, address="10.0.1.1")
    assert html.count('class="card dossier"') == 1
    for hidden in ("Nhiệm vụ hồ sơ còn nháp", "Nhiệm vụ hồ sơ chưa công khai", SECRET_TITLE, "Đặc biệt"):
        assert hidden not in html
    for field in ("/media/", ".pdf", "1.000.000.000", "1000000000", "Kinh phí", "Hoàn trả", "bổ sung"):
        assert field not in html  # no file, no budget, no refund, no missing items
    # searching for a hidden one finds nothing either
    assert 'id="empty"' in page(PUBLISHED_ON, "chưa công khai", address="10.0.1.2")[1]
    assert 'id="empty"' in page(PUBLISHED_ON, "che chắn", address="10.0.1.3")[1]
    assert dossiers["dossier"].number in page(PUBLISHED_ON, "ĐT-CK", address="10.0.1.4")[1]


def test_the_page_is_rate_limited_per_address(dossiers, settings):
    settings.STM_PUBLIC_RATE = "3/m"
    for _ in range(3):
        assert page(PUBLISHED_ON, address="10.0.2.1")[0] == 200
    status, html = page(PUBLISHED_ON, address="10.0.2.1")
    assert status == 429 and "Bạn thao tác quá nhiều lần" in html
    assert dossiers["dossier"].number not in html
    assert page(PUBLISHED_ON, address="10.0.2.2")[0] == 200  # another address keeps its allowance
