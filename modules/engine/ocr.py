"""Text from scanned pages: Tesseract (Debian's `tesseract-ocr` with its Vietnamese data,
`tesseract-ocr-vie`) through pytesseract, a thin wrapper over the command.

Why pytesseract: it runs the Debian binary as a subprocess, so it needs nothing compiled
against Tesseract's C API (tesserocr does) and no Ghostscript (OCRmyPDF does, to rebuild
the PDF with a text layer, which we do not need: the text is stored in the record). A
PDF is rasterised page by page with pypdfium2 (already a dependency) at 300 dpi; an image
is opened with the engine's bomb-safe `open_image_safely`. Nothing here knows a domain.

When Debian's Vietnamese script model is installed too (`tesseract-ocr-script-viet`), each page
is read by both models and the readings merged word by word (`ocr_readings.merge`): the two slip
on different tone marks, and a syllable dictionary tells which reading is a word.

Tesseract runs with one OpenMP thread (`OMP_THREAD_LIMIT=1`, unless the environment says
otherwise): its threads spin while waiting, and with two cores shared by the server a page took
twice as long with them as without (a page read by both models, one thread each, took less than
one model with OpenMP's threads; measured alternating in one run, load 4.6-5.9).
"""

from __future__ import annotations

import os
from functools import cache

from PIL import Image

LANGUAGES = "vie"
SECOND_READING = "Vietnamese"  # the script model, tessdata/Vietnamese.traineddata
PDF_DPI = 300
MAX_PAGES = 20  # a registration scan is a few pages; more is someone's mistake


os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by the tesseract subprocesses


class OcrUnavailable(RuntimeError):
    """Tesseract or its Vietnamese data is not installed."""


def pages(data: bytes) -> list[Image.Image]:
    """The pages of a PDF or an image file, as greyscale images."""
    if data[:5] == b"%PDF-":
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            count = min(len(document), MAX_PAGES)
            return [document[i].render(scale=PDF_DPI / 72).to_pil().convert("L") for i in range(count)]
        finally:
            document.close()
    from .images import open_image_safely

    return [open_image_safely(data, formats=("JPEG", "PNG", "TIFF", "BMP", "WEBP")).convert("L")]


def recognise_image(image: Image.Image, languages: str = LANGUAGES) -> str:
    """The page's text; read twice and merged when the second model is here (module docstring)."""
    import pytesseract

    try:
        if languages != LANGUAGES or not _has_second_reading():
            return pytesseract.image_to_string(image, lang=languages, config="--psm 3")
        from .ocr_readings import merge

        first, second = (
            pytesseract.image_to_data(image, lang=lang, config="--psm 3", output_type=pytesseract.Output.DICT)
            for lang in (languages, SECOND_READING)
        )
        return merge(first, second)
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)") from exc


@cache
def _has_second_reading() -> bool:
    """Whether the script model is installed. Asked of `tesseract --list-langs` itself:
    `pytesseract.get_languages` keeps lower-case names only and never lists "Vietnamese"."""
    import subprocess

    import pytesseract

    try:
        listed = subprocess.run(
            [pytesseract.pytesseract.tesseract_cmd, "--list-langs"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):  # no tesseract: the first reading will say so
        return False
    return SECOND_READING in listed


def recognise(data: bytes, languages: str = LANGUAGES) -> str:
    """All the text of a scanned PDF or image, pages separated by a form feed."""
    return "\f".join(recognise_image(page, languages) for page in pages(data))


def available() -> bool:
    """Whether Tesseract runs here with the languages asked for."""
    try:
        import pytesseract

        return set(LANGUAGES.split("+")) <= set(pytesseract.get_languages(config=""))
    except Exception:  # not installed or not runnable: not available
        return False
