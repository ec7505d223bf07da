"""The TrueType fonts every PDF the platform renders uses (reportlab).

reportlab's built-in Helvetica has no Vietnamese letters ("ư", "ạ", "đ"...); DejaVu Sans from
Debian's `fonts-dejavu-core` (in .ci/run's install list) has them all. Registered once per
process, under the names returned, with a family so that `<b>` in a Paragraph finds the bold.
The serif family (`serif_fonts`: DejaVu Serif, same package) is for documents in the printed
administrative layout (Decree 30/2020 specimens).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVu", "DejaVu-Bold"
SERIF, SERIF_BOLD, SERIF_ITALIC = "Serif", "Serif-Bold", "Serif-Italic"


@cache
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with reportlab; return their names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists():
        raise RuntimeError(f"{regular} is missing: install Debian's fonts-dejavu-core")
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD


@cache
def serif_fonts() -> tuple[str, str, str]:
    """Register DejaVu Serif (regular, bold, and the upright face standing in for italics, which
    only fonts-dejavu-extra ships) with reportlab; return their names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = FONT_DIR / "DejaVuSerif.ttf"
    if not regular.exists():
        raise RuntimeError(f"{regular} is missing: install Debian's fonts-dejavu-core")
    for name, file in (
        (SERIF, regular),
        (SERIF_BOLD, FONT_DIR / "DejaVuSerif-Bold.ttf"),
        (SERIF_ITALIC, regular),
    ):
        pdfmetrics.registerFont(TTFont(name, str(file)))
    return SERIF, SERIF_BOLD, SERIF_ITALIC
