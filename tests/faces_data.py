"""Where the test face photos are: ONEMST_FACES_DIR, else the copy in tests/data/faces/."""

from __future__ import annotations

import os
from pathlib import Path

FACES = Path(os.environ.get("ONEMST_FACES_DIR") or Path(__file__).resolve().parent / "data" / "faces")

# Crops (left, top, right, bottom as fractions) that keep a probe's head and shoulders.
OBAMA_HEAD = ("probe/obama_3.jpg", (0.12, 0.12, 0.88, 0.6))
BIDEN_HEAD = ("probe/biden_2.jpg", (0.25, 0.12, 0.9, 0.75))


def side_by_side(*parts: tuple[str, tuple[float, float, float, float], int], gap: int = 20) -> bytes:
    """A JPEG of several photos in a row, top-aligned on a grey ground: each part is (photo under
    FACES, crop as fractions, width in pixels). Two people at a kiosk, built from the test photos."""
    import io

    from PIL import Image

    images = []
    for relative, (left, top, right, bottom), width in parts:
        image = Image.open(FACES / relative).convert("RGB")
        w, h = image.size
        image = image.crop((int(left * w), int(top * h), int(right * w), int(bottom * h)))
        images.append(image.resize((width, round(image.height * width / image.width))))
    canvas = Image.new(
        "RGB",
        (sum(i.width for i in images) + gap * (len(images) - 1), max(i.height for i in images)),
        "#ebebeb",
    )
    x = 0
    for image in images:
        canvas.paste(image, (x, 0))
        x += image.width + gap
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


WHOLE = (0.0, 0.0, 1.0, 1.0)
# Two heads of similar size side by side (faces about 190 px: the half-size detection pass)...
CLOSE_PAIR = ((*OBAMA_HEAD, 310), (*BIDEN_HEAD, 310))
# ... and two whole photos (faces about 125 px: the full-size pass).
WHOLE_PAIR = (("probe/obama_3.jpg", WHOLE, 250), ("probe/biden_2.jpg", WHOLE, 370))
# One large face in front and a small one behind: the large one checks in.
OBAMA_NEAR_BIDEN_FAR = ((*OBAMA_HEAD, 400), ("probe/biden_2.jpg", WHOLE, 160))
BIDEN_NEAR_OBAMA_FAR = ((*BIDEN_HEAD, 400), ("probe/obama_3.jpg", WHOLE, 130))
