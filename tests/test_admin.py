"""The generated admin: pages, row scoping, the engine write path, locking, transitions,
the dashboard and API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.forms import MultiWidget
from django.urls import reverse

from modules.engine import registry, services
from modules.engine.models import ApiToken
from modules.engine.tokens import hash_token

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"


# --- helpers -----------------------------------------------------------------------------


def url(label: str, view: str, *args: Any) -> str:
    model = registry.model_for(label)
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def project(user: Any, title: str = "Dự án", **values: Any) -> Any:
    entity = registry.entity_by_label(PROJECT)
    return services.create_record(
        entity, user, {"title": title, "priority": "normal", "budget": 1000, **values}
    )


def client_for(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def _field_data(form: Any, name: str, data: dict[str, Any]) -> None:
    bound = form[name]
    value = bound.value()
    widget = bound.field.widget
    key = form.add_prefix(name)
    if getattr(widget, "input_type", None) == "file":
        return
    if getattr(widget, "input_type", None) == "checkbox" and not isinstance(value, list | tuple):
        if value:
            data[key] = "on"
        return
    if isinstance(widget, MultiWidget):
        for index, part in enumerate(widget.decompress(value)):
            data[f"{key}_{index}"] = "" if part is None else part
        return
    if isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
    else:
        data[key] = "" if value is None else value


def form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """The POST body the change/add page would send, from its rendered context."""
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        _field_data(form, name, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for child in formset.forms:
            for name in child.fields:
                _field_data(child, name, data)
    data.update(changes)
    return data


def page_messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- registration and pages --------------------------------------------------------------


def test_every_entity_has_a_generated_admin():
    from admin_theme.generator import EngineAdminMixin

    for entity in registry.entities():
        model_admin = admin.site._registry[registry.model_for(entity)]
        assert isinstance(model_admin, EngineAdminMixin)
    assert admin.site._registry[ApiToken]


def _rows(org: Any) -> dict[str, Any]:
    sample = project(org.officer_a, "Dự án trang")
    note = services.create_record(
        registry.entity_by_label("sample.SampleNote"),
        org.officer_a,
        {"text": "Ghi chú", "project": sample.pk},
    )
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    return {PROJECT: sample, "sample.SampleNote": note, "org.Unit": org.province_a, "org.Person": person}


def test_superuser_gets_every_page(client, org):
    client_for(client, org.admin)
    for label, row in _rows(org).items():
        pages = [
            url(label, "changelist"),
            url(label, "changelist") + "?q=a",
            url(label, "add"),
            url(label, "change", row.pk),
            url(label, "history", row.pk),
            url(label, "permissions", row.pk),
        ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (label, page, response.status_code)
    for page in (
        reverse("admin:index"),
        reverse("admin:engine_apitoken_changelist"),
        reverse("admin:engine_apitoken_add"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[org.officer_a.pk]),
        reverse("admin:auth_group_changelist"),
    ):
        assert client.get(page).status_code == 200, page


def test_change_form_shows_inlines_system_fields_and_history_link(client, org):
    row = project(org.officer_a, "Có mốc", milestones=[{"name": "Mốc 1", "amount": 10}])
    response = client_for(client, org.officer_a).get(url(PROJECT, "change", row.pk))
    html = response.content.decode()
    assert "Mốc 1" in html
    assert row.number in html
    assert 'name="loaded_version"' in html
    assert url(PROJECT, "history", row.pk) in html and "Lịch sử" in html
    # object grants are for permitted staff only
    assert url(PROJECT, "permissions", row.pk) not in html
    assert client.get(url(PROJECT, "permissions", row.pk)).status_code == 403


def test_malformed_ids_are_not_found_never_500(client, org):
    client_for(client, org.admin)
    for page in (
        url(PROJECT, "history", "abc"),
        url(PROJECT, "permissions", "abc"),
        url(PROJECT, "transition_submit", "abc"),
    ):
        assert client.get(page).status_code in (302, 403, 404), page


# --- rows are scoped ---------------------------------------------------------------------


def test_changelist_shows_only_rows_in_scope(client, org):
    mine = project(org.officer_a, "Dự án riêng của A")
    theirs = project(org.officer_b, "Dự án riêng của B")
    page_b = client_for(client, org.officer_b).get(url(PROJECT, "changelist")).content.decode()
    assert "Dự án riêng của B" in page_b
    assert "Dự án riêng của A" not in page_b
    assert mine.number not in page_b
    page_a = client_for(client, org.officer_a).get(url(PROJECT, "changelist")).content.decode()
    assert "Dự án riêng của A" in page_a
    assert theirs.number not in page_a
    # the leader sees every unit
    page_leader = client_for(client, org.leader).get(url(PROJECT, "changelist")).content.decode()
    assert "Dự án riêng của A" in page_leader and "Dự án riêng của B" in page_leader


def test_out_of_scope_record_cannot_be_opened_or_changed(client, org):
    row = project(org.officer_a, "Bí mật của A")
    client_for(client, org.officer_b)
    for page in (
        url(PROJECT, "change", row.pk),
        url(PROJECT, "history", row.pk),
        url(PROJECT, "permissions", row.pk),
        url(PROJECT, "delete", row.pk),
        url(PROJECT, "transition_submit", row.pk),
    ):
        response = client.get(page)
        assert response.status_code in (302, 403, 404), (page, response.status_code)
        assert "Bí mật của A" not in response.content.decode()

    response = client.post(
        url(PROJECT, "change", row.pk),
        {
            "title": "Đã bị sửa",
            "priority": "high",
            "loaded_version": row.version,
            "owner_unit": org.province_b.pk,
        },
    )
    assert response.status_code in (302, 403, 404)
    response = client.post(url(PROJECT, "delete", row.pk), {"post": "yes"})
    assert response.status_code in (302, 403, 404)
    row.refresh_from_db()
    assert row.title == "Bí mật của A" and row.version == 1
    assert type(row).objects.filter(pk=row.pk).exists()


def test_link_fields_only_offer_visible_rows(client, org):
    mine = project(org.officer_b, "Dự án của B")
    other = project(org.officer_a, "Dự án của A")
    response = client_for(client, org.officer_b).get(url("sample.SampleNote", "add"))
    choices = response.context["adminform"].form.fields["project"].queryset
    assert mine in choices and other not in choices
    # owner unit: only the user's own unit (and sub-units), defaulting to it
    form = client.get(url(PROJECT, "add")).context["adminform"].form
    assert list(form.fields["owner_unit"].queryset) == [org.province_b]
    assert form.initial["owner_unit"] == org.province_b.pk


def test_read_only_role_cannot_change(client, org):
    row = project(org.officer_a, "Chỉ xem")
    response = client_for(client, org.leader).get(url(PROJECT, "change", row.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = client.post(url(PROJECT, "change", row.pk), {"title": "Sửa", "loaded_version": 1})
    assert response.status_code == 403
    assert client.get(url(PROJECT, "add")).status_code == 403


# --- writes go through the engine ----------------------------------------------------------


def test_add_through_admin_numbers_scopes_and_records_history(client, org):
    client_for(client, org.officer_a)
    page = client.get(url(PROJECT, "add"))
    data = form_data(page, title="Dự án qua quản trị", priority="high", budget="5000")
    data["partner_units"] = [str(org.province_b.pk)]
    data["milestones-TOTAL_FORMS"] = "1"
    data.update(
        {"milestones-0-name": "Khởi động", "milestones-0-amount": "100", "milestones-0-position": "0"}
    )
    response = client.post(url(PROJECT, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    model = registry.model_for(PROJECT)
    row = model.objects.get(title="Dự án qua quản trị")
    assert re.fullmatch(r"DA-\d{4}-\d{4}", row.number)
    assert row.owner_unit_id == org.province_a.pk
    assert row.created_by == org.officer_a and row.version == 1 and row.state == "draft"
    assert list(row.partner_units.all()) == [org.province_b]
    assert [m.name for m in row.milestones.all()] == ["Khởi động"]
    created = row.history.filter(history_type="+")
    assert created.count() == 1 and created.get().history_user == org.officer_a
    # (setting the multi-link adds a "~" entry of the same write: simple-history tracks m2m)
    assert {h.history_user for h in row.history.all()} == {org.officer_a}


def test_change_through_admin_bumps_version(client, org):
    row = project(org.officer_a, "Trước")
    client_for(client, org.officer_a)
    data = form_data(client.get(url(PROJECT, "change", row.pk)), title="Sau")
    response = client.post(url(PROJECT, "change", row.pk), data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.title == "Sau" and row.version == 2 and row.updated_by == org.officer_a
    assert row.history.count() == 2


def test_stale_version_is_refused_with_a_form_error(client, org):
    entity = registry.entity_by_label(PROJECT)
    row = project(org.officer_a, "Bản gốc")
    client_for(client, org.officer_a)
    data = form_data(client.get(url(PROJECT, "change", row.pk)), title="Bản của tôi")
    assert str(data["loaded_version"]) == "1"
    services.update_record(entity, org.head_a, row.pk, {"title": "Bản của người khác"}, version=1)

    response = client.post(url(PROJECT, "change", row.pk), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "phiên bản 2" in errors and "version 2" in errors
    assert "phiên bản 2" in response.content.decode()
    row.refresh_from_db()
    assert row.title == "Bản của người khác" and row.version == 2


def test_stale_write_racing_past_the_form_check_is_still_refused(client, org, monkeypatch):
    """If the row changes between the form's check and the write, the engine refuses it."""
    from admin_theme.forms import EngineModelForm

    entity = registry.entity_by_label(PROJECT)
    row = project(org.officer_a, "Gốc")
    client_for(client, org.officer_a)
    data = form_data(client.get(url(PROJECT, "change", row.pk)), title="Của tôi")
    original_clean = EngineModelForm.clean
    raced = []

    def clean_then_race(self):
        cleaned = original_clean(self)
        if not raced:
            raced.append(True)
            services.update_record(entity, org.head_a, row.pk, {"title": "Của người khác"}, version=1)
        return cleaned

    monkeypatch.setattr(EngineModelForm, "clean", clean_then_race)
    response = client.post(url(PROJECT, "change", row.pk), data)
    assert response.status_code == 200
    assert "phiên bản" in " ".join(response.context["adminform"].form.non_field_errors())
    assert raced
    row.refresh_from_db()
    # (the simulated concurrent write ran inside the refused request's transaction in this
    # single-connection test, so it was rolled back too; what matters: ours was not written)
    assert row.title != "Của tôi"


def test_hook_validation_becomes_a_field_error(client, org):
    client_for(client, org.officer_a)
    data = form_data(
        client.get(url(PROJECT, "add")), title="Quá lớn", priority="normal", budget="9000000000000"
    )
    response = client.post(url(PROJECT, "add"), data)
    assert response.status_code == 200
    assert "Kinh phí quá lớn" in " ".join(response.context["adminform"].form.errors["budget"])
    assert not registry.model_for(PROJECT).objects.filter(title="Quá lớn").exists()


def test_owner_unit_outside_scope_is_refused(client, org):
    client_for(client, org.officer_a)
    data = form_data(client.get(url(PROJECT, "add")), title="Sai đơn vị", owner_unit=str(org.province_b.pk))
    response = client.post(url(PROJECT, "add"), data)
    assert response.status_code == 200
    assert "owner_unit" in response.context["adminform"].form.errors
    assert not registry.model_for(PROJECT).objects.filter(title="Sai đơn vị").exists()


def test_delete_goes_through_the_engine(client, org):
    row = project(org.officer_a, "Xoá tôi")
    client_for(client, org.officer_a)
    response = client.post(url(PROJECT, "delete", row.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(row).objects.filter(pk=row.pk).exists()
    # its history stays readable for a user who could see it
    assert client.get(url(PROJECT, "history", row.pk)).status_code == 200


# --- workflow transitions -------------------------------------------------------------------


def _transition_links(html: str, pk: int) -> set[str]:
    return set(re.findall(rf"/admin/sample/sampleproject/{pk}/transition/(\w+)/", html))


def test_transition_buttons_follow_role_and_state(client, org):
    row = project(org.officer_a, "Quy trình")
    html = client_for(client, org.officer_a).get(url(PROJECT, "change", row.pk)).content.decode()
    assert _transition_links(html, row.pk) == {"submit"}
    # the head of unit cannot submit, and nothing else applies to a draft
    html = client_for(client, org.head_a).get(url(PROJECT, "change", row.pk)).content.decode()
    assert _transition_links(html, row.pk) == set()


def test_permitted_role_fires_and_other_roles_are_refused(client, org):
    row = project(org.officer_a, "Trình duyệt")
    client_for(client, org.officer_a)
    page = client.get(url(PROJECT, "transition_submit", row.pk))
    assert page.status_code == 200
    response = client.post(url(PROJECT, "transition_submit", row.pk), {"version": row.version})
    assert response.status_code == 302
    assert any("Trình" in m for m in page_messages(response))
    row.refresh_from_db()
    assert row.state == "submitted" and row.version == 2

    # officer_a may not approve: no button, and the URL refuses
    html = client.get(url(PROJECT, "change", row.pk)).content.decode()
    assert _transition_links(html, row.pk) == set()
    assert client.get(url(PROJECT, "transition_approve", row.pk)).status_code == 403
    assert client.post(url(PROJECT, "transition_approve", row.pk), {"version": 2}).status_code == 403
    row.refresh_from_db()
    assert row.state == "submitted"

    # the head of unit sees approve and return, and approves
    client_for(client, org.head_a)
    html = client.get(url(PROJECT, "change", row.pk)).content.decode()
    assert _transition_links(html, row.pk) == {"approve", "return_back"}
    response = client.post(url(PROJECT, "transition_approve", row.pk), {"version": 2})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "approved"
    assert row.history.first().history_change_reason == "approve"
    # another province's head cannot act at all
    assert (
        client_for(client, org.officer_b).get(url(PROJECT, "transition_approve", row.pk)).status_code == 403
    )


def test_transition_needing_a_comment_asks_for_one(client, org):
    row = project(org.officer_a, "Trả lại")
    entity = registry.entity_by_label(PROJECT)
    services.fire_transition(entity, org.officer_a, row.pk, "submit", 1)
    client_for(client, org.head_a)
    page = client.get(url(PROJECT, "transition_return_back", row.pk))
    assert page.status_code == 200 and 'name="comment"' in page.content.decode()
    response = client.post(url(PROJECT, "transition_return_back", row.pk), {"version": 2, "comment": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    row.refresh_from_db()
    assert row.state == "submitted"
    response = client.post(
        url(PROJECT, "transition_return_back", row.pk), {"version": 2, "comment": "Bổ sung hồ sơ"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "returned"


def test_transition_errors_become_messages(client, org):
    row = project(org.officer_a, "Không kinh phí", budget=None)
    client_for(client, org.officer_a)
    response = client.post(url(PROJECT, "transition_submit", row.pk), {"version": 1})
    assert response.status_code == 302
    assert any("Chưa có kinh phí" in m for m in page_messages(response))
    row.refresh_from_db()
    assert row.state == "draft"
    # a stale version is refused too
    row2 = project(org.officer_a, "Cũ")
    response = client.post(url(PROJECT, "transition_submit", row2.pk), {"version": 7})
    assert response.status_code == 302
    assert any("phiên bản" in m for m in page_messages(response))
    row2.refresh_from_db()
    assert row2.state == "draft"


# --- dashboard ---------------------------------------------------------------------------------


def _sample_counts(response: Any) -> dict[str, int]:
    modules = {m["label"]: m for m in response.context["onemst_modules"]}
    return {figure["key"]: figure["count"] for figure in modules["sample"]["figures"]}


def test_dashboard_counts_differ_by_user(client, org):
    entity = registry.entity_by_label(PROJECT)
    project(org.officer_a, "A1")
    project(org.officer_a, "A2")
    done = project(org.officer_a, "A3 xong")
    project(org.officer_b, "B1")
    services.fire_transition(entity, org.officer_a, done.pk, "submit", 1)
    services.fire_transition(entity, org.head_a, done.pk, "approve", 2)

    response_a = client_for(client, org.officer_a).get(reverse("admin:index"))
    assert response_a.status_code == 200
    html = response_a.content.decode()
    assert "Bảng điều khiển" in html
    counts_a = _sample_counts(response_a)
    assert counts_a["sample.SampleProject.open"] == 2  # the approved one is not open
    assert url(PROJECT, "changelist") + "?state__in=" in html

    response_b = client_for(client, org.officer_b).get(reverse("admin:index"))
    counts_b = _sample_counts(response_b)
    assert counts_b["sample.SampleProject.open"] == 1
    assert counts_a != counts_b
    assert 'data-figure="sample.SampleProject.open" data-count="1"' in response_b.content.decode()

    # the dashboard's link opens the list of open items
    changelist = client_for(client, org.officer_a).get(
        url(PROJECT, "changelist") + "?state__in=draft,submitted,returned"
    )
    assert changelist.status_code == 200
    assert "A3 xong" not in changelist.content.decode() and "A1" in changelist.content.decode()


# --- API tokens ---------------------------------------------------------------------------------


def test_api_token_is_shown_once_and_only_its_hash_is_stored(client, org):
    client_for(client, org.admin)
    response = client.post(
        reverse("admin:engine_apitoken_add"),
        {
            "user": org.officer_a.pk,
            "name": "Máy chủ báo cáo",
            "expires_at_0": "2099-01-01",
            "expires_at_1": "00:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r"omst_[A-Za-z0-9_\-]+", html).group(0)
    token = ApiToken.objects.get(name="Máy chủ báo cáo")
    assert token.user == org.officer_a
    assert token.key_hash == hash_token(raw)
    assert raw.startswith(token.prefix)
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert raw not in stored
    # shown once: the next pages no longer carry it
    for page in (
        reverse("admin:engine_apitoken_changelist"),
        reverse("admin:engine_apitoken_change", args=[token.pk]),
    ):
        again = client.get(page).content.decode()
        assert raw not in again and token.prefix in again
    # the token works, until revoked
    from modules.engine.tokens import user_for_token

    assert user_for_token(raw) == org.officer_a
    response = client.post(
        reverse("admin:engine_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_token(raw) is None


def test_autocomplete_only_returns_visible_rows(client, org):
    project(org.officer_a, "Tìm thấy của A")
    project(org.officer_b, "Tìm thấy của B")
    client_for(client, org.officer_b)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "sample", "model_name": "samplenote", "field_name": "project", "term": "Tìm thấy"},
    )
    assert response.status_code == 200
    texts = [r["text"] for r in response.json()["results"]]
    assert any("của B" in t for t in texts) and not any("của A" in t for t in texts)


def test_superuser_grants_an_object_permission_through_guardian_pages(client, org):
    row = project(org.officer_a, "Chia sẻ riêng cho B")
    client_for(client, org.admin)
    html = client.get(url(PROJECT, "change", row.pk)).content.decode()
    assert url(PROJECT, "permissions", row.pk) in html and "Quyền trên bản ghi" in html
    manage = reverse("admin:sample_sampleproject_permissions_manage_user", args=[row.pk, org.officer_b.pk])
    assert client.get(manage).status_code == 200
    group = org.officer_b.groups.first()
    assert (
        client.get(
            reverse("admin:sample_sampleproject_permissions_manage_group", args=[row.pk, group.pk])
        ).status_code
        == 200
    )
    response = client.post(manage, {"permissions": ["view_sampleproject"]})
    assert response.status_code == 302
    grants = registry.classes_for(registry.entity_by_label(PROJECT))["SampleProjectUserObjectPermission"]
    assert grants.objects.filter(user=org.officer_b, content_object=row).exists()
    # the grant opens exactly that row to officer_b, read-only
    client_for(client, org.officer_b)
    assert "Chia sẻ riêng cho B" in client.get(url(PROJECT, "changelist")).content.decode()
    response = client.get(url(PROJECT, "change", row.pk))
    assert response.status_code == 200 and response.context["has_change_permission"] is False


def test_shared_record_is_visible_but_read_only_to_other_units(client, org):
    row = project(org.officer_a, "Dự án chia sẻ", is_shared=True)
    client_for(client, org.officer_b)
    assert "Dự án chia sẻ" in client.get(url(PROJECT, "changelist")).content.decode()
    response = client.get(url(PROJECT, "change", row.pk))
    assert response.status_code == 200 and response.context["has_change_permission"] is False
    assert _transition_links(response.content.decode(), row.pk) == set()
    response = client.post(url(PROJECT, "change", row.pk), {"title": "Sửa trộm", "loaded_version": 1})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.title == "Dự án chia sẻ"
