"""Heavy report files: zip bombs refused or capped, a large XLSX extracted by the real job worker
(django-q2's `qcluster`, started here against the test database) with its progress on the
submission page, and a job over its time or memory cap ending in a clear bilingual error.

The extractor never runs in the web process: light files go to the capped child within the
request, heavy ones to the worker, which runs the same child.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import Workbook

from modules.engine.models import JobProgress
from modules.engine.sandbox import WorkRefused, run_capped
from modules.reporting import submissions
from modules.reporting.extraction import ExtractionError, IndicatorSpec, extract
from modules.reporting.extraction.portable import TARGET
from tests.bombs import MB, inflated_size, peak_memory_growth, xlsx_sheet_bomb
from tests.live_server import _database_env
from tests.reporting_helpers import make_form, make_regime, open_period, submission_of

ROOT = Path(__file__).resolve().parent.parent
# The worker is another process: what it must see is committed (transaction=True).
WITH_WORKER = pytest.mark.django_db(transaction=True)

SPECS = [IndicatorSpec("TASKS_NATIONAL", "Số nhiệm vụ cấp quốc gia")]


def legit_workbook(rows: int = 5000, cols: int = 56) -> bytes:
    """A real report of about 3 MB: the figures on one sheet, 280,000 numbers on another."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("Biểu 01")
    summary.append(["BÁO CÁO THÁNG 01/2027 — SỞ KH&CN HÀ NỘI"])
    summary.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"])
    summary.append([1, "Số nhiệm vụ cấp quốc gia", "nhiệm vụ", 4])
    summary.append([2, "Số nhiệm vụ cấp tỉnh", "nhiệm vụ", 18])
    summary.append([3, "Kinh phí đã giải ngân", "triệu đồng", "1.234,5"])
    detail = book.create_sheet("Chi tiết")
    numbers = random.Random(7)
    detail.append([f"Cột {c}" for c in range(cols)])
    for _ in range(rows):
        detail.append([round(numbers.random() * 1e6, 6) for _ in range(cols)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def big_report() -> bytes:
    data = legit_workbook()
    assert 2.5 * MB < len(data) < 6 * MB
    return data


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    """django-q2's cluster, the real one, on the test database; stopped at the end."""
    with django_db_blocker.unblock():
        env = {**os.environ, **_database_env(), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "qcluster-test.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture
def period(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return open_period(org.admin, regime, 2027, 1)


def officer(org) -> Client:
    client = Client()
    client.force_login(org.officer_a)
    return client


def upload(client: Client, sub, data: bytes, name: str = "bao-cao.xlsx"):
    buffer = io.BytesIO(data)
    buffer.name = name
    return client.post(f"/reporting/submissions/{sub.pk}/", {"action": "extract", "report_file": buffer})


def watch(client: Client, url: str, timeout: float = 90) -> list[dict]:
    """Poll the job's progress as the page does, until it ends; every answer seen."""
    seen: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(url).json()
        seen.append(answer)
        if answer["state"] in ("done", "failed"):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"the job did not end in {timeout} s: {seen[-1]}")


# --- zip bombs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_zip_bomb_over_the_inflated_limit_is_refused_at_once(org, period):
    bomb = xlsx_sheet_bomb(rows=1_400_000, cells_per_row=10)  # 230 MB of sheet XML in 1 MB
    assert len(bomb) < 2 * MB and inflated_size(bomb) > 200_000_000
    sub = submission_of(period, org.province_a)
    started = time.monotonic()
    with peak_memory_growth() as growth:
        response = upload(officer(org), sub, bomb)
    html = response.content.decode()
    assert response.status_code == 400 and 'id="general-errors"' in html
    assert "Tệp giải nén quá lớn" in html and "inflates to too much data" in html
    # Refused from the ZIP's directory: no inflating (a generous bound, for a loaded CI machine).
    assert time.monotonic() - started < 30 and growth[0] < 50 * MB
    assert not JobProgress.objects.exists() and submissions.current_values(sub) == {}


def test_a_zip_bomb_under_the_limit_is_streamed_and_capped():
    """700,000 rows of sheet XML (110 MB): read row by row, stopped at the row cap, with a
    warning; the old reader built every cell (several GB). In the capped child it cannot pass
    its memory limit whatever happens."""
    bomb = xlsx_sheet_bomb(rows=700_000, cells_per_row=10)
    assert 100_000_000 < inflated_size(bomb) < 200_000_000
    with peak_memory_growth() as growth:
        result = extract(bomb, "bom.xlsx", SPECS)
    assert growth[0] < 200 * MB
    assert any("quá lớn" in w and "truncated" in w for w in result.warnings)
    capped = run_capped(
        TARGET,
        bomb,
        {"filename": "bom.xlsx", "indicators": [], "max_bytes": 20_000_000},
        seconds=60,
        memory_mb=768,
    )
    assert any("truncated" in w for w in capped["warnings"])


def test_a_word_file_whose_body_inflates_too_far_is_refused():
    """python-docx parses the body whole: its part has a tighter limit than a streamed sheet."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as body:
            block = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>" * 30_000
            for _ in range(60):
                body.write(block)
    bomb = buffer.getvalue()
    assert len(bomb) < MB and inflated_size(bomb) > 60_000_000
    with peak_memory_growth() as growth, pytest.raises(ExtractionError) as refused:
        extract(bomb, "bom.docx", SPECS)
    assert refused.value.code == "too_large" and "Tệp giải nén quá lớn" in refused.value.message
    assert growth[0] < 50 * MB


# --- the job ----------------------------------------------------------------------------


@WITH_WORKER
def test_a_large_report_is_extracted_by_the_worker_with_progress_on_the_page(
    org, period, worker, big_report, settings
):
    settings.EXTRACTION_JOB_SECONDS = 120
    sub = submission_of(period, org.province_a)
    client = officer(org)
    started = time.monotonic()
    response = upload(client, sub, big_report)
    assert response.status_code == 302 and "?extraction=" in response["Location"]
    assert time.monotonic() - started < 30  # the request only queued the work (loaded CI: generous)
    page = client.get(response["Location"]).content.decode()
    assert 'id="extraction-progress"' in page and "Đang trích xuất" in page and "Extracting" in page
    status_url = page.split('data-status-url="')[1].split('"')[0]

    seen = watch(client, status_url)
    assert seen[-1]["state"] == "done" and seen[-1]["percent"] == 100
    assert any(s["state"] == "running" and 0 < s["done"] < s["total"] for s in seen), seen  # it moved

    page = client.get(response["Location"]).content.decode()
    assert 'id="extraction-progress"' not in page
    assert 'data-proposal="TASKS_NATIONAL"' in page and 'data-proposal="BUDGET_SPENT"' in page
    assert 'value="1234.5"' in page and "Biểu 01" in page
    assert submissions.current_values(sub) == {}  # proposed, not saved

    stranger = Client()
    stranger.force_login(org.officer_b)
    assert stranger.get(status_url).status_code == 404  # another person's job does not exist
    assert stranger.get(response["Location"]).status_code == 404


@WITH_WORKER
def test_in_a_browser_the_bar_moves_then_the_proposals_appear(org, period, worker, big_report, tmp_path):
    """The page's own script: it polls, the bar fills, the page reloads with the proposals."""
    from playwright.sync_api import Error as PlaywrightError

    from tests.browser import chromium
    from tests.live_server import daphne_server

    sub = submission_of(period, org.province_a)
    report = tmp_path / "bao-cao-lon.xlsx"
    report.write_bytes(big_report)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/admin/login/")
        page.fill("input[name=username]", "officer_a")
        page.fill("input[name=password]", "pass12345")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.goto(f"{base}/reporting/submissions/{sub.pk}/")
        page.set_input_files("#report-file", str(report))
        page.click("button[value=extract]")
        page.wait_for_selector("#extraction-progress")
        values: list[float] = []
        deadline = time.monotonic() + 90
        while not page.locator('[data-proposal="TASKS_NATIONAL"]').count():
            assert time.monotonic() < deadline, f"no proposals after 90 s; bar values {values}"
            try:
                value = page.evaluate("document.getElementById('extraction-bar')?.value ?? null")
            except PlaywrightError:  # the page reloading itself at the end, between two looks
                value = None
            if value is not None:
                values.append(value)
            page.wait_for_timeout(100)
        assert any(0 < v < 100 for v in values), values  # seen part-way, not just before and after
        assert page.locator("#extraction-progress").count() == 0
        assert page.input_value("#v_BUDGET_SPENT") == "1234.5"


def status_url_of(client: Client, page_url: str) -> str:
    return client.get(page_url).content.decode().split('data-status-url="')[1].split('"')[0]


@WITH_WORKER
def test_a_job_over_its_time_or_memory_cap_ends_with_a_clear_error(org, period, worker, big_report, settings):
    sub = submission_of(period, org.province_a)
    client = officer(org)

    settings.EXTRACTION_JOB_SECONDS = 1
    slow = upload(client, sub, big_report)["Location"]
    seen = watch(client, status_url_of(client, slow))
    assert seen[-1]["state"] == "failed" and seen[-1]["error_code"] == "TIMEOUT"
    page = client.get(slow).content.decode()
    assert "Xử lý quá 1 giây" in page and "took over 1 s" in page and 'id="general-errors"' in page

    settings.EXTRACTION_JOB_SECONDS, settings.EXTRACTION_MEMORY_MB = 120, 100
    greedy = upload(client, sub, big_report)["Location"]
    seen = watch(client, status_url_of(client, greedy))
    assert seen[-1]["state"] == "failed" and seen[-1]["error_code"] == "MEMORY_LIMIT", seen[-1]
    page = client.get(greedy).content.decode()
    assert "cần hơn 100 MB bộ nhớ" in page and "more than 100 MB of memory" in page
    assert submissions.current_values(sub) == {}


@pytest.mark.django_db
def test_a_job_nobody_picks_up_fails_at_its_deadline_instead_of_waiting_forever(org, period, big_report):
    """No worker here: once the deadline passes, the page says so rather than spinning."""
    import datetime as dt

    from django.utils import timezone

    sub = submission_of(period, org.province_a)
    client = officer(org)
    response = upload(client, sub, big_report)
    job = JobProgress.objects.get()
    assert client.get(f"/jobs/{job.pk}/progress").json()["state"] == "queued"
    JobProgress.objects.filter(pk=job.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    answer = client.get(f"/jobs/{job.pk}/progress").json()
    assert answer["state"] == "failed" and answer["error_code"] == "NOT_STARTED"
    assert "bộ chạy việc nền" in answer["error"] and "job worker" in answer["error"]
    assert "job worker" in client.get(response["Location"]).content.decode()


def test_the_sandbox_caps_memory_and_time_for_any_target():
    with pytest.raises(WorkRefused) as refused:
        run_capped(
            TARGET,
            xlsx_sheet_bomb(rows=200_000, cells_per_row=10),
            {"filename": "x.xlsx", "indicators": [], "max_bytes": 20_000_000},
            seconds=0.5,
            memory_mb=768,
        )
    assert refused.value.code == "TIMEOUT" and "0.5" in refused.value.message
