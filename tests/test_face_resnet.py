"""The face descriptor on numpy's BLAS gives dlib's own numbers (attendance/resnet.py).

The reference is dlib's encoder itself (`face_recognition_model_v1.compute_face_descriptor`,
the library, not our code), on the same landmarks and chips: on every test photo, on every face
of the two-person photo, and on chips that are no face at all (noise, flat grey, the saturated
extremes), where a wrong padding, pooling or channel order would show first.
"""

from __future__ import annotations

from pathlib import Path

import dlib
import face_recognition
import face_recognition_models
import numpy as np
import pytest

from modules.attendance import faces
from modules.attendance.resnet import ModelFormatError, read_network
from tests.faces_data import FACES

PHOTOS = sorted(p.relative_to(FACES).as_posix() for p in FACES.rglob("*") if p.suffix in (".jpg", ".png"))
SAME = 1e-5  # dlib's descriptors are float32; the two sums differ only in order
TOLERANCE = 0.5  # modules/attendance/index.py DEFAULT_TOLERANCE


@pytest.fixture(scope="module")
def dlib_encoder() -> dlib.face_recognition_model_v1:
    return dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())


def dlib_faces(relative: str, encoder) -> list[tuple[np.ndarray, np.ndarray]]:
    """(dlib's descriptor, ours) for every face dlib finds in the photo, at full size."""
    pixels = face_recognition.load_image_file(FACES / relative)
    pairs = []
    for top, right, bottom, left in face_recognition.face_locations(pixels):
        shape = face_recognition.api.pose_predictor_5_point(pixels, dlib.rectangle(left, top, right, bottom))
        theirs = np.array(encoder.compute_face_descriptor(pixels, shape, 1), dtype=np.float32)
        ours = faces.encode(pixels, (top, right, bottom, left))
        pairs.append((theirs, ours))
    return pairs


def test_every_test_photo_has_photos_to_compare():
    assert len(PHOTOS) >= 7
    assert "multi/obama_biden.jpg" in PHOTOS


@pytest.mark.parametrize("relative", PHOTOS)
def test_each_face_gets_dlibs_descriptor(relative, dlib_encoder):
    pairs = dlib_faces(relative, dlib_encoder)
    assert pairs, f"dlib finds a face in {relative}"
    for theirs, ours in pairs:
        assert ours.shape == (128,) and ours.dtype == np.float32
        assert np.abs(theirs - ours).max() < SAME


def test_the_same_people_match_and_others_do_not_with_either_encoder(dlib_encoder):
    """At the app's tolerance both encoders decide every pair of photos alike."""
    vectors = {r: dlib_faces(r, dlib_encoder)[0] for r in PHOTOS if not r.startswith("multi/")}
    for a in vectors:
        for b in vectors:
            theirs = np.linalg.norm(vectors[a][0] - vectors[b][0]) <= TOLERANCE
            ours = np.linalg.norm(vectors[a][1] - vectors[b][1]) <= TOLERANCE
            assert theirs == ours, (a, b)
    assert np.linalg.norm(vectors["probe/obama_2.jpg"][1] - vectors["enroll/obama_1.jpg"][1]) <= TOLERANCE
    assert np.linalg.norm(vectors["unknown/collins.png"][1] - vectors["enroll/obama_1.jpg"][1]) > TOLERANCE


@pytest.mark.parametrize("kind", ["noise", "grey", "black", "white", "stripes"])
def test_chips_that_are_no_face_get_dlibs_numbers_too(kind, dlib_encoder):
    rng = np.random.default_rng(20261202)
    chip = {
        "noise": rng.integers(0, 256, (150, 150, 3), dtype=np.uint8),
        "grey": np.full((150, 150, 3), 128, np.uint8),
        "black": np.zeros((150, 150, 3), np.uint8),
        "white": np.full((150, 150, 3), 255, np.uint8),
        "stripes": np.repeat((np.arange(150) % 20 < 10).astype(np.uint8)[:, None, None] * 255, 150, 1).repeat(
            3, 2
        ),
    }[kind]
    chip = np.ascontiguousarray(chip)
    theirs = np.array(dlib_encoder.compute_face_descriptor(chip), dtype=np.float32)
    ours = faces.descriptor_network().descriptor(chip)
    assert np.abs(theirs - ours).max() < SAME


def test_a_chip_of_another_size_is_refused():
    with pytest.raises(ValueError, match="150x150"):
        faces.descriptor_network().descriptor(np.zeros((160, 160, 3), np.uint8))


@pytest.mark.parametrize("damage", ["empty", "truncated", "another_file", "changed_layer"])
def test_a_model_file_that_is_not_the_network_is_refused_by_name(damage):
    data = Path(face_recognition_models.face_recognition_model_location()).read_bytes()
    broken = {
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "another_file": Path(face_recognition_models.pose_predictor_five_point_model_location()).read_bytes(),
        "changed_layer": data.replace(b"relu_", b"relu?", 1),
    }[damage]
    with pytest.raises(ModelFormatError):
        read_network(broken)
