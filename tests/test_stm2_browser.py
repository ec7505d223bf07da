"""Issue 19 in Debian chromium, one browser session: the provincial clerk uploads a backfill
file on `/stm/hoi-to/`, watches the progress bar finish and reads the report; the ministry's
leader opens `/board/stm/` and sees the KPI figures of those tasks; a citizen, signed in as
nobody, opens the page of published acceptance dossiers. Screenshots in docs/screens/.

The three tasks of the file (`test_stm_backfill.three_tasks`): one recognised "Đạt", one
"Không đạt", one in progress; with the task whose acceptance dossier is published today, the
board reads 4 tasks and ratings 0 / 1 / 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from modules.engine import registry, workdays
from modules.stm import backfill_jobs
from tests.browser import chromium, orm
from tests.live_server import daphne_server
from tests.stm2_helpers import host, make_acceptance, signed_contract
from tests.stm_helpers import fire
from tests.test_stm_backfill import three_tasks, xlsx
from tests.test_stm_browser import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"


def published_today(org):
    """A task ended ten days ago whose acceptance dossier is filed, found valid and published
    today (real time: the server's clock is not travelled)."""
    user, organisation, pi = host()
    today = workdays.today()
    contract = signed_contract(
        org.officer_a,
        organisation,
        pi,
        title="Hệ thống giám sát chất lượng nước sông Hồng",
        start_on=today - dt.timedelta(days=400),
        end_on=today - dt.timedelta(days=10),
    )
    dossier = fire(user, make_acceptance(user, contract), "AcceptanceDossier", "submit")
    dossier = fire(org.officer_a, dossier, "AcceptanceDossier", "accept")
    return fire(org.officer_a, dossier, "AcceptanceDossier", "publish")


def test_backfill_upload_then_the_board_then_the_public_page(org, legal_days, tmp_path):
    dossier = published_today(org)
    upload = tmp_path / "lich-su-nhiem-vu.xlsx"
    upload.write_bytes(xlsx(three_tasks()))
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    with daphne_server({"JOB_FILES_ROOT": str(jobs)}) as base:
        clerk, leader = session_cookie(org.officer_a, base), session_cookie(org.leader, base)
        with chromium() as browser:
            context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 860})
            context.add_cookies([clerk])
            page = context.new_page()
            page.goto(f"{base}/stm/hoi-to/")
            page.set_input_files("#file", str(upload))
            page.click("#upload")
            page.wait_for_selector("#job[data-state='queued']")
            job_id = page.url.split("job=")[1]
            # what the django-q worker does once asked, with the same files folder as the server
            from django.test import override_settings

            def work() -> str:
                with override_settings(JOB_FILES_ROOT=str(jobs)):
                    return backfill_jobs.run(job_id)

            assert orm(work) == "done"
            page.wait_for_selector("#report-ok", timeout=20_000)  # the bar's poll reloads the page
            assert "Đã nhập 3 nhiệm vụ" in page.inner_text("#report-ok")
            page.screenshot(path=str(SCREENS / "stm-backfill-report.png"), full_page=True)
            context.clear_cookies()

            context.add_cookies([leader])
            board = context.new_page()
            board.goto(f"{base}/board/stm/")
            board.wait_for_function("document.getElementById('t-tasks').textContent === '4'", timeout=20_000)
            assert board.inner_text("#t-ratings") == "0 / 1 / 1"
            board.screenshot(path=str(SCREENS / "stm-board.png"), full_page=True)
            context.close()

            citizen = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
            public = citizen.new_page()
            answer = public.goto(f"{base}/stm/cong-khai/")
            assert answer.status == 200
            assert "Công khai hồ sơ đánh giá, nghiệm thu" in public.inner_text("header")
            shown = public.inner_text(f"[data-number='{dossier.number}']")  # no log-in asked
            assert "Hệ thống giám sát chất lượng nước sông Hồng" in shown
            assert public.locator(".dossier").count() == 1  # the backfilled tasks were never published
            public.screenshot(path=str(SCREENS / "stm-public.png"), full_page=True)
            citizen.close()
    total = orm(lambda: registry.model_for("stm.Contract").objects.filter(backfilled=True).count())
    assert total == 3
