"""Secret S&T tasks (domain.md §7.13): no role opens one by right, only object grants (its
keeper, the assigned organisation, the readers the keeper names), tried by every route like the
documents module's secret register: the GraphQL list, its search, by id, a transition's answer,
the admin list, page and export, the register's XLSX and PDF, the file, and the rule every live
subscription judges each event with. And the §7.13 conditions for filing one."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from modules.engine import access, services
from modules.engine.errors import NotFound, TransitionRefused
from tests.conftest import make_user
from tests.graphql import run
from tests.stm_helpers import PDF_BYTES, E, add_pi, applicant, attach, fire, register_org

pytestmark = pytest.mark.django_db
TITLE = "Nghiên cứu vật liệu che chắn cho công trình đặc biệt"
SEARCH = "vat lieu che chan"
PERIOD = "?from=2025-01-01&to=2028-12-31"  # the task is recorded today


@pytest.fixture
def secret(org, legal_days):
    user = applicant("vien")
    host = register_org(user, "Viện Kỹ thuật Đặc biệt")
    pi = add_pi(user, host, "Phạm Văn Quốc")
    task = services.create_record(
        E("SecretTask"),
        org.officer_a,
        {
            "title": TITLE,
            "task_type": "tech",
            "science_field": "102",
            "organisation": host.pk,
            "investigator": pi.pk,
            "readers": [org.head_a.pk],
            "commitment_b17": SimpleUploadedFile("b17.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    return user, task


def titles(user, search: str = "") -> list[str]:
    where = f'(filters: {{search: "{search}"}})' if search else ""
    answer = run(f"{{ secretTasks{where} {{ results {{ title }} }} }}", user=user)
    assert "errors" not in answer, answer
    return [r["title"] for r in answer["data"]["secretTasks"]["results"]]


def by_id(user, pk: int):
    answer = run(f'{{ secretTask(id: "{pk}") {{ title }} }}', user=user)
    return (answer.get("data") or {}).get("secretTask")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register_text(user, fmt: str) -> str:
    response = client_for(user).get(f"/stm/secret-tasks/register.{fmt}{PERIOD}")
    assert response.status_code == 200
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def admin_export(user) -> str:
    response = client_for(user).post("/admin/stm/secrettask/export/", {"format": "1", "resource": "0"})
    return response.content.decode("utf-8-sig") if response.status_code == 200 else ""


def test_a_secret_task_is_closed_to_everyone_not_granted_by_every_route(org, secret):
    _, task = secret
    outsiders = [
        org.leader,  # sees every unit
        org.office_clerk,  # the Office sees every unit
        org.officer_b,  # another province
        make_user("officer_a2", org.province_a, ("provincial_officer",)),  # the keeper's colleague
        applicant("stranger"),  # another applicant
    ]
    for user in outsiders:
        assert titles(user) == [] and titles(user, SEARCH) == []
        assert by_id(user, task.pk) is None
        with pytest.raises(NotFound):
            services.fetch_for(E("SecretTask"), user, task.pk, "view")
        assert TITLE not in admin_export(user)
        assert client_for(user).get(f"/admin/stm/secrettask/{task.pk}/change/").status_code in (302, 403, 404)
        assert TITLE not in register_text(user, "xlsx")
        assert TITLE not in register_text(user, "pdf")
        assert client_for(user).get(task.commitment_b17.url).status_code in (403, 404)
        assert not access.row_visible_from_snapshot(user, E("SecretTask"), services.snapshot(task))
    # a transition's answer would carry the record: a role may fire no step of a secret task
    answer = run(
        f'mutation {{ secretTaskFile(id: "{task.pk}", version: {task.version}) '
        "{ ok node { title } errors { code } } }",
        user=outsiders[3],
    )
    assert TITLE not in str(answer)


def test_the_keeper_the_reader_and_the_assigned_organisation_see_it(org, secret):
    user, task = secret
    for insider in (org.officer_a, org.head_a, user):
        assert titles(insider, SEARCH) == [TITLE]
        assert by_id(insider, task.pk) == {"title": TITLE}
        assert client_for(insider).get(task.commitment_b17.url).status_code == 200
        assert TITLE in register_text(insider, "xlsx")
        assert access.row_visible_from_snapshot(insider, E("SecretTask"), services.snapshot(task))


def test_filing_needs_the_three_commitments_and_a_vietnamese_only_investigator(org, secret):
    user, task = secret
    with pytest.raises(TransitionRefused) as refused:
        fire(user, task, "SecretTask", "file")
    assert "B1-8, B1-9" in str(refused.value) and "quốc tịch Việt Nam" in str(refused.value)
    attach(user, task, "commitment_b18", "SecretTask")
    attach(user, task, "commitment_b19", "SecretTask")
    with pytest.raises(TransitionRefused) as refused:
        fire(user, task, "SecretTask", "file")
    assert "B1-" not in str(refused.value) and "Vietnamese nationality only" in str(refused.value)
    task.refresh_from_db()
    services.update_record(
        E("SecretTask"), user, task.pk, {"investigator_vietnamese_only": True}, task.version
    )
    filed = fire(user, task, "SecretTask", "file")
    assert filed.state == "filed" and filed.filed_at is not None


def test_the_organisation_cannot_approve_its_own_task(org, secret):
    from modules.engine.errors import PermissionDenied

    user, task = secret
    with pytest.raises(PermissionDenied):
        services.fire_transition(E("SecretTask"), user, task.pk, "approve", task.version)
