"""Faces in a photo: decode, detect, judge quality, encode (face_recognition on dlib-bin).

- The library is imported once, lazily, behind `library()`: if its models fail to load,
  face_recognition calls `quit()`, which would end a web worker; here that becomes a
  clear `FaceLibraryError`.
- Enrollment needs exactly one usable face. A check-in takes the largest face above the
  minimum size, so a badge or a small face far behind the person does not spoil it; but
  when another face is of similar size (`similar_faces`), nobody is picked: the kiosk
  answers SEVERAL_FACES ("step closer"), since either person could be the one checking in.
- Quality: a face smaller than MIN_FACE pixels, or a crop whose Laplacian variance is
  under BLUR_THRESHOLD (out of focus), is refused with the reason named.
- The pixel count is checked from the header before anything is decoded
  (`engine.images.open_image_safely`): a 74-byte PNG claiming 20000×20000 pixels is
  refused with TOO_MANY_PIXELS, as is any photo over `settings.MAX_IMAGE_PIXELS`.
- Frames are scaled to at most MAX_SIDE pixels (a JPEG is decoded straight at a reduced
  scale, `draft`); detection runs on a grey, half-size copy first (a face at a kiosk is
  large), then at full size, with one upsampling only when nothing was found. Encoding is
  dlib's ResNet on a 150-pixel chip, run on numpy's BLAS (resnet.py): the wheel has none.
- Each stage runs under the check-in's `StageTimer` (stages.py), for the Server-Timing
  header and bench/faces.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from modules.engine.images import ImageRefused, max_pixels, open_image_safely

from .resnet import CHIP_PADDING, CHIP_SIZE, ModelFormatError, Network, network
from .stages import NO_TIMER, StageTimer

MAX_BYTES = 5_000_000
MAX_SIDE = 640
MIN_FACE = 60  # pixels, the smaller side of the face box in the scaled frame
BLUR_THRESHOLD = 40.0  # variance of the Laplacian of the grey face crop
ACCEPTED_FORMATS = ("JPEG", "PNG")
# HOG boxes come in steps: dlib's pyramid scales by 5/6, so the same face reads 72, 86, 104,
# 124, 149, 179, 215 ... pixels wide (measured on the test photos), and two faces of one real
# size can land one step apart (area ratio 0.69); two steps is 0.48. A second face counts as
# "similar" from 60 % of the largest's area: one step apart is similar, two are not.
SIMILAR_AREA = 0.6
HOG_STEP = 6 / 5
SMALLEST_BOX = 72  # the smallest box HOG reports without upsampling (its 80-pixel window)


class FaceError(Exception):
    """A photo that cannot be used, with the reason (Vietnamese / English) and a code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class FaceLibraryError(RuntimeError):
    pass


NO_FACE = ("NO_FACE", "Không tìm thấy khuôn mặt trong ảnh. / No face in the photo.")
MANY_FACES = ("MANY_FACES", "Ảnh có nhiều hơn một khuôn mặt. / More than one face in the photo.")
SEVERAL_FACES = (
    "SEVERAL_FACES",
    "Có nhiều khuôn mặt, vui lòng đứng gần hơn. / Several faces, please step closer.",
)
TOO_SMALL = ("TOO_SMALL", "Khuôn mặt quá nhỏ, hãy chụp gần hơn. / The face is too small; come closer.")
BLURRED = ("BLURRED", "Ảnh bị mờ, hãy chụp lại. / The photo is blurred; take it again.")
BAD_IMAGE = ("BAD_IMAGE", "Chỉ nhận ảnh JPEG hoặc PNG. / Only JPEG or PNG images are accepted.")
TOO_LARGE = ("TOO_LARGE", "Ảnh quá lớn (tối đa 5 MB). / The image is too large (5 MB at most).")


@cache
def library() -> Any:
    """face_recognition, imported once; a failure is an error, never an exit of the process."""
    try:
        import face_recognition
    except (ImportError, SystemExit) as exc:  # the package quits when its models are missing
        raise FaceLibraryError(
            "Thư viện nhận diện khuôn mặt chưa sẵn sàng. / The face library is not available "
            "(install dlib-bin, face_recognition_models, then face_recognition --no-deps)."
        ) from exc
    return face_recognition


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # top, right, bottom, left in the scaled frame
    encoding: np.ndarray  # float32[128]

    @property
    def size(self) -> int:
        top, right, bottom, left = self.box
        return min(bottom - top, right - left)


def bounded_read(upload: Any) -> bytes:
    """At most one byte over MAX_BYTES: enough for `decode` to refuse it as TOO_LARGE without
    holding a huge upload in memory."""
    return upload.read(MAX_BYTES + 1)


def decode(data: bytes, timer: StageTimer = NO_TIMER) -> np.ndarray:
    """RGB pixels of a JPEG or PNG, upright (EXIF) and scaled to at most MAX_SIDE."""
    if len(data) > MAX_BYTES:
        raise FaceError(*TOO_LARGE)
    with timer.stage("decode"):
        try:
            image = open_image_safely(data, max_pixels(), ACCEPTED_FORMATS)  # refused before decoding
        except ImageRefused as exc:
            raise (
                FaceError(*BAD_IMAGE) if exc.code == "BAD_IMAGE" else FaceError(exc.code, exc.message)
            ) from exc
        try:
            if image.format == "JPEG":  # decode at a reduced scale: a 4,000-px photo costs little
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image = ImageOps.exif_transpose(image).convert("RGB")
        except (OSError, ValueError, Image.DecompressionBombError) as exc:  # a damaged body
            raise FaceError(*BAD_IMAGE) from exc
    with timer.stage("downscale"):
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        return np.asarray(image)


def sharpness(pixels: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Variance of the Laplacian over the face: low means out of focus."""
    top, right, bottom, left = box
    grey = pixels[max(top, 0) : bottom, max(left, 0) : right].astype(np.float32).mean(axis=2)
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    laplacian = grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * grey[1:-1, 1:-1]
    return float(laplacian.var())


def _side(box: tuple[int, int, int, int]) -> int:
    return min(box[2] - box[0], box[1] - box[3])


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[1] - box[3])


def locate(pixels: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Face boxes in the frame, found on its grey copy: first at half size (a kiosk face is large;
    HOG then costs a quarter), then at full size, then with one upsampling for small faces.

    The half-size pass sees faces of at least 2 × SMALLEST_BOX pixels. Its answer stands when a
    face one HOG step smaller than the largest it found would have been seen too; otherwise a
    second pass runs at the smallest scale that would see it, so a second face of similar size
    (`similar_faces`) is never missed by the shortcut."""
    height, width = pixels.shape[:2]
    # HOG on one grey channel: the same boxes on every test photo, a fifth to a third faster
    grey = np.asarray(Image.fromarray(pixels).convert("L"))
    if min(height, width) >= 2 * MIN_FACE * 2:
        boxes = _scan(grey, 0.5)
        if boxes:
            similar_from = max(_side(b) for b in boxes) / HOG_STEP * 0.95  # a similar face's least side
            if similar_from >= 2 * SMALLEST_BOX:
                return boxes
            return _scan(grey, min(SMALLEST_BOX / similar_from, 1.0)) or boxes
    return _scan(grey, 1.0) or _scan(grey, 1.0, upsample=1)


def _scan(grey: np.ndarray, scale: float, upsample: int = 0) -> list[tuple[int, int, int, int]]:
    """HOG boxes on the grey frame scaled by `scale` (half: every second pixel), in frame pixels."""
    height, width = grey.shape
    if scale == 0.5:
        image = np.ascontiguousarray(grey[::2, ::2])
    elif scale < 1.0:
        size = (round(width * scale), round(height * scale))
        image = np.asarray(Image.fromarray(grey).resize(size, Image.Resampling.BILINEAR))
    else:
        image, scale = grey, 1.0
    found = library().face_locations(image, number_of_times_to_upsample=upsample, model="hog")
    return [
        (
            min(round(top / scale), height),
            min(round(right / scale), width),
            min(round(bottom / scale), height),
            max(round(left / scale), 0),
        )
        for top, right, bottom, left in found
    ]


def similar_faces(boxes: list[tuple[int, int, int, int]]) -> bool:
    """True when a second face has at least SIMILAR_AREA of the largest face's area."""
    areas = sorted((_area(b) for b in boxes), reverse=True)
    return len(areas) > 1 and areas[1] >= SIMILAR_AREA * areas[0]


def encode(pixels: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """face_recognition's `face_encodings(..., num_jitters=1, model="small")`, with dlib's
    network run on numpy's BLAS (resnet.py): dlib's five landmarks and aligned chip, then the
    same 128 numbers, several times faster than the BLAS-less wheel."""
    api = library().api
    top, right, bottom, left = box
    landmarks = api.pose_predictor_5_point(pixels, api.dlib.rectangle(left, top, right, bottom))
    chip = api.dlib.get_face_chip(pixels, landmarks, size=CHIP_SIZE, padding=CHIP_PADDING)
    return descriptor_network().descriptor(chip)


def descriptor_network() -> Network:
    """dlib's face descriptor network from face_recognition_models' file, read once."""
    try:
        return network(library().api.face_recognition_models.face_recognition_model_location())
    except (OSError, ModelFormatError) as exc:
        raise FaceLibraryError(
            "Không đọc được mô hình nhận diện khuôn mặt. / The face model file cannot be read."
        ) from exc


def for_enrollment(data: bytes) -> Face:
    """The one face of an enrollment photo, or FaceError naming what is wrong with it."""
    pixels = decode(data)
    boxes = locate(pixels)
    usable = [b for b in boxes if _side(b) >= MIN_FACE]
    if not boxes:
        raise FaceError(*NO_FACE)
    if len(usable) > 1:
        raise FaceError(*MANY_FACES)
    if not usable:
        raise FaceError(*TOO_SMALL)
    box = usable[0]
    if sharpness(pixels, box) < BLUR_THRESHOLD:
        raise FaceError(*BLURRED)
    return Face(box=box, encoding=encode(pixels, box))


def for_check_in(data: bytes, timer: StageTimer = NO_TIMER) -> Face | None:
    """The largest face above the minimum size (the person at the kiosk), or None; FaceError
    SEVERAL_FACES when another face is of similar size (two people equally near the kiosk)."""
    pixels = decode(data, timer)
    with timer.stage("detect"):
        boxes = locate(pixels)
    usable = [b for b in boxes if _side(b) >= MIN_FACE]
    if not usable:
        return None
    if similar_faces(boxes):
        raise FaceError(*SEVERAL_FACES)
    box = max(usable, key=_area)
    with timer.stage("encode"):
        return Face(box=box, encoding=encode(pixels, box))
