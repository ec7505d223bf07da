"""Pixel bombs on every entry point that decodes an uploaded photo: HTTP check-in, GraphQL
`attendanceCheckIn` and `enrollFace` (multipart), the admin's enrollment form.

A 66-byte PNG whose header claims 20000×20000 pixels, and a real 12000×12000 PNG (17 KB),
must each be refused with a 4xx (or a typed GraphQL error) naming the reason in both
languages, write nothing, and leave the process's peak memory where it was: decoding the
12000×12000 one alone costs 137 MB, and 550 MB once turned into RGB.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from modules.attendance import faces
from modules.engine import registry
from modules.engine import services as engine
from modules.engine.images import ImageRefused, open_image_safely
from modules.engine.tokens import hash_token, new_token
from tests.bombs import MB, peak_memory_growth, png_blank, png_header_bomb
from tests.conftest import make_user
from tests.faces_data import FACES

pytestmark = pytest.mark.django_db

BOMBS = {"header-bomb": png_header_bomb(20_000, 20_000), "12000px": png_blank(12_000, 12_000)}
MEMORY_BUDGET = 40 * MB  # far under the 137 MB a decode of the smaller bomb would take
CONSENT = "Tôi đồng ý cho Bộ KH&CN xử lý dữ liệu khuôn mặt để chấm công (Nghị định 13/2023)."


def said_twice(message: str) -> bool:
    """The reason in Vietnamese, then in English."""
    return "Ảnh quá lớn" in message and "The image is too large" in message


@pytest.fixture
def kiosk(org):
    site = engine.create_record(
        registry.entity_by_label("attendance.Site"),
        org.admin,
        {"name": "Trụ sở", "units": [org.province_a.pk]},
    )
    row = engine.create_record(
        registry.entity_by_label("attendance.Kiosk"), org.admin, {"site": site.pk, "name": "Sảnh"}
    )
    raw = new_token()
    type(row).objects.filter(pk=row.pk).update(token_hash=hash_token(raw), token_prefix=raw[:12])
    return raw


@pytest.fixture
def keeper(org):
    return make_user("keeper", org.office, ("biometric_admin",))


def nothing_written() -> bool:
    return (
        not registry.model_for("attendance.CheckIn").objects.exists()
        and not registry.model_for("attendance.Enrollment").objects.exists()
    )


METER_CALIBRATION = """
import io, sys
from PIL import Image
from tests.bombs import peak_memory_growth, png_blank
Image.MAX_IMAGE_PIXELS = None  # Pillow's own guard off: what an unguarded decode costs
with Image.open(io.BytesIO(png_blank(12_000, 12_000))) as image:
    assert image.size == (12_000, 12_000)
    with peak_memory_growth() as growth:
        image.load()
print(growth[0])
"""


def test_the_files_are_what_they_claim_and_the_meter_sees_a_decode():
    """The meter is calibrated in a process of its own: in the test process another test's
    threads or freed pages may move the resident set while the block runs."""
    assert len(BOMBS["header-bomb"]) < 100 and len(BOMBS["12000px"]) < 40_000
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", METER_CALIBRATION],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    growth = int(done.stdout.split()[-1])
    assert growth > 100 * MB  # so a budget of 40 MB below does tell a decode from none


@pytest.mark.parametrize("name", BOMBS)
def test_the_engine_helper_refuses_before_decoding(name):
    with peak_memory_growth() as growth, pytest.raises(ImageRefused) as refused:
        open_image_safely(BOMBS[name], 24_000_000)
    assert refused.value.code == "TOO_MANY_PIXELS" and said_twice(refused.value.message)
    assert growth[0] < MEMORY_BUDGET
    # Just over the limit, under Pillow's own net (2×): the helper's check is the one that holds.
    with pytest.raises(ImageRefused) as refused:
        open_image_safely(png_header_bomb(5_000, 5_000), 24_000_000)
    assert "5000×5000" in refused.value.message
    photo = (FACES / "probe/obama_2.jpg").read_bytes()
    assert open_image_safely(photo, 24_000_000).format == "JPEG"  # a real photo still opens
    with pytest.raises(ImageRefused) as refused:
        open_image_safely(b"GIF89a not a photo")
    assert refused.value.code == "BAD_IMAGE"


@pytest.mark.parametrize("name", BOMBS)
def test_http_check_in_refuses_a_pixel_bomb_with_a_400_and_records_nothing(kiosk, name):
    with peak_memory_growth() as growth:
        response = Client().post(
            "/attendance/checkin",
            {"image": SimpleUploadedFile("frame.png", BOMBS[name], content_type="image/png")},
            HTTP_X_KIOSK_TOKEN=kiosk,
        )
    body = response.json()
    assert response.status_code == 400 and body["error"] == "TOO_MANY_PIXELS"
    assert said_twice(body["message"])
    assert growth[0] < MEMORY_BUDGET and nothing_written()


def test_http_check_in_judges_the_body_length_before_reading_it(kiosk):
    declared = Client().post(
        "/attendance/checkin",
        b"\0" * 1000,
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(500 * MB),
        HTTP_X_KIOSK_TOKEN=kiosk,
    )
    assert declared.status_code == 413 and declared.json()["error"] == "TOO_LARGE"
    unknown = Client().post(
        "/attendance/checkin",
        b"\0" * 1000,
        content_type="application/octet-stream",
        CONTENT_LENGTH="",
        HTTP_X_KIOSK_TOKEN=kiosk,
    )
    assert unknown.status_code == 411 and "Content-Length" in unknown.json()["message"]
    assert nothing_written()


def graphql_upload(query: str, variables: dict, files: dict[str, bytes], token: str = "") -> dict:
    mapping = {str(i): [f"variables.{path}"] for i, path in enumerate(files)}
    data = {"operations": json.dumps({"query": query, "variables": variables}), "map": json.dumps(mapping)}
    for i, content in enumerate(files.values()):
        data[str(i)] = SimpleUploadedFile(f"{i}.png", content, content_type="image/png")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = Client().post("/graphql/", data, **headers)
    assert response.status_code == 200
    return response.json()


CHECK_IN = """mutation($token: String!, $image: Upload!) {
  attendanceCheckIn(kioskToken: $token, image: $image) { recognised recorded error errorCode } }"""
ENROLL = """mutation($person: ID!, $photos: [Upload!]!, $consent: String!) {
  enrollFace(person: $person, photos: $photos, consentText: $consent) { ok errors { field code message } } }"""


@pytest.mark.parametrize("name", BOMBS)
def test_graphql_check_in_gives_a_typed_refusal(kiosk, name):
    with peak_memory_growth() as growth:
        answer = graphql_upload(CHECK_IN, {"token": kiosk, "image": None}, {"image": BOMBS[name]})
    assert "errors" not in answer
    result = answer["data"]["attendanceCheckIn"]
    assert result["errorCode"] == "TOO_MANY_PIXELS" and said_twice(result["error"])
    assert not result["recognised"] and not result["recorded"]
    assert growth[0] < MEMORY_BUDGET and nothing_written()


@pytest.mark.parametrize("name", BOMBS)
def test_graphql_enrollment_names_the_refused_photo(org, keeper, name):
    from modules.engine.models import ApiToken

    _, token = ApiToken.issue(keeper, "keeper")
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    good = (FACES / "enroll/obama_1.jpg").read_bytes()
    faces.for_enrollment(good)  # the face models load once per process (~120 MB): not under the meter
    with peak_memory_growth() as growth:
        answer = graphql_upload(
            ENROLL,
            {"person": str(person.pk), "photos": [None, None], "consent": CONSENT},
            {"photos.0": good, "photos.1": BOMBS[name]},
            token,
        )
    outcome = answer["data"]["enrollFace"]
    assert outcome["ok"] is False
    assert [(e["field"], e["code"]) for e in outcome["errors"]] == [("photos.1", "TOO_MANY_PIXELS")]
    assert said_twice(outcome["errors"][0]["message"])
    assert growth[0] < MEMORY_BUDGET and nothing_written()  # the good photo is not kept alone


@pytest.mark.parametrize("name", BOMBS)
def test_the_admin_enrollment_form_shows_the_reason_beside_the_photo(org, keeper, name):
    client = Client()
    client.force_login(keeper)
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    with peak_memory_growth() as growth:
        response = client.post(
            "/attendance/enroll/",
            {
                "person": person.pk,
                "photos": [SimpleUploadedFile("bomb.png", BOMBS[name], content_type="image/png")],
                "consent": CONSENT,
                "agreed": "yes",
            },
        )
    assert response.status_code == 400 and said_twice(response.content.decode())
    assert growth[0] < MEMORY_BUDGET and nothing_written()


def test_an_oversized_upload_is_never_read_whole(kiosk):
    class Endless(io.RawIOBase):
        """An upload that would never end: reading it all would hang or exhaust memory."""

        size = 10**12

        def read(self, n: int = -1) -> bytes:
            if n is None or n < 0:
                raise AssertionError("the whole upload was read")
            return b"\0" * n

    data = faces.bounded_read(Endless())
    assert len(data) == faces.MAX_BYTES + 1
    with pytest.raises(faces.FaceError) as refused:
        faces.decode(data)
    assert refused.value.code == "TOO_LARGE"
