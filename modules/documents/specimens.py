"""Specimen documents in the Decree 30/2020 layout (Phụ lục I), rendered to PDF and scanned.

For the demo's scanned samples, the OCR tests and `bench/documents.py`: a PDF drawn with
reportlab (DejaVu Serif: Debian's Times-like fonts lack Vietnamese letters), rasterised
by pypdfium2 at a given dpi, then optionally turned a little and speckled like a real scan.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from PIL import Image, ImageFilter

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _fonts() -> tuple[str, str, str]:
    """DejaVu Serif (Debian's fonts-dejavu-core has every Vietnamese letter), from the engine."""
    from modules.engine.pdffonts import serif_fonts

    return serif_fonts()


def render_pdf(spec: dict[str, Any]) -> bytes:
    """One A4 page: header in two columns, title, subject, body, signature, recipients."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, bold, italic = _fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    # Phụ lục I: the agency in the left column, the motto in the right, never touching
    left_x, right_x = 55 * mm, 143 * mm  # centres of the two header columns
    y = height - 20 * mm
    for index, line in enumerate(spec["agency"]):
        face = bold if index == len(spec["agency"]) - 1 or len(spec["agency"]) == 1 else regular
        page.setFont(face, _fit(line, face, 12, 70 * mm))
        page.drawCentredString(left_x, y - index * 5 * mm, line)
    page.setFont(bold, _fit(MOTTO[0], bold, 12, 98 * mm))
    page.drawCentredString(right_x, y, MOTTO[0])
    page.setFont(bold, 12)
    page.drawCentredString(right_x, y - 5 * mm, MOTTO[1])
    y -= max(len(spec["agency"]), 2) * 5 * mm + 6 * mm
    page.setFont(regular, 13)
    page.drawCentredString(left_x, y, f"Số: {spec['number_symbol']}")
    date: dt.date = spec["date"]
    page.setFont(italic, 13)
    page.drawCentredString(
        right_x, y, f"{spec['place']}, ngày {date.day:02d} tháng {date.month:02d} năm {date.year}"
    )
    y -= 6 * mm
    if not spec["type_title"]:  # a Công văn: "V/v ..." under the number, no title
        page.setFont(regular, 12)
        for line in _wrap(spec["subject"], 48):
            page.drawCentredString(left_x, y, line)
            y -= 5 * mm
        y -= 8 * mm
    else:
        y -= 10 * mm
        page.setFont(bold, 14)
        page.drawCentredString(width / 2, y, spec["type_title"])
        y -= 6 * mm
        page.setFont(bold, 14)
        for line in _wrap(spec["subject"], 70):
            page.drawCentredString(width / 2, y, line)
            y -= 6 * mm
        y -= 8 * mm
    page.setFont(regular, 13)
    for line in _wrap(spec["body"], 85):
        page.drawString(30 * mm, y, line)
        y -= 6 * mm
    y -= 10 * mm
    sign_y = y
    page.setFont(bold, 13)
    for line in spec["signer_title"]:
        page.drawCentredString(right_x, y, line)
        y -= 6 * mm
    y -= 20 * mm
    page.drawCentredString(right_x, y, spec["signer"])
    page.setFont(italic, 12)
    page.drawString(30 * mm, sign_y, "Nơi nhận:")
    page.setFont(regular, 11)
    for index, line in enumerate(("- Như trên;", "- Lưu: VT.")):
        page.drawString(30 * mm, sign_y - (index + 1) * 5 * mm, line)
    page.showPage()
    page.save()
    return out.getvalue()


def _fit(text: str, face: str, size: float, room: float) -> float:
    """The largest size up to `size` at which `text` fits in `room` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 7 and stringWidth(text, face, size) > room:
        size -= 0.5
    return size


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def scan(pdf: bytes, dpi: int = 200, rotate: float = 0.0, noise: float = 0.0, seed: int = 0) -> Image.Image:
    """The page as a greyscale scan: `rotate` degrees, `noise` the share of speckled pixels."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    if rotate:
        image = image.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        rng = random.Random(seed)
        pixels = image.load()
        w, h = image.size
        for _ in range(int(w * h * noise)):
            pixels[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 90, 160))
        image = image.filter(ImageFilter.MedianFilter(1))
    image.info["dpi"] = (dpi, dpi)
    return image


def scan_pdf(image: Image.Image) -> bytes:
    """A scanned page as the single-image PDF a scanner hands over."""
    out = io.BytesIO()
    dpi = image.info.get("dpi", (200, 200))[0]
    image.save(out, format="PDF", resolution=dpi)
    return out.getvalue()


def expected(spec: dict[str, Any]) -> dict[str, Any]:
    """What the clerk confirms for a specimen: the fields the proposal is scored on."""
    return {
        "issuer_name": " ".join(spec["agency"]),
        "number_symbol": spec["number_symbol"],
        "issued_date": spec["date"],
        "doc_type": spec["expected_type"],
        "subject": spec["subject"],
        "signer": spec["signer"],
    }
