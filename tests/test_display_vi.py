"""Values as people read them (issue 12.4): labels not codes, Vietnamese numbers and dates,
people by full name, in the record history, the pickers and the autocomplete.

Expected texts are written from the rule ("14" not "14.0000", "1.234,5", "30/11/2026",
"(trống)", the declared Vietnamese labels), not read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from modules.engine import registry, services
from modules.engine.display import display_name, format_date, format_number, format_value

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"


def project_field(name: str) -> Any:
    return registry.model_for(PROJECT)._meta.get_field(name)


def text_of(page: str) -> str:
    """The visible text of an HTML page, roughly: tags and scripts dropped, spaces squeezed."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


# --- formatting --------------------------------------------------------------------------


def test_numbers_are_written_the_vietnamese_way_without_trailing_zeros():
    with translation.override("vi"):
        assert format_number(Decimal("14.0000")) == "14"
        assert format_number(Decimal("57.5000")) == "57,5"
        assert format_number(Decimal("1234.5")) == "1.234,5"
        assert format_number(1234567, 0) == "1.234.567"
        assert format_number(None) == "(trống)"
    with translation.override("en"):
        assert format_number(Decimal("1234.5")) == "1,234.5"
        assert format_number(None) == "(empty)"


def test_dates_are_day_month_year_in_local_time():
    assert format_date(dt.date(2026, 3, 5)) == "05/03/2026"
    moment = dt.datetime(2026, 11, 30, 2, 5, tzinfo=ZoneInfo("UTC"))  # 09:05 in Hà Nội
    assert format_date(moment) == "30/11/2026 09:05"


def test_values_show_labels_yes_no_and_empty_not_codes(org):
    with translation.override("vi"):
        assert format_value(project_field("priority"), "high") == "Cao"
        assert format_value(project_field("state"), "draft") == "Dự thảo"
        assert format_value(project_field("is_key"), True) == "Có"
        assert format_value(project_field("is_key"), False) == "Không"
        assert format_value(project_field("lead_unit"), None) == "(trống)"
        assert format_value(project_field("summary"), "") == "(trống)"
        assert format_value(project_field("score"), Decimal("14.00")) == "14"
        assert format_value(project_field("due_date"), dt.date(2026, 1, 2)) == "02/01/2026"
        assert format_value(project_field("lead_unit"), org.province_a) == "Sở KH&CN Hà Nội"
        assert format_value(project_field("created_by"), org.officer_a) == "Officer_A"
    with translation.override("en"):
        assert format_value(project_field("priority"), "high") == "High"
        assert format_value(project_field("is_key"), True) == "Yes"


def test_display_name_is_the_persons_full_name_else_the_account(org):
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    person.full_name = "Nguyễn Văn An"
    person.save()
    assert display_name(User.objects.get(pk=org.officer_a.pk)) == "Nguyễn Văn An"
    lonely = User.objects.create_user("lonely", password="x")  # no person record
    assert display_name(lonely) == "lonely"
    lonely.first_name, lonely.last_name = "Trần", "Bình"
    assert display_name(User.objects.get(pk=lonely.pk)) == "lonely"  # saved name is still empty
    assert display_name(None) in ("(trống)", "(empty)")


def test_the_account_carries_the_persons_name_for_pages_that_name_the_signed_in_user(org):
    entity = registry.entity_by_label("org.Person")
    person = registry.model_for(entity).objects.get(user=org.officer_b)
    services.update_record(entity, org.admin, person.pk, {"full_name": "Lê Thị Bình"}, person.version)
    assert User.objects.get(pk=org.officer_b.pk).get_full_name() == "Lê Thị Bình"


# --- the record history --------------------------------------------------------------------


def _history_page(client: Any, user: Any, row: Any) -> str:
    model = registry.model_for(PROJECT)
    client.force_login(user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[row.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    table = re.search(r'(?s)<table id="change-history".*?</table>', page)
    assert table, page
    return text_of(re.search(r"(?s)<title>.*?</title>", page).group(0) + table.group(0))


def test_history_shows_labels_readable_values_and_full_names(client, org):
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    person.full_name = "Nguyễn Văn An"
    person.save()
    entity = registry.entity_by_label(PROJECT)
    row = services.create_record(
        entity,
        org.officer_a,
        {"title": "Đề án số hoá", "priority": "normal", "budget": 1000, "score": Decimal("14")},
    )
    row = services.update_record(
        entity,
        org.officer_a,
        row.pk,
        {
            "priority": "high",
            "score": Decimal("57"),
            "lead_unit": org.province_a.pk,
            "budget": Decimal("1234567"),
            "progress": Decimal("12.50"),
        },
        row.version,
    )
    services.fire_transition(entity, org.officer_a, row.pk, "submit", row.version)

    text = _history_page(client, org.officer_a, row)
    assert "Độ ưu tiên: Thường → Cao" in text, text
    assert "Điểm: 14 → 57" in text, text
    assert "Đơn vị chủ trì: (trống) → Sở KH&CN Hà Nội" in text, text
    assert "Kinh phí: 1.000 → 1.234.567" in text, text
    assert "Tiến độ: (trống) → 12,5" in text, text
    assert "Trạng thái: Dự thảo → Đã trình" in text, text
    assert "Người thay đổi" in text and "Nguyễn Văn An" in text
    assert "Nguyễn Văn An Trình" in text, text  # the transition's label as the reason
    assert not re.search(r"\bsubmit\b", text), text
    # no raw codes, Python values or logins where a label should be
    for raw in ("draft", "submitted", "normal", "None", "14.00", "57.00", "officer_a", "State:"):
        assert raw not in text, (raw, text)
    for english in ("Changed by", "Change reason", "Changes", "View history", "Date/time"):
        assert english not in text, (english, text)
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", text), text  # dd/mm/yyyy hh:mm


def test_history_in_english_uses_english_labels(client, org):
    entity = registry.entity_by_label(PROJECT)
    row = services.create_record(entity, org.officer_a, {"title": "P", "priority": "normal", "budget": 1})
    services.update_record(entity, org.officer_a, row.pk, {"priority": "high"}, row.version)
    model = registry.model_for(PROJECT)
    client.force_login(org.officer_a)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[row.pk])
    client.cookies["django_language"] = "en"
    text = text_of(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Priority: Normal → High" in text, text


# --- pickers and autocomplete ----------------------------------------------------------------


def test_user_pickers_and_autocomplete_name_people_by_full_name(client, org):
    person = registry.model_for("org.Person").objects.get(user=org.officer_b)
    person.full_name = "Lê Thị Bình"
    person.save()
    client.force_login(org.admin)
    person_model = registry.model_for("org.Person")
    opts = person_model._meta
    # the change form's user picker shows the selected account by full name
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[person.pk])).content
    assert "Lê Thị Bình" in text_of(page.decode())
    # the autocomplete answers with full names, and finds an account by its person's name
    answer = client.get(
        reverse("admin:autocomplete"),
        {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": "user", "term": "Bình"},
    )
    assert answer.status_code == 200, answer.content
    texts = [r["text"] for r in answer.json()["results"]]
    assert texts == ["Lê Thị Bình"], texts


# --- PDFs --------------------------------------------------------------------------------------


def test_the_receipt_slip_names_the_clerk_by_full_name(org, legal_days):
    import io

    import pdfplumber

    from modules.onestop import pdfs
    from modules.onestop.api import receive
    from tests.conftest import make_user
    from tests.onestop_helpers import applicant, make_procedure

    clerk = make_user("clerk_ha", org.office, ("onestop_clerk",))
    registry.model_for("org.Person").objects.filter(user=clerk).update(full_name="Phạm Thu Hà")
    dossier = receive(clerk, applicant(make_procedure(org)))
    with pdfplumber.open(io.BytesIO(pdfs.receipt_slip(dossier))) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Phạm Thu Hà" in text, text
    assert "clerk_ha" not in text, text


# --- list columns ------------------------------------------------------------------------------


def test_list_columns_show_people_by_name_and_numbers_without_trailing_zeros(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.tasks_helpers import make_task

    registry.model_for("org.Person").objects.filter(user=org.officer_a).update(full_name="Nguyễn Văn An")
    task_model = registry.model_for("tasks.Task")
    for n in range(3):
        task = make_task(org, title=f"Nhiệm vụ {n}")
        task_model.objects.filter(pk=task.pk).update(progress=Decimal("57.5"))
    client.force_login(org.admin)
    opts = task_model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as one_page:
        page = client.get(url)
    rows = re.findall(r"(?s)<tr[^>]*>.*?</tr>", page.content.decode())
    body = text_of("".join(rows))
    assert body.count("Nguyễn Văn An") >= 3, body  # the assignee column, by full name
    assert "officer_a" not in body, body
    assert "57,5" in body and "57,50" not in body and "57.50" not in body, body
    names_reads = [q for q in one_page.captured_queries if "full_name" in q["sql"]]
    assert len(names_reads) <= 2, [q["sql"] for q in names_reads]  # one read per page, not per row
