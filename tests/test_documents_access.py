"""Who sees a document, tried by every route: a secret document (its own register, which no
role opens by right) and another unit's documents, through the GraphQL list, by id, the
search filter, a transition's answer, the admin list and its XLSX/CSV export, the file
download, and the live-event rule every subscription judges each event with.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from modules.engine import access, services
from modules.engine.errors import NotFound
from tests.documents_helpers import incoming_entity, register
from tests.graphql import run

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_SUBJECT = "Kế hoạch bảo vệ bí mật nhà nước năm 2027"
PROVINCE_SUBJECT = "Công văn về đề án đổi mới sáng tạo Hà Nội"


@pytest.fixture
def docs(org, legal_days):
    secret = register(
        org.office_clerk,
        secret=True,
        subject=SECRET_SUBJECT,
        number_symbol="07/KH-BCA",
        readers=[org.specialist.pk],
        scan=SimpleUploadedFile("mat.pdf", PDF, content_type="application/pdf"),
    )
    province = register(
        org.officer_a,
        subject=PROVINCE_SUBJECT,
        number_symbol="12/UBND-KGVX",
        scan=SimpleUploadedFile("hn.pdf", PDF, content_type="application/pdf"),
    )
    return org, secret, province


def gql_list(user, plural: str, search: str = "") -> list[str]:
    where = f'(filters: {{search: "{search}"}})' if search else ""
    answer = run(f"{{ {plural}{where} {{ results {{ subject }} }} }}", user=user)
    assert "errors" not in answer, answer
    return [r["subject"] for r in answer["data"][plural]["results"]]


def gql_one(user, single: str, pk: int):
    answer = run(f'{{ {single}(id: "{pk}") {{ subject }} }}', user=user)
    return (answer.get("data") or {}).get(single)


def admin_export(user, model: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.post(f"/admin/documents/{model}/export/", {"format": "1", "resource": "0"})
    return response.content.decode("utf-8-sig") if response.status_code == 200 else ""


def test_a_secret_document_is_closed_to_everyone_not_granted_by_every_route(docs):
    org, secret, _ = docs
    # the Office's other staff, the ministry leader (who sees every unit), another province
    outsiders = [org.leader, org.officer_b, org.head_a, make_office_colleague(org)]
    for user in outsiders:
        assert gql_list(user, "secretIncomingDocuments") == []
        assert gql_list(user, "secretIncomingDocuments", "bao ve bi mat") == []
        assert gql_one(user, "secretIncomingDocument", secret.pk) is None
        with pytest.raises(NotFound):
            services.fetch_for(incoming_entity(True), user, secret.pk, "view")
        assert SECRET_SUBJECT not in admin_export(user, "secretincomingdocument")
        client = Client()
        client.force_login(user)
        assert client.get(f"/admin/documents/secretincomingdocument/{secret.pk}/change/").status_code in (
            302,
            403,
            404,
        )
        assert client.get(secret.scan.url).status_code in (403, 404)
        assert not access.row_visible_from_snapshot(user, incoming_entity(True), services.snapshot(secret))
    # a role's transition right does not reach a secret row: the answer would carry it
    answer = run(
        f'mutation {{ secretIncomingDocumentPropose(id: "{secret.pk}", version: {secret.version}) '
        "{ ok node { subject } errors { code } } }",
        user=make_office_colleague(org, "office2"),
    )
    assert SECRET_SUBJECT not in str(answer)


def test_the_keeper_and_the_named_reader_see_the_secret_document(docs):
    org, secret, _ = docs
    for user in (org.office_clerk, org.specialist):
        assert gql_list(user, "secretIncomingDocuments", "bao ve bi mat") == [SECRET_SUBJECT]
        assert gql_one(user, "secretIncomingDocument", secret.pk) == {"subject": SECRET_SUBJECT}
        client = Client()
        client.force_login(user)
        assert client.get(secret.scan.url).status_code == 200
        assert access.row_visible_from_snapshot(user, incoming_entity(True), services.snapshot(secret))


def test_another_provinces_documents_are_closed_by_every_route(docs):
    org, _, province = docs
    user = org.officer_b
    assert PROVINCE_SUBJECT not in gql_list(user, "incomingDocuments")
    assert gql_list(user, "incomingDocuments", "doi moi sang tao") == []
    assert gql_one(user, "incomingDocument", province.pk) is None
    assert PROVINCE_SUBJECT not in admin_export(user, "incomingdocument")
    client = Client()
    client.force_login(user)
    assert client.get(province.scan.url).status_code in (403, 404)
    assert not access.row_visible_from_snapshot(user, incoming_entity(), services.snapshot(province))
    # while the province's own officer finds it by its words without diacritics
    assert gql_list(org.officer_a, "incomingDocuments", "DOI MOI sang tao") == [PROVINCE_SUBJECT]
    assert PROVINCE_SUBJECT in admin_export(org.officer_a, "incomingdocument")


def make_office_colleague(org, username: str = "office_colleague"):
    """A clerk of the Office (which sees every unit) who did not register the secret document."""
    from django.contrib.auth.models import User

    from tests.conftest import make_user

    existing = User.objects.filter(username=username).first()
    return existing or make_user(username, org.office, ("specialist",))
