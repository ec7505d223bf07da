"""Uploaded files are private (issue 11, point 1; file sizes of point 4): each test tries the attack.

The rules under test (modules/engine/files.py, file_views.py): a file is served only by
the engine's view, to a signed-in user who may see the record holding it; stored names are
unguessable; an upload's real kind (from its bytes) must be one the field accepts and its
size within the field's limit, on every write path; only PDFs and raster images are shown
inline, everything else is a download with `nosniff` and a sandboxing CSP; face photos are
read by the biometric role alone, each read audited; in production the web server sends
the bytes after Django's check.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import clear_url_caches
from PIL import Image

from modules.engine import registry, services
from modules.engine.errors import InvalidInput
from modules.engine.files import refusals
from modules.engine.models import ApiToken
from modules.engine.tokens import hash_token, new_token
from schema import fastpath
from tests.conftest import make_user
from tests.faces_data import FACES
from tests.test_admin import form_data, url

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>fetch('/graphql/')</script></body></html>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
    b"</script></svg>"
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def project(user: Any, attachment: Any = None, title: str = "Dự án có tệp") -> Any:
    values: dict[str, Any] = {"title": title, "priority": "normal"}
    if attachment is not None:
        values["attachment"] = attachment
    return services.create_record(registry.entity_by_label(PROJECT), user, values)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def report(org: Any) -> Any:
    return project(org.officer_a, SimpleUploadedFile("báo cáo quý.pdf", PDF, content_type="application/pdf"))


# --- who may read ---------------------------------------------------------------------------


def test_the_api_and_the_admin_give_the_checked_view_never_media(org, report):
    address = report.attachment.url
    assert address == f"/files/sample/sampleproject/{report.pk}/attachment/{quote('báo_cáo_quý.pdf')}"
    page = signed_in(org.officer_a).get(url(PROJECT, "change", report.pk))
    html = page.content.decode()
    assert address in html and "/media/" not in html


def test_owner_reads_inline_pdf_with_safe_headers_and_the_original_name(org, report):
    response = signed_in(org.officer_a).get(report.attachment.url)
    assert response.status_code == 200
    assert body_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''" + quote("báo_cáo_quý.pdf") in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


def test_anonymous_is_sent_to_log_in_and_gets_no_bytes(org, report):
    response = Client().get(report.attachment.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert PDF not in response.content


def test_officer_of_another_province_gets_404(org, report):
    response = signed_in(org.officer_b).get(report.attachment.url)
    assert response.status_code == 404
    assert PDF not in response.content
    # the ministry leader sees every unit's records, so the file too
    assert signed_in(org.leader).get(report.attachment.url).status_code == 200


def test_bearer_token_reads_like_its_owner_and_no_further(org, report):
    tokens = {}
    for user in (org.officer_a, org.officer_b):
        raw = new_token()
        ApiToken.objects.create(user=user, name="api", key_hash=hash_token(raw), prefix=raw[:12])
        tokens[user.username] = raw
    mine = Client().get(report.attachment.url, HTTP_AUTHORIZATION=f"Bearer {tokens['officer_a']}")
    assert mine.status_code == 200 and body_of(mine) == PDF
    theirs = Client().get(report.attachment.url, HTTP_AUTHORIZATION=f"Bearer {tokens['officer_b']}")
    assert theirs.status_code == 404


@pytest.mark.parametrize("debug", [True, False])
def test_the_old_media_path_serves_nothing_on_either_setting(org, report, debug):
    """config/urls.py once added static(MEDIA_URL) when DEBUG: rebuild the URL map under each setting."""
    import config.urls

    try:
        with override_settings(DEBUG=debug):
            importlib.reload(config.urls)
            clear_url_caches()
            for who in (Client(), signed_in(org.officer_a), signed_in(org.admin)):
                response = who.get(f"/media/{report.attachment.name}")
                assert response.status_code == 404
                assert PDF not in response.content
            assert signed_in(org.officer_a).get(report.attachment.url).status_code == 200
    finally:
        importlib.reload(config.urls)
        clear_url_caches()


def test_stored_names_are_unguessable_and_guesses_find_nothing(org, report, media):
    first = report.attachment.name
    second = project(org.officer_a, SimpleUploadedFile("báo cáo quý.pdf", PDF)).attachment.name
    pattern = r"sample/sampleproject/\d{4}/\d{2}/([A-Za-z0-9_-]{24})/báo_cáo_quý\.pdf"
    tokens = [re.fullmatch(pattern, name) for name in (first, second)]
    assert all(tokens), (first, second)
    assert tokens[0].group(1) != tokens[1].group(1)  # 144 random bits each, never reused
    client = signed_in(org.officer_a)
    base = f"/files/sample/sampleproject/{report.pk}/attachment/"
    for guess in ("bao_cao.pdf", "báo_cáo_quý.PDF", "x"):
        assert client.get(base + guess).status_code == 404
    for wrong in (
        f"/files/sample/sampleproject/{report.pk + 1000}/attachment/báo_cáo_quý.pdf",
        f"/files/sample/sampleproject/{report.pk}/title/báo_cáo_quý.pdf",
        f"/files/sample/historicalsampleproject/{report.pk}/attachment/báo_cáo_quý.pdf",
        f"/files/auth/user/{org.officer_a.pk}/password/x",
        "/files/nope/nope/1/attachment/báo_cáo_quý.pdf",
    ):
        assert client.get(wrong).status_code == 404, wrong


# --- what may be uploaded --------------------------------------------------------------------


def test_html_disguised_as_pdf_and_svg_with_script_are_refused_with_no_record(org, media):
    model = registry.model_for(PROJECT)
    for name, content, claimed in (
        ("bao-cao.pdf", HTML_AS_PDF, "application/pdf"),
        ("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("anh.png", SVG_WITH_SCRIPT, "image/png"),
        ("polyglot.pdf", b"<html><script>alert(1)</script></html>\n" + PDF, "application/pdf"),
        ("trang.txt", b"Xin chao <iframe src=//evil.example></iframe>", "text/plain"),
    ):
        with pytest.raises(InvalidInput) as refused:
            project(org.officer_a, SimpleUploadedFile(name, content, content_type=claimed), title=name)
        fields = {p.field for p in refused.value.problems}
        assert fields == {"attachment"}, refused.value.problems
        assert "File type not accepted" in refused.value.problems[0].message
        assert not model.objects.filter(title=name).exists()
    assert stored_files(media) == []


def test_child_row_files_are_judged_too(org):
    """Child rows (a dossier's scanned documents) are checked by the same full_clean the API runs."""
    from django.core.exceptions import ValidationError

    component = registry.model_for("onestop.Dossier").components.rel.related_model
    row = component(name="CCCD", scan=SimpleUploadedFile("cccd.pdf", HTML_AS_PDF), position=0)
    with pytest.raises(ValidationError) as refused:
        row.full_clean(exclude=["parent"])
    assert list(refused.value.message_dict) == ["scan"]
    component(name="CCCD", scan=SimpleUploadedFile("cccd.pdf", PDF), position=0).full_clean(
        exclude=["parent"]
    )


def test_accepted_kinds_are_judged_from_the_bytes(org):
    for name, content in (("a.pdf", PDF), ("b.png", png()), ("c.docx", docx()), ("d.csv", b"a,b\n1,2\n")):
        row = project(org.officer_a, SimpleUploadedFile(name, content, content_type="text/html"), title=name)
        assert row.attachment.name.endswith(name)
    # a PNG named .pdf is still a PNG: accepted (an image), and served as what it is
    row = project(org.officer_a, SimpleUploadedFile("scan.pdf", png()), title="png")
    response = signed_in(org.officer_a).get(row.attachment.url)
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]
    # a field that declares PDF and images only (a one-stop scan) refuses an office document
    scan = registry.model_for("onestop.Dossier").components.rel.related_model._meta.get_field("scan")
    assert scan.accept == ("pdf", "images")
    assert refusals(ContentFile(docx(), name="x.pdf"), scan.accept, scan.max_size)
    assert not refusals(ContentFile(PDF, name="x.pdf"), scan.accept, scan.max_size)


def test_a_stored_svg_or_html_is_only_ever_a_sandboxed_download(org, report, media):
    """A file that got in before the checks (or by hand) must still not run on our origin."""
    client = signed_in(org.officer_a)
    model = registry.model_for(PROJECT)
    for name, content in (("logo.svg", SVG_WITH_SCRIPT), ("trang.html", HTML_AS_PDF), ("d.docx", docx())):
        stored = f"sample/legacy/{name}"
        (media / "sample" / "legacy").mkdir(parents=True, exist_ok=True)
        (media / stored).write_bytes(content)
        model.objects.filter(pk=report.pk).update(attachment=stored)
        response = client.get(f"/files/sample/sampleproject/{report.pk}/attachment/{name}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]
        if name != "d.docx":
            assert response["Content-Type"] == "application/octet-stream"


def test_oversized_file_is_refused_before_reading_with_no_record(org, media, settings):
    settings.FILES_MAX_SIZE = 1024
    model = registry.model_for(PROJECT)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(InvalidInput) as refused:
        project(org.officer_a, big, title="Quá lớn")
    assert [(p.field, "too large" in p.message) for p in refused.value.problems] == [("attachment", True)]
    assert not model.objects.filter(title="Quá lớn").exists() and stored_files(media) == []

    class Unreadable(io.BytesIO):
        size = 10**12

        def read(self, *args: Any) -> bytes:
            raise AssertionError("the size alone must refuse it")

    assert "too large" in refusals(Unreadable(), (), None)[0].message
    # a declared limit wins over the default: the face photo column says 5 MB
    photo = registry.model_for("attendance.Enrollment").encodings.rel.related_model._meta.get_field("photo")
    assert photo.max_size == 5_000_000 and photo.accept == ("images",)
    assert (
        "5 MB"
        in refusals(ContentFile(b"x" * 5_000_001, name="f.jpg"), photo.accept, photo.max_size)[0].message
    )


def test_graphql_upload_refusal_is_a_field_error_and_writes_nothing(org, media):
    mutation = (
        'mutation($file: Upload) { createSampleProject(input: {title: "GQL", priority: NORMAL, '
        "attachment: $file}) { ok errors { field code message } node { id } } }"
    )
    client = signed_in(org.officer_a)

    def send(name: str, content: bytes) -> dict[str, Any]:
        response = client.post(
            "/graphql/",
            {
                "operations": json.dumps({"query": mutation, "variables": {"file": None}}),
                "map": json.dumps({"0": ["variables.file"]}),
                "0": SimpleUploadedFile(name, content, content_type="application/pdf"),
            },
        )
        assert response.status_code == 200, response.content
        return response.json()["data"]["createSampleProject"]

    refused = send("bao-cao.pdf", HTML_AS_PDF)
    assert refused["ok"] is False and refused["node"] is None
    assert [e["field"] for e in refused["errors"]] == ["attachment"]
    assert not registry.model_for(PROJECT).objects.filter(title="GQL").exists()
    assert stored_files(media) == []
    accepted = send("bao-cao.pdf", PDF)
    assert accepted["ok"] is True


def test_admin_form_refusal_is_a_field_error_and_writes_nothing(org, media):
    client = signed_in(org.officer_a)
    data = form_data(client.get(url(PROJECT, "add")), title="Qua quản trị", priority="normal")
    data["attachment"] = SimpleUploadedFile("bao-cao.pdf", HTML_AS_PDF, content_type="application/pdf")
    response = client.post(url(PROJECT, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "File type not accepted" in " ".join(errors["attachment"])
    assert not registry.model_for(PROJECT).objects.filter(title="Qua quản trị").exists()
    assert stored_files(media) == []


def test_report_value_upload_is_checked_on_the_module_path(org, legal_days, media):
    """Reporting writes its value rows itself (submissions.save_values): the same checks apply."""
    from modules.reporting import submissions
    from tests.reporting_helpers import INDICATORS, make_form, make_regime, open_period, submission_of

    regime = make_regime(org.admin, org.office)
    proof = {"section": "IV. Khác", "code": "PROOF", "label_vi": "Minh chứng", "kind": "file"}
    make_form(org.admin, regime, (*INDICATORS, proof))
    sheet = submission_of(open_period(org.admin, regime), org.province_a)
    with pytest.raises(InvalidInput) as refused:
        submissions.save_values(
            org.officer_a,
            sheet.pk,
            sheet.version,
            [submissions.Entry("PROOF", attachment=SimpleUploadedFile("x.pdf", HTML_AS_PDF))],
        )
    assert [p.field for p in refused.value.problems] == ["values.PROOF"]
    assert not sheet.values.filter(code="PROOF").exists() and stored_files(media) == []
    upload = SimpleUploadedFile("minh chứng.pdf", PDF)
    saved = submissions.save_values(
        org.officer_a, sheet.pk, sheet.version, [submissions.Entry("PROOF", attachment=upload)]
    )
    row = saved.values.get(code="PROOF")
    assert signed_in(org.officer_a).get(row.attachment.url).status_code == 200
    assert signed_in(org.officer_b).get(row.attachment.url).status_code == 404
    # the review page and the API name the file and link the checked address
    from modules.reporting import api

    entry = next(e for e in api.sheet(org.officer_a, sheet.pk).entries if e.indicator.code == "PROOF")
    assert (entry.file, entry.file_url) == ("minh_chứng.pdf", row.attachment.url)


# --- production: the web server sends the bytes, after the check ------------------------------


@override_settings(FILES_SENDFILE="x-accel", FILES_ACCEL_PREFIX="/protected-media/")
def test_x_accel_redirect_only_after_the_check(org, report):
    allowed = signed_in(org.officer_a).get(report.attachment.url)
    assert allowed.status_code == 200
    assert allowed["X-Accel-Redirect"] == quote(f"/protected-media/{report.attachment.name}")
    assert allowed.content == b"" and allowed["X-Content-Type-Options"] == "nosniff"
    assert allowed["Content-Disposition"].startswith("inline;")
    for refused in (signed_in(org.officer_b).get(report.attachment.url), Client().get(report.attachment.url)):
        assert refused.status_code in (302, 404)
        assert not refused.has_header("X-Accel-Redirect")


@override_settings(FILES_SENDFILE="x-sendfile")
def test_x_sendfile_only_after_the_check(org, report):
    allowed = signed_in(org.officer_a).get(report.attachment.url)
    assert allowed["X-Sendfile"] == report.attachment.path and allowed.content == b""
    refused = signed_in(org.officer_b).get(report.attachment.url)
    assert refused.status_code == 404 and not refused.has_header("X-Sendfile")


# --- GraphQL gives the view's address, on both paths --------------------------------------------


def test_graphql_file_field_is_the_view_url_on_stock_and_fast_paths(org, report):
    client = signed_in(org.officer_a)
    query = f'{{ sampleProject(id: "{report.pk}") {{ title attachment {{ name url size }} }} }}'
    listing = "{ sampleProjects { results { id attachment { url } } } }"
    for text in (query, listing):
        fast = client.post("/graphql/", json.dumps({"query": text}), content_type="application/json")
        with fastpath.disabled():
            stock = client.post("/graphql/", json.dumps({"query": text}), content_type="application/json")
        assert fast.content == stock.content
    data = json.loads(fast.content)["data"]
    assert data["sampleProjects"]["results"][0]["attachment"]["url"] == report.attachment.url
    one = json.loads(
        client.post("/graphql/", json.dumps({"query": query}), content_type="application/json").content
    )["data"]["sampleProject"]["attachment"]
    assert one == {"name": "báo_cáo_quý.pdf", "url": report.attachment.url, "size": len(PDF)}
    assert "/media/" not in fast.content.decode()


# --- biometric photos -------------------------------------------------------------------------


def test_face_photos_biometric_role_only_every_read_audited(org, legal_days, media):
    from modules.attendance import services as attendance

    keeper = make_user("keeper", org.office, ("biometric_admin",))
    platform_admin = make_user("platform", org.office, ("platform_admin",))
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    face = (FACES / "enroll/obama_1.jpg").read_bytes()
    enrollment = attendance.enroll(keeper, person.pk, [face], "Đồng ý / I agree", keep_photos=True)
    row = enrollment.encodings.get()
    assert re.fullmatch(r"attendance/enrollment/\d{4}/\d{2}/[A-Za-z0-9_-]{24}/[^/]+\.jpg", row.photo.name)
    address = row.photo.url
    assert address.startswith(f"/files/attendance/enrollmentencodings/{row.pk}/photo/")
    audit = registry.model_for("attendance.BiometricAudit").objects.filter(via="file")
    for outsider in (org.head_a, org.leader, platform_admin, org.officer_a):
        assert signed_in(outsider).get(address).status_code == 404, outsider
    assert Client().get(address).status_code == 302
    assert audit.count() == 0
    client = signed_in(keeper)
    for reads in (1, 2):
        response = client.get(address)
        assert response.status_code == 200 and body_of(response) == face
        assert audit.count() == reads
    entry = audit.latest("id")
    assert (entry.actor, entry.person_id, entry.action) == (keeper, person.pk, "view")


def test_encodings_only_consent_keeps_no_photo_and_re_enrolling_forgets_the_old(
    org, legal_days, media, django_capture_on_commit_callbacks
):
    from modules.attendance import services as attendance

    keeper = make_user("keeper", org.office, ("biometric_admin",))
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    face = (FACES / "enroll/obama_1.jpg").read_bytes()
    enrollment = attendance.enroll(keeper, person.pk, [face], "Chỉ mã hoá / Encodings only")
    assert enrollment.keep_photos is False
    assert [bool(r.photo) for r in enrollment.encodings.all()] == [False]
    assert stored_files(media) == []
    kept = attendance.enroll(keeper, person.pk, [face], "Đồng ý / I agree", keep_photos=True)
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        attendance.enroll(keeper, person.pk, [face], "Chỉ mã hoá / Encodings only")
    assert stored_files(media) == [], "the earlier photo must not stay on disk"
    assert not type(kept).objects.filter(pk=kept.pk).exists()
