"""Uploaded images opened without trusting their header: the pixel limit comes before decoding.

Pillow reads only the header in `Image.open`; the pixels are decoded by `load()` (or
anything that needs them). A 74-byte PNG may claim 20000×20000 pixels and a 12000×12000
PNG of one colour compresses to a few KB, yet either costs gigabytes once decoded. So
`open_image_safely` checks `image.size` right after opening and refuses before any
decoding. `Image.MAX_IMAGE_PIXELS` is set to the same limit as a second net for code
that opens images another way, but Pillow only raises at twice it, hence the check here.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from .errors import EngineError

DEFAULT_MAX_PIXELS = 24_000_000  # a 6000×4000 camera photo


def max_pixels() -> int:
    return int(getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))


def apply_pillow_limit() -> None:
    """Pillow's own guard, for every image opened in this process (warns above, raises at 2×)."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


class ImageRefused(EngineError):
    """An upload that is not an image we accept, or one too big to decode; `code` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.problems[0] = type(self.problems[0])(None, code, message)


def too_many_pixels(size: tuple[int, int] | None, limit: int) -> ImageRefused:
    vi = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    en = f" ({size[0]}×{size[1]} pixels)" if size else ""
    return ImageRefused(
        "TOO_MANY_PIXELS",
        f"Ảnh quá lớn{vi}, tối đa {limit / 1e6:g} triệu điểm ảnh. / "
        f"The image is too large{en}; {limit / 1e6:g} megapixels at most.",
    )


def not_an_image(formats: Iterable[str]) -> ImageRefused:
    names = ", ".join(formats)
    return ImageRefused(
        "BAD_IMAGE",
        f"Tệp không phải ảnh hợp lệ (chấp nhận: {names}). / Not a valid image (accepted: {names}).",
    )


def open_image_safely(
    data: bytes, max_pixels_: int | None = None, formats: tuple[str, ...] = ("JPEG", "PNG")
) -> Image.Image:
    """The image, opened but not decoded, once its header's size is under the pixel limit.

    Raises `ImageRefused` (`BAD_IMAGE` or `TOO_MANY_PIXELS`); never a Pillow exception.
    No warning filter is touched here: they are process-wide, and requests run in threads.
    """
    limit = max_pixels_ or max_pixels()
    try:
        image = Image.open(io.BytesIO(data), formats=list(formats))
    except Image.DecompressionBombError:  # Pillow's own net (2× its limit) caught it first
        raise too_many_pixels(None, limit) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error) as exc:
        raise not_an_image(formats) from exc
    width, height = image.size
    if width <= 0 or height <= 0:
        image.close()
        raise not_an_image(formats)
    if width * height > limit:
        image.close()
        raise too_many_pixels((width, height), limit)
    return image
