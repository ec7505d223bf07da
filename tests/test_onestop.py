"""One-stop dossiers: the code, receipt, the 15:00 cut-off and Tết, the supplement pause,
the once-only re-schedule, hand-overs, classification, and the public lookup."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from modules.engine import registry, workdays
from modules.engine.errors import InvalidInput
from modules.onestop import public, rules
from modules.onestop.api import receive, reschedule
from tests.conftest import make_user
from tests.graphql import run
from tests.onestop_helpers import applicant, fire, make_procedure, receive_concurrently, returned

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def clerk(org):
    return make_user("clerk", org.office, ("onestop_clerk",))


@pytest.fixture
def procedure(org, legal_days):
    return make_procedure(org)


def at(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=HCM)


# --- the time rules ------------------------------------------------------------------------


@pytest.mark.django_db
def test_promised_date_counts_working_days_over_tet_from_the_receipt_day(legal_days):
    """NĐ 61/2018 Art. 18(1), Civil Code Art. 147: counted from the receipt day whatever the hour
    (15:00 moves the transfer, tests/test_onestop_transfer.py, not the receipt day)."""
    # Thu 12/2/2026: Tết is Mon 16 – Fri 20/2
    assert rules.promised_date(at("2026-02-12", 10), 5) == dt.date(2026, 2, 26)
    assert rules.promised_date(at("2026-02-12", 14, 59), 5) == dt.date(2026, 2, 26)
    assert rules.promised_date(at("2026-02-12", 15, 0), 5) == dt.date(2026, 2, 26)  # same day counts
    assert rules.promised_date(at("2026-02-14", 9), 1) == dt.date(
        2026, 2, 24
    )  # Sat: from Mon 23 (Tết ends Fri 20)
    assert rules.receipt_day(at("2026-11-23", 16)) == dt.date(2026, 11, 23)  # after 15:00: still that day


def test_reschedule_only_once_and_a_day_before_the_deadline():
    deadline = dt.date(2026, 12, 10)
    assert rules.may_reschedule(deadline, dt.date(2026, 12, 9), already=False) is None
    assert "trước hạn" in rules.may_reschedule(deadline, dt.date(2026, 12, 10), already=False)
    assert "một lần" in rules.may_reschedule(deadline, dt.date(2026, 12, 1), already=True)


def test_classification_follows_the_national_index():
    today = dt.date(2026, 12, 10)
    promised = dt.date(2026, 12, 9)
    assert rules.classify("processing", promised, None, 0, today) == rules.IN_PROGRESS_OVERDUE
    assert rules.classify("processing", today, None, 0, today) == rules.IN_PROGRESS_ON_TIME
    assert rules.classify("returned", promised, dt.date(2026, 12, 8), 0, today) == rules.DONE_ON_TIME
    assert rules.classify("returned", promised, dt.date(2026, 12, 10), 0, today) == rules.DONE_LATE
    assert (
        rules.classify("processed", promised, dt.date(2026, 12, 1), 2, today) == rules.DONE_LATE
    )  # 2 supplements
    assert rules.classify("supplement", promised, None, 1, today) == rules.WAITING_SUPPLEMENT
    assert rules.classify("withdrawn", promised, None, 0, today) == rules.WITHDRAWN


# --- receipt and the code ------------------------------------------------------------------


@pytest.mark.django_db
def test_receipt_gives_the_one_stop_code_the_clock_and_a_timeline(org, clerk, procedure):
    dossier = receive(clerk, applicant(procedure))
    today = timezone.localdate()
    assert dossier.number == f"000.00.00.G09-{today:%y%m%d}-0001"
    assert (dossier.agency_code, dossier.seq, dossier.receipt_date) == ("000.00.00.G09", 1, today)
    assert dossier.state == "accepted" and dossier.received_by == clerk
    assert dossier.promised_date == rules.promised_date(dossier.received_at, 15)
    assert dossier.phone == "0912345678"  # normalised
    second = receive(
        clerk,
        applicant(
            procedure, applicant_name="Nguyễn Văn An", applicant_kind="person", applicant_id="001090012345"
        ),
    )
    assert second.number.endswith("-0002")
    assert [t.status for t in dossier.timeline.all()] == ["new", "accepted"]


@pytest.mark.django_db
def test_bad_applicant_data_and_missing_documents_are_refused_field_by_field(org, clerk, procedure):
    model = registry.model_for("onestop.Dossier")
    with pytest.raises(InvalidInput) as caught:
        receive(clerk, applicant(procedure, phone="12345", email="không-phải-email", applicant_id="12AB"))
    assert {p.field for p in caught.value.problems} == {"phone", "email", "applicant_id"}
    incomplete = applicant(procedure)
    incomplete["components"] = incomplete["components"][:1]  # the contract is missing
    with pytest.raises(InvalidInput) as caught:
        receive(clerk, incomplete)
    assert [p.field for p in caught.value.problems] == ["components"]
    assert "Hợp đồng chuyển giao công nghệ" in caught.value.problems[0].message
    assert not model.objects.exists()  # nothing half-written


@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_and_gap_free_under_concurrent_receipt(org, clerk, legal_days):
    procedure = make_procedure(org)
    numbers = [row.number for row in receive_concurrently(clerk, procedure, threads=6, each=3)]
    today = timezone.localdate()
    assert sorted(numbers) == [f"000.00.00.G09-{today:%y%m%d}-{i:04d}" for i in range(1, 19)]


# --- processing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_hand_overs_make_the_tracking_sheet_and_move_the_dossier_between_units(org, clerk, procedure):
    dossier = receive(clerk, applicant(procedure))
    dossier = fire(clerk, dossier, "start")
    assert dossier.owner_unit_id == org.department.pk and dossier.step == 1
    dossier = fire(org.admin, dossier, "advance")
    assert dossier.owner_unit_id == org.office.pk and dossier.step == 2
    with pytest.raises(Exception, match="bước cuối"):
        fire(org.admin, dossier, "advance")
    dossier = fire(org.admin, dossier, "process")
    dossier = fire(clerk, dossier, "return_result")
    sheet = list(dossier.handovers.order_by("position"))
    assert [(h.step_name, h.from_unit, h.to_unit) for h in sheet] == [
        ("Thẩm định hồ sơ", "Bộ phận một cửa", org.department.name),
        ("Trình ký", org.department.name, org.office.name),
        ("Trả kết quả", org.office.name, "Bộ phận một cửa"),
    ]
    assert all(h.verdict == rules.EARLY for h in sheet[:2])  # done the same day
    assert dossier.classification == rules.DONE_ON_TIME and dossier.finished_at is not None


@pytest.mark.django_db
def test_a_running_dossier_turns_overdue_the_day_after_its_promise_with_no_save(org, clerk, procedure):
    from modules.engine import jobs
    from modules.onestop.kpis import counter_board

    running = fire(clerk, receive(clerk, applicant(procedure)), "start")
    finished = returned(clerk, org.admin, procedure)
    waiting = fire(clerk, receive(clerk, applicant(procedure)), "start")
    waiting = fire(org.admin, waiting, "request_supplement", "Thiếu bản thuyết minh.")
    model = type(running)
    assert running.classification == rules.IN_PROGRESS_ON_TIME
    versions = dict(model.objects.values_list("pk", "version"))
    assert (
        jobs.tick(running.promised_date)["onestop.classification"] == "0 changed"
    )  # the last day still counts
    after = workdays.next_working_day(running.promised_date + dt.timedelta(days=1))
    assert jobs.tick(after)["onestop.classification"] == "1 changed"
    running.refresh_from_db()
    assert running.classification == rules.IN_PROGRESS_OVERDUE and running.version == versions[running.pk] + 1
    assert model.objects.get(pk=finished.pk).classification == rules.DONE_ON_TIME  # finished in time stays so
    assert model.objects.get(pk=waiting.pk).classification == rules.WAITING_SUPPLEMENT  # the clock is stopped
    assert running.history.first().history_change_reason == "calendar"
    assert jobs.tick(after)["onestop.classification"] == "0 changed"  # once
    board = counter_board(org.admin, after)
    assert board.overdue == 1


@pytest.mark.django_db
def test_a_supplement_request_stops_the_clock_and_the_count_restarts_from_zero(org, clerk, procedure):
    dossier = receive(clerk, applicant(procedure))
    dossier = fire(clerk, dossier, "start")
    long_ago = workdays.subtract_working_days(timezone.localdate(), 12)
    type(dossier).objects.filter(pk=dossier.pk).update(promised_date=workdays.add_working_days(long_ago, 15))
    dossier = fire(org.admin, dossier, "request_supplement", "Thiếu bản sao hợp đồng có chứng thực")
    assert dossier.paused_at is not None and dossier.supplement_count == 1
    assert dossier.classification == rules.WAITING_SUPPLEMENT
    dossier = fire(clerk, dossier, "supplement_received")
    assert dossier.paused_at is None
    assert dossier.promised_date == rules.promised_date(timezone.now(), 15)  # 15 full days again
    assert dossier.promised_date > workdays.add_working_days(long_ago, 15)


@pytest.mark.django_db
def test_reschedule_once_with_an_apology_and_never_twice(org, clerk, procedure):
    dossier = fire(clerk, receive(clerk, applicant(procedure)), "start")
    first = dossier.promised_date
    with pytest.raises(InvalidInput) as caught:
        reschedule(
            clerk, dossier.pk, dossier.version, first - dt.timedelta(days=1), "Cần lấy ý kiến bộ ngành"
        )
    assert {p.field for p in caught.value.problems} == {"newDate"}
    later = workdays.add_working_days(first, 5)
    dossier = reschedule(clerk, dossier.pk, dossier.version, later, "Cần lấy ý kiến Bộ Công Thương")
    assert dossier.promised_date == later and dossier.original_promised_date == first and dossier.rescheduled
    with pytest.raises(InvalidInput) as caught:
        reschedule(clerk, dossier.pk, dossier.version, workdays.add_working_days(later, 3), "Lần hai")
    assert caught.value.problems[0].code == "ONCE_ONLY"
    type(dossier).objects.filter(pk=dossier.pk).update(rescheduled=False, promised_date=timezone.localdate())
    dossier.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:  # on the deadline day itself: too late
        reschedule(clerk, dossier.pk, dossier.version, workdays.add_working_days(later, 3), "Muộn")
    assert caught.value.problems[0].code == "TOO_LATE"


# --- the public lookup ---------------------------------------------------------------------


LOOKUP = """query($c: String!) { dossierLookup(code: $c) { error message
  dossier { code procedure processingDays receivedAt promisedDate status statusCode statusLabel
            timeline { at status statusLabel note } } } }"""


@pytest.mark.django_db
def test_the_public_lookup_shows_nothing_the_receipt_slip_does_not(org, clerk, procedure):
    dossier = fire(clerk, receive(clerk, applicant(procedure)), "start")
    answer = run(LOOKUP, {"c": dossier.number.lower()})["data"]["dossierLookup"]  # case does not matter
    shown = answer["dossier"]
    assert answer["error"] is None and shown["statusCode"] == 4 and shown["code"] == dossier.number
    assert [t["status"] for t in shown["timeline"]] == ["NEW", "ACCEPTED", "PROCESSING"]  # DossierState
    assert set(public.PUBLIC_FIELDS) - set(public.PROGRESS_FIELDS) <= set(public.SLIP_FIELDS)
    text = str(shown)
    for private in (
        dossier.applicant_name,
        dossier.phone,
        dossier.email,
        dossier.applicant_id,
        dossier.address,
        "Thiếu",
        clerk.username,
    ):
        assert private not in text
    page = Client().get(f"/tra-cuu/?ma={dossier.number}")
    html = page.content.decode()
    assert page.status_code == 200 and dossier.number in html and procedure.name in html
    for private in (dossier.applicant_name, dossier.phone, dossier.email, dossier.applicant_id):
        assert private not in html


@pytest.mark.django_db
def test_malformed_unknown_and_withheld_codes_get_clear_answers(org, clerk, procedure):
    bad = run(LOOKUP, {"c": "abc; drop table"})["data"]["dossierLookup"]
    assert bad["error"] == "MALFORMED" and bad["dossier"] is None
    unknown = run(LOOKUP, {"c": "000.00.00.G09-261123-9999"})["data"]["dossierLookup"]
    online = registry.model_for("onestop.Dossier")  # an online submission not yet accepted
    from modules.engine import services

    pending = services.create_record(
        registry.entity_by_label("onestop.Dossier"), clerk, applicant(procedure, channel="online")
    )
    assert pending.number == ""  # an online submission gets its code when accepted (NĐ 61/2018 Art. 26)
    would_be = f"{rules.agency_code()}-{timezone.localdate():%y%m%d}-0001"
    withheld = run(LOOKUP, {"c": would_be})["data"]["dossierLookup"]
    assert unknown == withheld == {"error": "NOT_FOUND", "message": public.NOT_FOUND, "dossier": None}
    assert online.objects.filter(state="new").count() == 1
    client = Client()
    assert client.get("/tra-cuu/?ma=abc").status_code == 400
    assert client.get("/tra-cuu/?ma=000.00.00.G09-261123-9999").status_code == 404


@pytest.mark.django_db
@override_settings(ONESTOP_LOOKUP_RATE="5/m")
def test_lookups_are_rate_limited_per_address_across_routes(org, clerk, procedure):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.get("/tra-cuu/?ma=000.00.00.G09-261123-9999").status_code == 404
    for _ in range(2):
        run(LOOKUP, {"c": "000.00.00.G09-261123-9999"}, client=client)
    limited = run(LOOKUP, {"c": "000.00.00.G09-261123-9999"}, client=client)["data"]["dossierLookup"]
    assert limited["error"] == "RATE_LIMITED"
    assert client.get("/tra-cuu/?ma=000.00.00.G09-261123-9999").status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.8").get("/tra-cuu/?ma=abc").status_code == 400  # others unaffected


@pytest.mark.django_db
def test_a_clerk_reschedules_in_the_admin_once_with_field_errors(org, clerk, procedure):
    dossier = fire(clerk, receive(clerk, applicant(procedure)), "start")
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/admin/onestop/dossier/{dossier.pk}/change/").content.decode()
    url = f"/onestop/dossiers/{dossier.pk}/reschedule/"
    assert url in page
    bad = client.post(url, {"version": dossier.version, "new_date": "not-a-date", "reason": "x"})
    assert bad.status_code == 400
    later = workdays.add_working_days(dossier.promised_date, 5)
    done = client.post(
        url, {"version": dossier.version, "new_date": later.isoformat(), "reason": "Chờ ý kiến Bộ Y tế"}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.rescheduled and dossier.promised_date == later
    again = client.post(url, {"version": dossier.version, "new_date": later.isoformat(), "reason": "Lần hai"})
    assert again.status_code == 400 and "một lần" in again.content.decode()
    outsider = Client()
    outsider.force_login(org.officer_b)
    assert outsider.get(url).status_code == 404
