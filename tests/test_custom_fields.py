"""Issue 15: fields administrators add at run time, on every write path and in the API.

Each test tries the thing the rule forbids (a wrong type, a retired option, a hidden field,
an out-of-scope link, a retype) and fails if it gets through.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from modules.engine import registry, services
from modules.engine.custom_models import ChoiceOption, CustomField
from modules.engine.errors import InvalidInput

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"


def entity():
    return registry.entity_by_label(PROJECT)


def add_field(code: str, type: str = "text", **options) -> CustomField:
    field = CustomField(
        entity=PROJECT, code=code, label_vi=f"Trường {code}", label_en=f"Field {code}", type=type
    )
    for name, value in options.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


def create(org, user=None, **custom):
    data = {"title": "Đề án", "priority": "normal", "budget": 1000, "custom": custom}
    return services.create_record(entity(), user or org.officer_a, data)


def problems(call) -> dict[str, str]:
    with pytest.raises(InvalidInput) as exc:
        call()
    return {p.field: p.code for p in exc.value.problems}


# (type, a valid input, what is stored, an invalid input)
CASES = [
    ("text", "Vốn tỉnh", "Vốn tỉnh", 12),
    ("longtext", "Dòng 1\nDòng 2", "Dòng 1\nDòng 2", ["x"]),
    ("integer", 42, 42, "4.5"),
    ("decimal", "12.50", "12.50", "mười"),
    ("money", 1500000, 1500000, -5),
    ("date", "2026-12-01", "2026-12-01", "2026-13-45"),
    ("datetime", "2026-12-01T08:30:00+07:00", "2026-12-01T08:30:00+07:00", "hôm qua"),
    ("boolean", True, True, "yes"),
]


@pytest.mark.parametrize(("type_", "good", "stored", "bad"), CASES)
def test_each_type_stores_valid_and_refuses_invalid(org, type_, good, stored, bad):
    add_field("f", type_)
    record = create(org, f=good)
    record.refresh_from_db()
    assert record.custom["f"] == stored
    assert problems(lambda: create(org, f=bad)) == {"custom.f": problems_code(type_)}
    assert registry.model_for(entity()).objects.count() == 1  # the refused write left nothing


def problems_code(type_: str) -> str:
    return "INVALID"


def test_text_too_long_and_unknown_field(org):
    add_field("f", "text")
    assert problems(lambda: create(org, f="x" * 256)) == {"custom.f": "TOO_LONG"}
    assert problems(lambda: create(org, nope="x")) == {"custom.nope": "UNKNOWN_FIELD"}


def test_required_and_default(org):
    add_field("must", "text", required=True)
    add_field("level", "integer", default=3)
    assert problems(lambda: create(org)) == {"custom.must": "REQUIRED"}
    record = create(org, must="có")
    assert record.custom == {"must": "có", "level": 3}
    # clearing a required value is refused on update too
    found = problems(
        lambda: services.update_record(entity(), org.officer_a, record.pk, {"custom": {"must": ""}}, 1)
    )
    assert found == {"custom.must": "REQUIRED"}


def test_choice_retired_option_stays_on_old_records_but_is_refused_on_new(org):
    field = add_field("nguon_von", "choice")
    ChoiceOption.objects.create(field=field, code="tinh", label_vi="Vốn tỉnh", label_en="Province")
    old = ChoiceOption.objects.create(field=field, code="tw", label_vi="Vốn trung ương", label_en="Central")
    record = create(org, nguon_von="tw")
    assert problems(lambda: create(org, nguon_von="khac")) == {"custom.nguon_von": "INVALID_CHOICE"}
    old.retired = True
    old.save()
    assert problems(lambda: create(org, nguon_von="tw")) == {"custom.nguon_von": "RETIRED_CHOICE"}
    # the old record keeps it through an unrelated edit
    updated = services.update_record(entity(), org.officer_a, record.pk, {"title": "Sửa tên"}, 1)
    assert updated.custom["nguon_von"] == "tw"


def test_link_is_checked_through_scope(org):
    add_field("related", "link", target=PROJECT)
    mine = create(org)
    theirs = create(org, org.officer_b)
    assert create(org, related=mine.pk).custom["related"] == mine.pk
    # officer_a cannot see officer_b's province's project: the link is refused
    assert problems(lambda: create(org, related=theirs.pk)) == {"custom.related": "NOT_FOUND"}
    assert problems(lambda: create(org, related="abc")) == {"custom.related": "NOT_FOUND"}


def test_role_that_may_not_change_cannot_write(org):
    add_field("secret", "text", roles_see=["unit_head"], roles_change=["unit_head"])
    add_field("shown", "text", roles_change=["unit_head"])
    assert problems(lambda: create(org, secret="x")) == {"custom.secret": "FORBIDDEN"}
    assert problems(lambda: create(org, shown="x")) == {"custom.shown": "FORBIDDEN"}
    record = create(org, org.head_a, secret="bí mật", shown="hiện")
    # officer_a may edit the record; their edit keeps the values they may not change
    updated = services.update_record(entity(), org.officer_a, record.pk, {"title": "Khác"}, 1)
    assert updated.custom == {"secret": "bí mật", "shown": "hiện"}
    found = problems(
        lambda: services.update_record(entity(), org.officer_a, record.pk, {"custom": {"shown": "đổi"}}, 2)
    )
    assert found == {"custom.shown": "FORBIDDEN"}


def test_retype_or_rename_of_a_field_with_values_is_refused(org):
    field = add_field("so_tien", "integer")
    create(org, so_tien=5)
    field.type = "text"
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert exc.value.error_dict["type"][0].code == "RETYPE_WITH_VALUES"
    field.refresh_from_db()
    field.code = "so_tien_khac"
    with pytest.raises(ValidationError):
        field.full_clean()
    # a field without values may change type
    empty = add_field("trong", "integer")
    empty.type = "text"
    empty.full_clean()


def test_archive_keeps_values_and_restore_brings_them_back(org):
    field = add_field("ghi_chu", "text")
    record = create(org, ghi_chu="giữ lại")
    field.archived = True
    field.save()
    # an edit of the record while archived keeps the value; writing it is refused
    updated = services.update_record(entity(), org.officer_a, record.pk, {"title": "Sửa"}, 1)
    assert updated.custom["ghi_chu"] == "giữ lại"
    found = problems(
        lambda: services.update_record(entity(), org.officer_a, record.pk, {"custom": {"ghi_chu": "x"}}, 2)
    )
    assert found == {"custom.ghi_chu": "READ_ONLY"}
    field.archived = False
    field.save()
    record.refresh_from_db()
    assert record.custom["ghi_chu"] == "giữ lại"


def test_definitions_are_audited(org):
    field = add_field("a", "text")
    field.label_vi = "Tên mới"
    field.save()
    assert [h.label_vi for h in field.history.order_by("history_id")] == ["Trường a", "Tên mới"]


def test_entity_without_custom_fields_refuses_definitions(org):
    field = CustomField(entity="attendance.Kiosk", code="x", label_vi="x", label_en="x", type="text")
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert "entity" in exc.value.error_dict
    assert not hasattr(registry.model_for("attendance.Kiosk"), "custom") or not any(
        f.name == "custom" for f in registry.model_for("attendance.Kiosk")._meta.get_fields()
    )


# --- GraphQL ------------------------------------------------------------------------

LIST = """query($f: SampleProjectFilter) { sampleProjects(filters: $f) { results { title
    custom { nguonVonDoiUng soCccd } } } }"""
SECRET = "{ sampleProjects { results { title custom { ghiChuMat } } } }"
CREATE = """mutation($c: SampleProjectCustomInput) { createSampleProject(input: {title: "Qua API",
    priority: NORMAL, budget: "10", custom: $c}) { ok errors { field code } node { id } } }"""


def graphql_fields():
    add_field("nguon_von_doi_ung", "decimal", in_filter=True)
    add_field("so_cccd", "text")
    add_field("ghi_chu_mat", "text", roles_see=["unit_head"], roles_change=["unit_head"], in_filter=True)


def test_graphql_reads_writes_and_filters_custom_fields(org):
    from tests.graphql import run

    graphql_fields()
    made = run(CREATE, {"c": {"nguonVonDoiUng": "12.5", "soCccd": "001099000001"}}, user=org.officer_a)
    assert made["data"]["createSampleProject"]["ok"], made
    create(org, nguon_von_doi_ung="3")
    found = run(LIST, {"f": {"custom": {"nguonVonDoiUng": {"exact": "12.5"}}}}, user=org.officer_a)
    assert found["data"]["sampleProjects"]["results"] == [
        {"title": "Qua API", "custom": {"nguonVonDoiUng": "12.5", "soCccd": "001099000001"}}
    ]
    # a wrong type is a typed field error, and nothing is written
    bad = run(CREATE, {"c": {"soCccd": "x" * 300}}, user=org.officer_a)["data"]["createSampleProject"]
    assert not bad["ok"] and bad["errors"][0]["code"] == "TOO_LONG"
    assert bad["errors"][0]["field"].startswith("custom.")
    assert registry.model_for(entity()).objects.count() == 2


def test_graphql_hidden_field_is_refused_to_a_role_that_may_not_see_it(org):
    from tests.graphql import run

    graphql_fields()
    create(org, org.head_a, ghi_chu_mat="chỉ trưởng đơn vị")
    seen = run(SECRET, user=org.head_a)
    assert seen["data"]["sampleProjects"]["results"][0]["custom"] == {"ghiChuMat": "chỉ trưởng đơn vị"}
    hidden = run(SECRET, user=org.officer_a)
    assert "chỉ trưởng" not in str(hidden)
    assert hidden["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED", "field": "custom.ghi_chu_mat"}
    probe = run(
        LIST.replace("nguonVonDoiUng soCccd", "soCccd"),
        {"f": {"custom": {"ghiChuMat": {"exact": "chỉ trưởng đơn vị"}}}},
        user=org.officer_a,
    )
    assert probe["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"  # no guessing through filters
    written = run(CREATE, {"c": {"ghiChuMat": "ghi đè"}}, user=org.officer_a)["data"]["createSampleProject"]
    assert not written["ok"] and written["errors"][0]["code"] == "FORBIDDEN"


def test_committed_sdl_stays_the_declared_schema(org):
    from schema.runtime import current_schema
    from schema.schema import schema as declared

    graphql_fields()
    assert "SampleProjectCustom" in str(current_schema())
    assert "SampleProjectCustom" not in str(declared)  # what update_schema --check compares


# The cross-process change (a running Daphne serves a new field within a second of the
# commit) and subscriptions: tests/test_custom_fields_live.py.


# --- admin --------------------------------------------------------------------------


def test_admin_form_shows_typed_fields_by_role_and_writes_through_the_engine(client, org):
    from tests.test_admin import form_data, url

    add_field("so_cccd", "text")
    add_field("kinh_phi", "money")
    add_field("ghi_chu_mat", "text", roles_see=["unit_head"], roles_change=["unit_head"])
    add_field("chi_xem", "text", roles_change=["unit_head"])
    record = create(org, org.head_a, ghi_chu_mat="bí mật", chi_xem="cố định")

    client.force_login(org.officer_a)
    page = client.get(url(PROJECT, "change", record.pk))
    form = page.context["adminform"].form
    assert "custom.ghi_chu_mat" not in form.fields and "bí mật" not in page.content.decode()
    assert form.fields["custom.chi_xem"].disabled
    assert isinstance(form.fields["custom.kinh_phi"].widget, __import__("django").forms.NumberInput)
    # the attack: post the hidden and the read-only field anyway, with a wrong-typed amount first
    data = form_data(page, **{"custom.so_cccd": "001099000001", "custom.kinh_phi": "nhiều"})
    data.update({"custom.ghi_chu_mat": "ghi đè", "custom.chi_xem": "ghi đè"})
    refused = client.post(url(PROJECT, "change", record.pk), data)
    assert refused.status_code == 200 and refused.context["adminform"].form.errors.get("custom.kinh_phi")
    data["custom.kinh_phi"] = "2500000"
    saved = client.post(url(PROJECT, "change", record.pk), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    record.refresh_from_db()
    assert record.custom == {
        "ghi_chu_mat": "bí mật",
        "chi_xem": "cố định",
        "so_cccd": "001099000001",
        "kinh_phi": 2500000,
    }


def test_only_platform_admins_manage_definitions_and_changes_are_audited(client, org):
    from django.urls import reverse

    client.force_login(org.officer_a)
    assert client.get(reverse("admin:engine_customfield_changelist")).status_code == 403
    client.force_login(org.admin)
    assert client.get(reverse("admin:engine_customfield_changelist")).status_code == 200
    added = client.post(
        reverse("admin:engine_customfield_add"),
        {
            "entity": PROJECT,
            "code": "nguon_von",
            "label_vi": "Nguồn vốn",
            "label_en": "Funding",
            "type": "choice",
            "order": 1,
            "roles_see": ["unit_head", "provincial_officer"],  # ticked boxes of declared roles
            "default": "null",
            "options-TOTAL_FORMS": 1,
            "options-INITIAL_FORMS": 0,
            "options-0-code": "tinh",
            "options-0-label_vi": "Vốn tỉnh",
            "options-0-label_en": "Province",
            "options-0-order": 1,
        },
    )
    assert added.status_code == 302, added.content.decode()[:3000]
    field = CustomField.objects.get(code="nguon_von")
    assert field.history.get().history_user == org.admin
    assert field.options.get().history.get().history_user == org.admin


def test_fast_path_compiles_custom_selections(org):
    """More in tests/test_custom_fields_fastpath.py (byte for byte, SQL count, hidden fields)."""
    from schema import fastpath
    from schema.runtime import current_schema
    from tests.graphql import run

    graphql_fields()
    create(org, so_cccd="001099000002")
    runtime = current_schema()
    plain = "{ sampleProjects { results { title } } }"
    selected = "{ sampleProjects { results { title custom { soCccd } } } }"
    assert fastpath.explain(runtime, plain) is None
    assert fastpath.explain(runtime, selected) is None
    answer = run(selected, user=org.officer_a)
    assert answer["data"]["sampleProjects"]["results"] == [
        {"title": "Đề án", "custom": {"soCccd": "001099000002"}}
    ]
