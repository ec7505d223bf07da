"""The face pipeline on real photos (../shared/faces/): enrollment quality rules, identification,
the unknown person, several faces (the two-face photo and photos composed side by side), the
stage timer, and the index against face_recognition's own distance."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter

from modules.attendance import faces
from modules.attendance.index import FaceIndex, LiveIndex
from modules.attendance.stages import StageTimer
from tests.faces_data import (
    BIDEN_NEAR_OBAMA_FAR,
    CLOSE_PAIR,
    FACES,
    OBAMA_NEAR_BIDEN_FAR,
    WHOLE_PAIR,
    side_by_side,
)

PEOPLE = {"biden": 1, "obama": 2}


def photo(relative: str) -> bytes:
    path = FACES / relative
    if not path.exists():
        pytest.fail(f"test photo missing: {path}")
    return path.read_bytes()


@pytest.fixture(scope="module")
def index() -> FaceIndex:
    owners, vectors = [], []
    for name, owner in PEOPLE.items():
        face = faces.for_enrollment(photo(f"enroll/{name}_1.jpg"))
        owners.append(owner)
        vectors.append(face.encoding)
    return FaceIndex(np.array(owners), np.stack(vectors))


@pytest.mark.parametrize("probe", ["biden_2.jpg", "obama_2.jpg", "obama_3.jpg"])
def test_every_probe_is_recognised_as_the_right_person(index, probe):
    face = faces.for_check_in(photo(f"probe/{probe}"))
    assert face is not None and face.encoding.dtype == np.float32 and face.encoding.shape == (128,)
    match = index.identify(face.encoding)
    assert match.owner == PEOPLE[probe.split("_")[0]], match
    assert match.distance < 0.5


def test_the_unknown_person_is_not_recognised_despite_the_badge(index):
    face = faces.for_check_in(photo("unknown/collins.png"))
    assert face is not None  # the largest face, not the badge's
    match = index.identify(face.encoding)
    assert match.owner is None and match.distance > 0.5


def test_the_two_face_photo_is_refused_for_enrollment_and_at_check_in(index):
    with pytest.raises(faces.FaceError) as caught:
        faces.for_enrollment(photo("multi/obama_biden.jpg"))
    assert caught.value.code == "MANY_FACES" and "nhiều hơn một khuôn mặt" in caught.value.message
    with pytest.raises(faces.FaceError) as caught:  # two people side by side: neither is picked
        faces.for_check_in(photo("multi/obama_biden.jpg"))
    assert caught.value.code == "SEVERAL_FACES"
    assert caught.value.message == (
        "Có nhiều khuôn mặt, vui lòng đứng gần hơn. / Several faces, please step closer."
    )


@pytest.mark.parametrize("pair", [CLOSE_PAIR, WHOLE_PAIR], ids=["close heads", "whole photos"])
def test_two_similar_faces_side_by_side_are_several_faces_not_a_guess(pair):
    with pytest.raises(faces.FaceError) as caught:
        faces.for_check_in(side_by_side(*pair))
    assert caught.value.code == "SEVERAL_FACES"


@pytest.mark.parametrize(
    ("composed", "who"), [(OBAMA_NEAR_BIDEN_FAR, "obama"), (BIDEN_NEAR_OBAMA_FAR, "biden")]
)
def test_one_large_face_and_a_small_one_behind_identifies_the_large_one(index, composed, who):
    face = faces.for_check_in(side_by_side(*composed))
    assert face is not None
    assert index.identify(face.encoding).owner == PEOPLE[who]


def test_similar_means_the_second_face_has_sixty_percent_of_the_largest_area():
    def square(side: int, left: int = 0) -> tuple[int, int, int, int]:
        return (0, left + side, side, left)  # top, right, bottom, left

    big = square(100)
    assert faces.similar_faces([big, square(78, 200)])  # 6,084 px² ≥ 60 % of 10,000
    assert not faces.similar_faces([big, square(77, 200)])  # 5,929 px² < 60 %
    assert faces.similar_faces([square(78, 200), big])  # whatever the order
    assert not faces.similar_faces([big]) and not faces.similar_faces([])
    assert faces.similar_faces([big, square(40, 150), square(90, 300)])  # a third face counts too


def test_each_stage_of_a_check_in_is_timed():
    timer = StageTimer()
    faces.for_check_in(photo("probe/obama_3.jpg"), timer)
    assert list(timer.ms) == ["decode", "downscale", "detect", "encode"]
    assert all(ms > 0 for ms in timer.ms.values())
    assert timer.server_timing().startswith("decode;dur=")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_enrollment_refuses_no_face_a_tiny_face_a_blur_and_other_formats():
    blank = Image.new("RGB", (640, 480), (200, 200, 200))
    with pytest.raises(faces.FaceError) as caught:
        faces.for_enrollment(_jpeg(blank))
    assert caught.value.code == "NO_FACE"
    original = Image.open(io.BytesIO(photo("enroll/obama_1.jpg"))).convert("RGB")
    tiny = Image.new("RGB", (640, 640), (200, 200, 200))
    tiny.paste(original.resize((110, int(110 * original.height / original.width))), (260, 260))
    with pytest.raises(faces.FaceError) as caught:
        faces.for_enrollment(_jpeg(tiny))
    assert caught.value.code in ("TOO_SMALL", "NO_FACE")
    blurred = original.copy()
    blurred.thumbnail((640, 640))
    blurred = blurred.filter(ImageFilter.GaussianBlur(6))
    with pytest.raises(faces.FaceError) as caught:
        faces.for_enrollment(_jpeg(blurred))
    assert caught.value.code in ("BLURRED", "NO_FACE")
    gif = io.BytesIO()
    original.save(gif, "GIF")
    with pytest.raises(faces.FaceError) as caught:
        faces.decode(gif.getvalue())
    assert caught.value.code == "BAD_IMAGE"
    with pytest.raises(faces.FaceError) as caught:
        faces.decode(b"\xff\xd8 not really a jpeg")
    assert caught.value.code == "BAD_IMAGE"


def test_the_index_agrees_with_the_librarys_distance_and_honours_allowed_people():
    rng = np.random.default_rng(7)
    vectors = rng.normal(0, 0.1, size=(500, 128)).astype(np.float32)
    owners = np.arange(500) // 2
    index = FaceIndex(owners, vectors)
    probe = vectors[123] + rng.normal(0, 0.01, 128).astype(np.float32)
    expected = faces.library().face_distance(vectors.astype(np.float64), probe.astype(np.float64))
    match = index.identify(probe, tolerance=10)
    assert match.owner == owners[int(np.argmin(expected))]
    assert abs(match.distance - float(expected.min())) < 1e-3
    elsewhere = index.identify(probe, tolerance=10, allowed={0, 1})
    assert elsewhere.owner in (0, 1)
    assert FaceIndex(np.array([]), np.zeros((0, 128))).identify(probe).owner is None


def test_the_live_index_reloads_when_the_generation_moves():
    state = {"generation": "a", "loads": 0, "owners": [1]}

    def load():
        state["loads"] += 1
        return np.array(state["owners"]), np.zeros((len(state["owners"]), 128), dtype=np.float32)

    live = LiveIndex(load, lambda: state["generation"])
    assert len(live.current()) == 1 and len(live.current()) == 1 and state["loads"] == 1
    state["owners"], state["generation"] = [], "b"  # someone's biometric data was deleted
    assert len(live.current()) == 0 and state["loads"] == 2
