"""Faces in a photo: decode, detect, judge quality, encode (face_recognition on dlib-bin).

- The library is imported once, lazily, behind `library()`: if its models fail to load,
  face_recognition calls `quit()`, which would end a web worker; here that becomes a
  clear `FaceLibraryError`.
- Enrollment needs exactly one usable face; a check-in takes the largest face above the
  minimum size, so a badge or a poster behind the person does not spoil it.
- Quality: a face smaller than MIN_FACE pixels, or a crop whose Laplacian variance is
  under BLUR_THRESHOLD (out of focus), is refused with the reason named.
- The pixel count is checked from the header before anything is decoded
  (`engine.images.open_image_safely`): a 74-byte PNG claiming 20000×20000 pixels is
  refused with TOO_MANY_PIXELS, as is any photo over `settings.MAX_IMAGE_PIXELS`.
- Frames are scaled to at most MAX_SIDE pixels; detection runs on a half-size copy first
  (a face at a kiosk is large), then at full size, with one upsampling only when
  nothing was found. Encoding (about 80 ms) is then most of a check-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from modules.engine.images import ImageRefused, max_pixels, open_image_safely

MAX_BYTES = 5_000_000
MAX_SIDE = 640
MIN_FACE = 60  # pixels, the smaller side of the face box in the scaled frame
BLUR_THRESHOLD = 40.0  # variance of the Laplacian of the grey face crop
ACCEPTED_FORMATS = ("JPEG", "PNG")


class FaceError(Exception):
    """A photo that cannot be used, with the reason (Vietnamese / English) and a code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class FaceLibraryError(RuntimeError):
    pass


NO_FACE = ("NO_FACE", "Không tìm thấy khuôn mặt trong ảnh. / No face in the photo.")
MANY_FACES = ("MANY_FACES", "Ảnh có nhiều hơn một khuôn mặt. / More than one face in the photo.")
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


def decode(data: bytes) -> np.ndarray:
    """RGB pixels of a JPEG or PNG, upright (EXIF) and scaled to at most MAX_SIDE."""
    if len(data) > MAX_BYTES:
        raise FaceError(*TOO_LARGE)
    try:
        image = open_image_safely(data, max_pixels(), ACCEPTED_FORMATS)  # refused before decoding
    except ImageRefused as exc:
        raise (
            FaceError(*BAD_IMAGE) if exc.code == "BAD_IMAGE" else FaceError(exc.code, exc.message)
        ) from exc
    try:
        if image.format == "JPEG":
            image.draft(
                "RGB", (MAX_SIDE, MAX_SIDE)
            )  # decode at a reduced scale: a 4,000-px photo costs little
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:  # a damaged body
        raise FaceError(*BAD_IMAGE) from exc
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


def locate(pixels: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Face boxes in the frame: first on a half-size copy (a kiosk face is large; HOG then costs
    a quarter), then at full size, then with one upsampling for small faces."""
    fr = library()
    height, width = pixels.shape[:2]
    if min(height, width) >= 2 * MIN_FACE * 2:
        half = np.ascontiguousarray(pixels[::2, ::2])
        boxes = fr.face_locations(half, number_of_times_to_upsample=0, model="hog")
        if boxes:
            return [
                (min(top * 2, height), min(right * 2, width), min(bottom * 2, height), max(left * 2, 0))
                for top, right, bottom, left in boxes
            ]
    boxes = fr.face_locations(pixels, number_of_times_to_upsample=0, model="hog")
    if not boxes:
        boxes = fr.face_locations(pixels, number_of_times_to_upsample=1, model="hog")
    return [tuple(int(v) for v in box) for box in boxes]


def encode(pixels: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    vector = library().face_encodings(pixels, known_face_locations=[box], num_jitters=1, model="small")[0]
    return np.asarray(vector, dtype=np.float32)


def for_enrollment(data: bytes) -> Face:
    """The one face of an enrollment photo, or FaceError naming what is wrong with it."""
    pixels = decode(data)
    boxes = locate(pixels)
    usable = [b for b in boxes if min(b[2] - b[0], b[1] - b[3]) >= MIN_FACE]
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


def for_check_in(data: bytes) -> Face | None:
    """The largest face above the minimum size (the person at the kiosk), or None."""
    pixels = decode(data)
    usable = [b for b in locate(pixels) if min(b[2] - b[0], b[1] - b[3]) >= MIN_FACE]
    if not usable:
        return None
    box = max(usable, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))
    return Face(box=box, encoding=encode(pixels, box))
