"""Everything is reachable from the admin (issue 12.7): the sidebar links the live boards, the
public pages and the job schedule, each only for the people who may use it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

BOARDS = ("/board/tasks/", "/board/reports/", "/board/dossiers/")
PUBLIC = ("/tra-cuu/", "/kien-nghi/")
SCHEDULE = "/admin/django_q/schedule/"


def _sidebar(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_platform_admin_reaches_every_board_public_page_and_the_job_schedule(org):
    html = _sidebar(org.admin)
    for path in (*BOARDS, *PUBLIC, SCHEDULE):
        assert f'href="{path}"' in html, path
    assert "Bảng theo dõi và trang công khai" in html
    assert "Lịch tác vụ định kỳ" in html


def test_a_provincial_officer_sees_the_boards_of_what_they_may_view_and_no_job_schedule(org):
    html = _sidebar(org.officer_a)
    assert 'href="/board/tasks/"' in html  # they may view tasks
    for path in PUBLIC:
        assert f'href="{path}"' in html, path
    assert f'href="{SCHEDULE}"' not in html
    assert 'href="/board/dossiers/"' not in html  # no role on one-stop dossiers
