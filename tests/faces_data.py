"""Where the test face photos are: ONEMST_FACES_DIR, else the copy in tests/data/faces/."""

from __future__ import annotations

import os
from pathlib import Path

FACES = Path(os.environ.get("ONEMST_FACES_DIR") or Path(__file__).resolve().parent / "data" / "faces")
