"""The winner's steps after the council (domain.md §7.7-7.10): revision within 20, appraisal
within 10 (a group of 5, quorum 4), final dossier within 15 and approval within 15 days
(plain days, as domain.md's TT 20/2023 text says, counted by the Civil Code: the first day not
counted, a last day off moved to the next working day); the approved result published for at
least 60 days; a file attached in its own step only; and the dossier's file served to its own
organisation only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from modules.engine import services
from modules.engine.errors import InvalidInput, TransitionRefused
from tests.stm_helpers import (
    DEADLINE,
    T0,
    E,
    add_pi,
    applicant,
    fire,
    make_dossier,
    make_notice,
    publish,
    register_org,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SELECTED_AT = DEADLINE + dt.timedelta(days=21)  # Wednesday 21/04/2027, 09:00


@pytest.fixture
def winner(org, legal_days):
    user = applicant("vien")
    hostorg = register_org(user, "Viện Công nghệ thông tin")
    pi = add_pi(user, hostorg)
    with time_machine.travel(T0, tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a))
        dossier = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
    with time_machine.travel(DEADLINE + dt.timedelta(days=1), tick=False):
        fire(org.officer_a, dossier, "SelectionDossier", "accept")
    with time_machine.travel(SELECTED_AT, tick=False):
        dossier = fire(org.officer_a, dossier, "SelectionDossier", "select")
    return user, dossier


def attach(user, dossier, field):
    dossier.refresh_from_db()
    upload = SimpleUploadedFile(f"{field}.pdf", PDF, content_type="application/pdf")
    return services.update_record(E("SelectionDossier"), user, dossier.pk, {field: upload}, dossier.version)


def test_the_revision_is_due_20_days_after_selection(winner):
    _, dossier = winner
    # §7.7 "resubmit within 20 days": selected Wednesday 21/04/2027, the first day not counted
    # (Civil Code Art. 147): 22/04 is day 1, Tuesday 11/05/2027 day 20, a working day
    assert dossier.step_due == dt.date(2027, 5, 11)


def test_a_step_ending_on_a_day_off_ends_on_the_next_working_day(org, winner):
    user, dossier = winner
    with time_machine.travel(SELECTED_AT + dt.timedelta(days=1), tick=False):
        attach(user, dossier, "revision_file")
        dossier = fire(user, dossier, "SelectionDossier", "submit_revision")
    # §7.8 "meets within 10 days" from Thursday 22/04/2027: day 10 is Sunday 02/05; Monday 03/05
    # is the day off for 01/05 (a Saturday), so the step ends Tuesday 04/05 (Art. 148(5))
    assert dossier.state == "appraisal" and dossier.step_due == dt.date(2027, 5, 4)


def test_the_revision_needs_its_file_and_comes_in_time(winner):
    user, dossier = winner
    with time_machine.travel(SELECTED_AT + dt.timedelta(days=1), tick=False):
        with pytest.raises(TransitionRefused) as refused:
            fire(user, dossier, "SelectionDossier", "submit_revision")
        assert "B2-8-GTHĐ" in str(refused.value)
        attach(user, dossier, "revision_file")
    late = dt.datetime(2027, 5, 12, 9, 0, tzinfo=T0.tzinfo)  # the day after the due Tuesday
    with time_machine.travel(late, tick=False), pytest.raises(TransitionRefused) as refused:
        fire(user, dossier, "SelectionDossier", "submit_revision")
    assert "11/05/2027" in str(refused.value)
    with time_machine.travel(late - dt.timedelta(hours=10), tick=False):  # 23:00 on the due day
        assert fire(user, dossier, "SelectionDossier", "submit_revision").state == "appraisal"


def test_other_fields_stay_locked_while_revising(winner):
    user, dossier = winner
    with pytest.raises(InvalidInput) as refused:
        services.update_record(E("SelectionDossier"), user, dossier.pk, {"state_budget": 1}, dossier.version)
    assert refused.value.problems[0].code == "LOCKED"


def test_the_appraisal_group_needs_4_of_its_5(org, winner):
    user, dossier = winner
    with time_machine.travel(SELECTED_AT + dt.timedelta(days=1), tick=False):
        attach(user, dossier, "revision_file")
        dossier = fire(user, dossier, "SelectionDossier", "submit_revision")
        with pytest.raises(InvalidInput) as refused:  # the applicant does not record the appraisal
            services.update_record(
                E("SelectionDossier"), user, dossier.pk, {"appraisal_present": 5}, dossier.version
            )
        assert refused.value.problems[0].field == "appraisal_present"
        three = services.update_record(
            E("SelectionDossier"), org.officer_a, dossier.pk, {"appraisal_present": 3}, dossier.version
        )
        with pytest.raises(TransitionRefused) as refused:
            fire(org.officer_a, three, "SelectionDossier", "appraise")
        assert "3/5" in str(refused.value)
        four = services.update_record(
            E("SelectionDossier"), org.officer_a, dossier.pk, {"appraisal_present": 4}, three.version
        )
        assert fire(org.officer_a, four, "SelectionDossier", "appraise").state == "finalising"


def test_approval_publishes_the_result_for_60_days(org, winner):
    user, dossier = winner
    day = SELECTED_AT + dt.timedelta(days=1)
    with time_machine.travel(day, tick=False):
        attach(user, dossier, "revision_file")
        fire(user, dossier, "SelectionDossier", "submit_revision")
        dossier.refresh_from_db()
        dossier = services.update_record(
            E("SelectionDossier"), org.officer_a, dossier.pk, {"appraisal_present": 5}, dossier.version
        )
        fire(org.officer_a, dossier, "SelectionDossier", "appraise")
        attach(user, dossier, "final_file")
        fire(user, dossier, "SelectionDossier", "finalise")
        approved = fire(org.head_a, dossier, "SelectionDossier", "approve")
    assert approved.state == "approved" and approved.published_until == dt.date(
        2027, 6, 21
    )  # 22/04 + 60 days


def test_a_selection_can_be_cancelled_with_its_reason(org, winner):
    _, dossier = winner
    with pytest.raises(InvalidInput):
        fire(org.officer_a, dossier, "SelectionDossier", "cancel")
    assert (
        fire(org.officer_a, dossier, "SelectionDossier", "cancel", "Không nộp hồ sơ hoàn thiện.").state
        == "cancelled"
    )


def test_the_dossiers_file_is_served_to_its_organisation_only(org, winner):
    user, dossier = winner
    dossier = attach(user, dossier, "revision_file")
    url = dossier.revision_file.url if hasattr(dossier.revision_file, "url") else None
    assert url
    own = Client()
    own.force_login(user)
    assert own.get(url).status_code == 200
    stranger = Client()
    stranger.force_login(applicant("stranger"))
    assert stranger.get(url).status_code == 404
    other_province = Client()
    other_province.force_login(org.officer_b)
    assert other_province.get(url).status_code == 404
