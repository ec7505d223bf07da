"""The held-out set of report extraction (tests/reporting_heldout.py) keeps building, and its truth
keeps speaking of the form's indicators, so the set does not rot.

No threshold on the extractor's scores here: those are reported by
``bench/extraction.py --held-out``, not tuned toward.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.reporting_corpus import INDICATORS
from tests.reporting_heldout import CLASSES, build_heldout

KINDS = {spec.code: spec for spec in INDICATORS}
NUMERIC = {"number", "money", "percent"}


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> list:
    return build_heldout(tmp_path_factory.mktemp("heldout"))


def test_every_file_builds_and_opens(heldout: list) -> None:
    import docx
    import openpyxl
    import pdfplumber

    assert len(heldout) >= 12
    assert len({f.name for f in heldout}) == len(heldout)
    assert {f.path.suffix for f in heldout} == {".xlsx", ".docx", ".pdf"}
    for f in heldout:
        assert f.path.stat().st_size > 0, f.name
        if f.path.suffix == ".xlsx":
            assert openpyxl.load_workbook(f.path).active.max_row > 3, f.name
        elif f.path.suffix == ".docx":
            assert docx.Document(str(f.path)).paragraphs, f.name
        else:
            with pdfplumber.open(f.path) as pdf:
                assert (pdf.pages[0].extract_text() or "").strip(), f.name


def test_truth_speaks_of_the_forms_indicators(heldout: list) -> None:
    for f in heldout:
        assert f.truth, f.name
        for code, value in f.truth.items():
            assert code in KINDS, f"{f.name}: {code} is not on the form"
            spec = KINDS[code]
            assert spec.kind not in {"table", "file"}, f"{f.name}: {code} is of a kind never proposed"
            if spec.kind in NUMERIC:
                assert isinstance(value, Decimal), f"{f.name}: {code} should be a number"
            else:
                assert isinstance(value, str) and value.strip(), f"{f.name}: {code} should be a text"
            if spec.kind == "choice":
                assert value in spec.choices, f"{f.name}: {value!r} is not a choice of {code}"
        # Something on the form is absent from every file, so "not present" is tested too.
        assert set(KINDS) - set(f.truth), f.name


def test_every_failure_class_is_covered(heldout: list) -> None:
    seen: dict[str, int] = {}
    for f in heldout:
        assert f.classes and set(f.classes) <= set(CLASSES), f.name
        for c in f.classes:
            seen[c] = seen.get(c, 0) + 1
    assert set(seen) == set(CLASSES)
    assert seen["mixed"] >= 2 and seen["clean"] >= 1
    # The kinds of the form a value can have are all present in the truth somewhere.
    kinds = {KINDS[code].kind for f in heldout for code in f.truth}
    assert kinds >= {"number", "money", "percent", "text", "choice"}


def test_value_left_class_has_both_xlsx_and_docx(heldout: list) -> None:
    formats = {Path(f.name).suffix for f in heldout if "value_left" in f.classes}
    assert {".xlsx", ".docx"} <= formats
    assert all(Path(f.name).suffix == ".pdf" for f in heldout if "wrapped_pdf" in f.classes)
