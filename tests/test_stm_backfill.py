"""Backfilling past tasks (issue 19, seed 003's "hồi tố"): a province imports its history from a
spreadsheet, one row per task. Every row is checked before anything is kept (a bad file saves
no row, and the clerk reads each row's field errors); the same file imported again changes
nothing; the backfilled tasks then show in the national export and the KPIs like any other.
The files are real XLSX workbooks written with openpyxl."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from modules.engine import registry
from modules.stm import backfill, backfill_jobs, backfill_sheet, kpis, national_export
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def task_row(code: str = "ĐT-2019-01", **values):
    """A past task as a clerk types it: labels for choices, dd/mm/yyyy and 1.500.000 amounts."""
    return {
        "task_code": code,
        "title": "Nghiên cứu giống lúa chịu mặn",
        "task_type": "Đề tài khoa học kỹ thuật và công nghệ",
        "science_field": "102",
        "organisation": "Viện Lúa Đồng bằng sông Cửu Long",
        "tax_code": "1800123456",
        "investigator": "Nguyễn Văn An",
        "degree": "Tiến sĩ",
        "in_field_since": "01/09/2005",
        "signed_on": dt.datetime(2019, 3, 1),  # an Excel date cell
        "start_on": "01/03/2019",
        "end_on": "28/02/2021",
        "state_budget": "1.500.000.000",
        "other_budget": 200_000_000,
        "disbursed": 1_500_000_000,
        "spending_mode": "Khoán chi đến sản phẩm cuối cùng",
        "status": "Đã nghiệm thu, công nhận",
        "accepted_on": "15/06/2021",
        "rating": "Đạt",
        "result_title": "Giống lúa OM-2021",
        "registration_no": "KQ-2021-15",
        "registered_on": "01/08/2021",
    } | values


def three_tasks() -> list[dict]:
    return [
        task_row(),
        task_row(
            "ĐT-2020-07",
            title="Ứng dụng IoT quan trắc môi trường",
            investigator="Trần Thị Bình",
            degree="Thạc sĩ",
            in_field_since="01/01/2010",
            status="Nghiệm thu không đạt",
            rating="Không đạt",
            accepted_on="20/12/2022",
            start_on="01/01/2020",
            end_on="30/06/2022",
            disbursed="800.000.000",
            result_title=None,
            registration_no=None,
            registered_on=None,
        ),
        task_row(
            "DA-2024-02",
            title="Dự án sản xuất thử nghiệm phân bón hữu cơ",
            task_type="project",
            organisation="Công ty Phân bón Miền Tây",
            tax_code="1800999888",
            investigator="Lê Văn Cường",
            status="Đang thực hiện",
            start_on="01/06/2024",
            end_on="31/05/2027",
            accepted_on=None,
            rating=None,
            disbursed="500.000.000",
            result_title=None,
            registration_no=None,
            registered_on=None,
        ),
    ]


def xlsx(rows: list[dict]) -> bytes:
    return backfill_sheet.write_template(rows)


def model(name: str):
    return registry.model_for(f"stm.{name}")


def counts() -> dict[str, int]:
    return {
        name: model(name).objects.count()
        for name in ("Contract", "TaskResult", "HostOrganisation", "PrincipalInvestigator")
    }


def test_a_good_file_imports_every_task_with_its_contract_status_and_result(org):
    report = backfill.import_file(org.officer_a, org.province_a, xlsx(three_tasks()), "lich-su.xlsx")
    assert report.ok, report.errors
    assert (report.rows, report.created, report.unchanged) == (3, 3, 0)
    rice = model("Contract").objects.get(task_code="ĐT-2019-01")
    assert rice.backfilled and rice.state == "completed" and rice.rating == "pass"
    assert rice.owner_unit_id == org.province_a.pk and rice.dossier_id is None
    assert (rice.start_on, rice.end_on, rice.accepted_on) == (
        dt.date(2019, 3, 1),
        dt.date(2021, 2, 28),
        dt.date(2021, 6, 15),
    )
    assert rice.signed_on == dt.date(2019, 3, 1)
    assert (rice.state_budget, rice.other_budget, rice.disbursed) == (
        1_500_000_000,
        200_000_000,
        1_500_000_000,
    )
    assert rice.organisation.tax_code == "1800123456" and rice.investigator.full_name == "Nguyễn Văn An"
    result = model("TaskResult").objects.get(contract=rice)
    assert (result.state, result.registration_no, result.registered_on) == (
        "registered",
        "KQ-2021-15",
        dt.date(2021, 8, 1),
    )
    failed = model("Contract").objects.get(task_code="ĐT-2020-07")
    assert (failed.state, failed.rating) == ("failed", "fail")
    running = model("Contract").objects.get(task_code="DA-2024-02")
    assert running.state == "active" and running.task_type == "project"
    # the contract's own rules ran: the acceptance dossier is due 30 days after 31/05/2027
    # (Wednesday 30/06/2027)
    assert running.acceptance_due == dt.date(2027, 6, 30)
    # two tasks of one organisation share it, and one investigator each
    assert counts() == {"Contract": 3, "TaskResult": 1, "HostOrganisation": 2, "PrincipalInvestigator": 3}


def test_re_importing_the_same_file_changes_nothing(org):
    data = xlsx(three_tasks())
    assert backfill.import_file(org.officer_a, org.province_a, data).ok
    before = counts()
    versions = sorted(model("Contract").objects.values_list("id", "version"))
    history = model("Contract").history.count()
    again = backfill.import_file(org.officer_a, org.province_a, data)
    assert again.ok and (again.created, again.unchanged) == (0, 3)
    assert counts() == before
    assert sorted(model("Contract").objects.values_list("id", "version")) == versions
    assert model("Contract").history.count() == history


def test_a_bad_file_saves_no_row_and_reports_each_row_with_its_field_errors(org):
    rows = three_tasks()
    # spreadsheet line 3: ends before it starts (and before its signing, 01/03/2019), unknown type
    rows[1] |= {"end_on": "01/01/2019", "task_type": "Đề tài vui"}
    rows[2] |= {"state_budget": "một tỷ", "start_on": "31/02/2024"}  # line 4
    report = backfill.import_file(org.officer_a, org.province_a, xlsx(rows))
    assert not report.ok and report.error_rows == 2 and report.rows == 3
    assert counts() == {"Contract": 0, "TaskResult": 0, "HostOrganisation": 0, "PrincipalInvestigator": 0}
    by_line = {e["line"]: {p["column"] for p in e["problems"]} for e in report.errors}
    assert by_line == {3: {"end_on", "signed_on", "task_type"}, 4: {"state_budget", "start_on"}}
    shown = report.as_dict()
    assert shown["created"] == 0 and "chưa nhập dòng nào" in shown["message"]
    # what the clerk reads names the column, never its code
    labels = {p["label"] for e in report.errors for p in e["problems"]}
    assert "Ngày kết thúc / Ends on" in labels and "end_on" not in labels


def test_a_row_the_write_path_refuses_undoes_the_rows_before_it(org):
    """A result registered on a task still in progress is refused by the result's own rule
    (registered after the acceptance): the two good rows before it are not kept either."""
    rows = three_tasks()
    rows[2] |= {"result_title": "Quy trình ủ phân", "registration_no": "KQ-1", "registered_on": "01/01/2025"}
    report = backfill.import_file(org.officer_a, org.province_a, xlsx(rows))
    assert not report.ok and [e["line"] for e in report.errors] == [4]
    assert counts() == {"Contract": 0, "TaskResult": 0, "HostOrganisation": 0, "PrincipalInvestigator": 0}


def test_a_task_code_twice_in_the_file_and_a_changed_task_are_refused(org):
    assert backfill.import_file(org.officer_a, org.province_a, xlsx(three_tasks()[:1])).ok
    twice = [task_row("ĐT-2030-01"), task_row("ĐT-2030-01")]
    report = backfill.import_file(org.officer_a, org.province_a, xlsx(twice))
    assert [e["line"] for e in report.errors] == [3]
    changed = backfill.import_file(
        org.officer_a, org.province_a, xlsx([task_row(state_budget="1.600.000.000")])
    )
    assert not changed.ok
    message = changed.errors[0]["problems"][0]["message"]
    assert "Kinh phí NSNN" in message
    assert model("Contract").objects.get(task_code="ĐT-2019-01").state_budget == 1_500_000_000


def test_a_file_missing_a_column_or_not_xlsx_is_refused_whole(org):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã số nhiệm vụ", "Tên nhiệm vụ"])
    import io

    out = io.BytesIO()
    book.save(out)
    report = backfill.import_file(org.officer_a, org.province_a, out.getvalue())
    assert report.file_error["code"] == "MISSING_COLUMN" and "Loại nhiệm vụ" in report.file_error["message"]
    assert (
        backfill.import_file(org.officer_a, org.province_a, b"not a workbook").file_error["code"]
        == "NOT_XLSX"
    )


def test_backfilled_tasks_are_in_the_national_export_and_the_kpis(org):
    assert backfill.import_file(org.officer_a, org.province_a, xlsx(three_tasks())).ok
    document = national_export.for_user(org.officer_a, org.province_a)  # checked against the schema
    by_code = {t["code"]: t for t in document["tasks"]}
    assert {t["source"] for t in document["tasks"]} == {"backfill"}
    assert by_code["ĐT-2019-01"]["acceptance"] == {"rating": "pass", "accepted_on": "2021-06-15"}
    assert by_code["DA-2024-02"]["acceptance"] is None
    assert document["results"] == [
        {
            "task_id": "SKHCN-01:ĐT-2019-01",
            "title": "Giống lúa OM-2021",
            "registration_number": "KQ-2021-15",
            "registered_on": "2021-08-01",
        }
    ]
    rows = {r.year: r for r in kpis.compute(org.officer_a, today=dt.date(2026, 12, 1))}
    assert (rows[2019].completed, rows[2019].passed, rows[2019].state_budget) == (1, 1, 1_500_000_000)
    assert (rows[2020].failed, rows[2020].not_passed, rows[2020].disbursed) == (1, 1, 800_000_000)
    assert (rows[2024].active, rows[2024].acceptance_unknown) == (1, 0)
    # a filing date a spreadsheet does not give is not guessed on time or late
    assert rows[2019].acceptance_unknown == 1 and rows[2019].acceptance_due == 0


def test_the_upload_page_runs_the_import_as_a_job_with_its_progress(org, settings, tmp_path):
    settings.JOB_FILES_ROOT = tmp_path
    client = Client()
    client.force_login(org.officer_a)
    page = client.get("/stm/hoi-to/")
    assert page.status_code == 200 and "Tải tệp mẫu" in page.content.decode()
    template = client.get("/stm/hoi-to/mau.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lich-su.xlsx", xlsx(three_tasks()))
    answer = client.post("/stm/hoi-to/", {"file": upload})
    assert answer.status_code == 302
    job_id = answer["Location"].split("job=")[1]
    assert json.loads(client.get(f"/jobs/{job_id}/progress").content)["state"] == "queued"
    assert backfill_jobs.run(job_id) == "done"  # what the worker does once asked
    progress = json.loads(client.get(f"/jobs/{job_id}/progress").content)
    assert (progress["state"], progress["done"], progress["total"]) == ("done", 3, 3)
    shown = client.get(f"/stm/hoi-to/?job={job_id}").content.decode()
    assert "Đã nhập 3 nhiệm vụ" in shown
    # another officer neither sees the job nor its report
    other = Client()
    other.force_login(org.officer_b)
    assert other.get(f"/jobs/{job_id}/progress").status_code == 404
    assert other.get(f"/stm/hoi-to/?job={job_id}").status_code == 404


def test_an_applicant_may_not_backfill(org):
    from tests.stm_helpers import applicant

    client = Client()
    client.force_login(applicant("vien_x"))
    assert client.get("/stm/hoi-to/").status_code == 403
    assert client.get("/stm/hoi-to/mau.xlsx").status_code == 403
    nobody = make_user("nobody", org.province_a, ())
    client.force_login(nobody)
    assert client.get("/stm/hoi-to/").status_code == 403


def test_a_backfilled_task_in_progress_is_chased_like_any_other(org):
    """The reminders read the backfilled contract's dates: its end and its acceptance dossier,
    due 30 days after the end (31/05/2027 + 30 days = Wednesday 30/06/2027)."""
    from modules.reminders import sources

    assert backfill.import_file(org.officer_a, org.province_a, xlsx(three_tasks())).ok
    running = model("Contract").objects.get(task_code="DA-2024-02")
    for key, due in (
        ("stm.Contract.end", dt.date(2027, 5, 31)),
        ("stm.Contract.acceptance", dt.date(2027, 6, 30)),
    ):
        source = sources.get(key)
        assert source is not None, key
        items = list(source.open_items())
        assert [c.task_code for c in items] == ["DA-2024-02"]  # the finished ones are not chased
        assert source.deadline_of(items[0]) == due
    assert running.backfilled


def test_the_demo_backfill_file_is_accepted_whole_and_imported_once(org):
    """The demo's generator (also the bench's) writes rows the importer accepts, at a small size."""
    from modules.stm import backfill_demo

    data = xlsx(backfill_demo.rows(40, seed=7))
    first = backfill.import_file(org.officer_a, org.province_a, data)
    assert first.ok, first.errors[:2]
    assert first.created == 40
    assert backfill.import_file(org.officer_a, org.province_a, data).unchanged == 40


def test_a_task_code_another_province_holds_is_neither_seen_nor_changed(org):
    """Task codes are known within the importing unit: province B's task with the same code is
    not "unchanged" for province A, not corrected, not linked; A's import creates A's own."""
    assert backfill.import_file(org.officer_b, org.province_b, xlsx(three_tasks()[:1])).ok
    theirs = model("Contract").objects.get(owner_unit=org.province_b)
    before = (theirs.version, theirs.state_budget, model("Contract").history.count())
    report = backfill.import_file(
        org.officer_a, org.province_a, xlsx([task_row(state_budget="1.600.000.000")])
    )
    assert report.ok and (report.created, report.unchanged) == (1, 0), report.errors
    theirs.refresh_from_db()
    assert (theirs.version, theirs.state_budget) == before[:2]
    mine = model("Contract").objects.get(owner_unit=org.province_a)
    assert mine.state_budget == 1_600_000_000 and mine.task_code == theirs.task_code
    assert model("Contract").history.count() == before[2] + 1  # A's contract's own creation only
