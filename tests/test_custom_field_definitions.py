"""Issue 15: editing custom-field definitions safely.

- the default is a value of the field's type (and a usable option for a choice);
- two administrators editing one definition at once: the later save is refused, naming who
  changed it and when (two real writers: threads with their own database connections);
- an edit that breaks API clients is listed before it is saved, and saved only once confirmed.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from modules.engine import custom_definitions, registry, services
from modules.engine.custom_definitions import StaleDefinition
from modules.engine.custom_models import ChoiceOption, CustomField

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"


def add_field(code: str, type_: str = "text", **options) -> CustomField:
    field = CustomField(
        entity=PROJECT, code=code, label_vi=f"Trường {code}", label_en=f"Field {code}", type=type_
    )
    for name, value in options.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


# --- default type-check -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "bad", "good", "stored"),
    [
        ("integer", "bốn", "4", 4),
        ("money", -1, 1500000, 1500000),
        ("decimal", "x", 2.5, "2.5"),
        ("date", "2026-02-30", "2026-02-28", "2026-02-28"),
        ("boolean", "có", True, True),
        ("text", 12, "Vốn tỉnh", "Vốn tỉnh"),
    ],
)
def test_default_must_be_a_value_of_the_type(org, type_, bad, good, stored):
    field = CustomField(entity=PROJECT, code="f", label_vi="f", label_en="f", type=type_, default=bad)
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert list(exc.value.error_dict) == ["default"]
    field.default = good
    field.full_clean()
    field.save()
    assert CustomField.objects.get(pk=field.pk).default == stored  # kept in the values' JSON form


def test_choice_default_must_be_an_option_in_use(org):
    field = add_field("nguon_von", "choice")
    ChoiceOption.objects.create(field=field, code="tinh", label_vi="Tỉnh", label_en="Province")
    ChoiceOption.objects.create(field=field, code="cu", label_vi="Cũ", label_en="Old", retired=True)
    for bad, code in (("khac", "INVALID_CHOICE"), ("cu", "RETIRED_CHOICE")):
        field.default = bad
        with pytest.raises(ValidationError) as exc:
            field.full_clean()
        assert exc.value.error_dict["default"][0].code == code
    field.default = "tinh"
    field.full_clean()


def test_admin_shows_a_bad_default_on_the_field(client, org):
    client.force_login(org.admin)
    page = client.post(
        reverse("admin:engine_customfield_add"),
        {
            "entity": PROJECT, "code": "so_luong", "label_vi": "Số lượng", "label_en": "Count",
            "type": "integer", "order": 1, "default": '"nhiều"',
            "options-TOTAL_FORMS": 0, "options-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert page.status_code == 200
    assert "số nguyên" in str(page.context["adminform"].form.errors["default"])
    assert not CustomField.objects.exists()


# --- two administrators at once -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_one_definition_lose_nothing_silently(org):
    """Both writers load version 1 and save at once; exactly one wins, the other is told who."""
    field = add_field("ghi_chu", "text")
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def edit(who, label: str) -> None:
        close_old_connections()  # this thread's own connection
        try:
            mine = CustomField.objects.get(pk=field.pk)
            mine._history_user = who  # simple-history's author outside a request
            barrier.wait(timeout=20)
            with transaction.atomic():
                mine.label_vi = label
                mine.full_clean()
                mine.save()
            outcome[label] = "saved"
        except ValidationError as refusal:  # full_clean's form of StaleDefinition
            outcome[label] = refusal
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(org.admin, "Nhãn của A")),
        threading.Thread(target=edit, args=(org.head_a, "Nhãn của B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(v == "saved" for v in outcome.values()) == [False, True], outcome
    winner = next(label for label, v in outcome.items() if v == "saved")
    loser = next(v for v in outcome.values() if v != "saved")
    loser = loser.error_dict["__all__"][0] if hasattr(loser, "error_dict") else loser
    saved = CustomField.objects.get(pk=field.pk)
    assert saved.label_vi == winner and saved.version == 2
    who = org.admin if winner == "Nhãn của A" else org.head_a
    assert who.get_username() in loser.messages[0] or (who.get_full_name() or "@") in loser.messages[0]
    assert loser.code == "STALE_VERSION"
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", loser.messages[0])  # when, local time
    assert saved.history.count() == 2  # created, then the one edit that won


def test_a_stale_version_cannot_be_saved_even_without_clean(org):
    field = add_field("ghi_chu", "text")
    first, second = CustomField.objects.get(pk=field.pk), CustomField.objects.get(pk=field.pk)
    first.label_vi = "Một"
    first.save()
    second.label_vi = "Hai"
    with pytest.raises(StaleDefinition):
        second.save()
    assert CustomField.objects.get(pk=field.pk).label_vi == "Một"


def test_admin_refuses_a_save_over_a_newer_version(client, org):
    field = add_field("ghi_chu", "text")
    client.force_login(org.admin)
    url = reverse("admin:engine_customfield_change", args=[field.pk])
    opened = client.get(url)
    assert opened.context["adminform"].form.initial["version"] == 1
    field.label_vi = "Đã sửa ở nơi khác"
    field._history_user = org.head_a
    field.save()  # someone else saves first
    data = {
        "entity": PROJECT, "code": "ghi_chu", "label_vi": "Của tôi", "label_en": "Mine", "type": "text",
        "order": 1, "default": "null", "version": 1,
        "options-TOTAL_FORMS": 0, "options-INITIAL_FORMS": 0,
    }  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    errors = str(refused.context["adminform"].form.non_field_errors())
    assert org.head_a.get_username() in errors or (org.head_a.get_full_name() or "@") in errors
    assert CustomField.objects.get(pk=field.pk).label_vi == "Đã sửa ở nơi khác"
    data["version"] = 2
    assert client.post(url, data).status_code == 302


# --- breaking changes listed before save --------------------------------------------------


def test_breaking_changes_are_listed_from_the_schema_and_the_rules(org):
    field = add_field("nguon_von", "choice", in_filter=True)
    ChoiceOption.objects.create(field=field, code="tinh", label_vi="Tỉnh", label_en="Province")
    add_field("ghi_chu", "text")
    field.refresh_from_db()
    assert custom_definitions.breaking_changes(field) == []  # nothing edited
    field.label_vi = "Tên mới"
    assert custom_definitions.breaking_changes(field) == []  # a label breaks no client
    field.archived = True
    kinds = {c.kind for c in custom_definitions.breaking_changes(field)}
    assert "FIELD_REMOVED" in kinds  # SampleProjectCustom.nguonVon, the filter's and the input's
    field.archived = False
    field.code = "nguon_von_moi"
    assert "FIELD_REMOVED" in {c.kind for c in custom_definitions.breaking_changes(field)}
    field.code = "nguon_von"
    field.type = "integer"  # no values yet: allowed, but it breaks clients
    assert "FIELD_CHANGED_KIND" in {c.kind for c in custom_definitions.breaking_changes(field)}
    field.type = "choice"
    field.required = True
    field.roles_see = ["unit_head"]
    retired = (custom_definitions.Option("tinh", "Tỉnh", "Province", True),)
    kinds = {c.kind for c in custom_definitions.breaking_changes(field, retired)}
    assert kinds == {"REQUIRED_ADDED", "VISIBILITY_NARROWED", "OPTION_RETIRED"}
    # listing built a schema aside: the served one is untouched
    from schema.runtime import current_schema

    assert "nguonVon" in str(current_schema())


def test_retype_of_a_field_with_values_stays_refused(org):
    field = add_field("so_tien", "integer")
    services.create_record(
        registry.entity_by_label(PROJECT), org.officer_a,
        {"title": "x", "priority": "normal", "budget": 1, "custom": {"so_tien": 5}},
    )  # fmt: skip
    field.type = "text"
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert exc.value.error_dict["type"][0].code == "RETYPE_WITH_VALUES"


def test_admin_asks_to_confirm_an_edit_that_breaks_clients(client, org):
    field = add_field("ghi_chu", "text", in_filter=True)
    client.force_login(org.admin)
    url = reverse("admin:engine_customfield_change", args=[field.pk])
    data = {
        "entity": PROJECT, "code": "ghi_chu", "label_vi": "Ghi chú", "label_en": "Note", "type": "text",
        "order": 1, "default": "null", "version": 1,
        "archived": "on", "in_filter": "on", "options-TOTAL_FORMS": 0, "options-INITIAL_FORMS": 0,
    }  # fmt: skip
    asked = client.post(url, data)
    assert asked.status_code == 200, asked
    page = asked.content.decode()
    assert "Thay đổi này làm hỏng các client API" in page and "This change breaks API clients" in page
    assert "SampleProjectCustom" in page  # its only field goes: the type goes (graphql-core's words)
    assert not CustomField.objects.get(pk=field.pk).archived  # nothing saved yet
    data["confirm_breaking"] = "on"
    assert client.post(url, data).status_code == 302
    assert CustomField.objects.get(pk=field.pk).archived


def test_revert_from_history_is_not_taken_for_a_stale_edit(client, org):
    """The history's revert page shows an old version on purpose: it saves over the current."""
    field = add_field("ghi_chu", "text")
    first = field.history.earliest("history_id")
    field.label_vi = "Nhãn thứ hai"
    field.save()
    client.force_login(org.admin)
    url = reverse("admin:engine_customfield_simple_history", args=[field.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"default": "null"})
    data.update({"options-TOTAL_FORMS": 0, "options-INITIAL_FORMS": 0})
    data = {k: v for k, v in data.items() if v is not False}
    reverted = client.post(url, data)
    assert reverted.status_code == 302, reverted.context["adminform"].form.errors
    assert CustomField.objects.get(pk=field.pk).label_vi == "Trường ghi_chu"


# --- who may see / change: ticked roles, not typed JSON ---------------------------------

ROLE_FORM = {
    "entity": PROJECT, "code": "so_cccd", "label_vi": "Số CCCD", "label_en": "ID card number",
    "type": "text", "order": 1, "default": "null",
    "options-TOTAL_FORMS": 0, "options-INITIAL_FORMS": 0,
}  # fmt: skip


def test_the_form_offers_the_declared_roles_by_their_vietnamese_names(client, org):
    client.force_login(org.admin)
    page = client.get(reverse("admin:engine_customfield_add"))
    form = page.context["adminform"].form
    for name in ("roles_see", "roles_change"):
        offered = {code: str(label) for code, label in form.fields[name].choices}
        # the rule's text: the platform's roles (modules/org/roles.py), named in Vietnamese
        assert offered["unit_head"] == "Lãnh đạo đơn vị"
        assert offered["provincial_officer"] == "Cán bộ Sở KH&CN"
        assert offered["platform_admin"] == "Quản trị nền tảng"
        assert len(offered) >= 9
    html = page.content.decode()
    assert 'type="checkbox" name="roles_see" value="unit_head"' in html
    assert "Lãnh đạo đơn vị" in html


def test_ticked_roles_are_saved_as_a_list(client, org):
    client.force_login(org.admin)
    data = ROLE_FORM | {"roles_see": ["unit_head", "provincial_officer"], "roles_change": ["unit_head"]}
    saved = client.post(reverse("admin:engine_customfield_add"), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    field = CustomField.objects.get(code="so_cccd")
    assert field.roles_see == ["unit_head", "provincial_officer"] and field.roles_change == ["unit_head"]
    # opened again, the same boxes are ticked
    page = client.get(reverse("admin:engine_customfield_change", args=[field.pk]))
    assert page.context["adminform"].form["roles_see"].value() == ["unit_head", "provincial_officer"]


def test_invalid_roles_are_refused_field_by_field(client, org):
    """The attack on the form: post codes that are no role (JSON text, a made-up role)."""
    client.force_login(org.admin)
    data = ROLE_FORM | {"roles_see": ["unit_head", "vua"], "roles_change": '["unit_head"]'}
    refused = client.post(reverse("admin:engine_customfield_add"), data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert set(errors) == {"roles_see", "roles_change"}, errors
    assert "“vua” không phải một vai trò" in str(errors["roles_see"])
    assert "không phải một vai trò" in str(errors["roles_change"])
    assert not CustomField.objects.exists()
    # only the wrong list is marked
    data = ROLE_FORM | {"roles_see": ["unit_head"], "roles_change": ["khong_co"]}
    errors = client.post(reverse("admin:engine_customfield_add"), data).context["adminform"].form.errors
    assert set(errors) == {"roles_change"}, errors


@pytest.mark.parametrize(
    ("roles_see", "roles_change", "marked"),
    [
        (["unit_head"], ["ghost"], {"roles_change"}),
        ("unit_head", [], {"roles_see"}),  # a string, not a list
        (["x"], [1], {"roles_see", "roles_change"}),
    ],
)
def test_other_write_paths_are_judged_by_the_model_too(org, roles_see, roles_change, marked):
    field = CustomField(entity=PROJECT, code="ghi_chu", label_vi="Ghi chú", label_en="Note", type="text")
    field.roles_see, field.roles_change = roles_see, roles_change
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert set(exc.value.error_dict) == marked
    field.roles_see, field.roles_change = ["unit_head", "unit_head"], None
    field.full_clean()
    assert field.roles_see == ["unit_head"] and field.roles_change == []
