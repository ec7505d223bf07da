"""The public types of the extractor, and the internal candidate they are chosen from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

NUMERIC_KINDS = frozenset({"number", "money", "percent"})
TEXT_KINDS = frozenset({"text", "choice"})
# Kinds that are never proposed: a table or a file cannot be read off one place in a report.
UNPROPOSED_KINDS = frozenset({"table", "file"})


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of a report form, as the extractor needs to know it."""

    code: str
    label_vi: str
    label_en: str = ""
    kind: str = "number"  # number | money | percent | text | choice | table | file
    unit: str = ""
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A proposed value; the officer confirms it on the review screen, nothing is saved here."""

    code: str
    value: Decimal | str
    raw: str
    confidence: float
    location: str
    matched_label: str


@dataclass
class ExtractionResult:
    format: str
    proposals: list[Proposal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def by_code(self) -> dict[str, Proposal]:
        return {p.code: p for p in self.proposals}


class ExtractionError(Exception):
    """A file that cannot be read. ``code``: unsupported, corrupt, no_text or too_large."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ExtractionError({self.code!r}, {self.message!r})"


@dataclass
class Candidate:
    """One possible value for one indicator, before the best per indicator is chosen."""

    code: str
    value: Decimal | str
    raw: str
    location: str
    matched_label: str
    confidence: float
    # Identities of the value and of the label in the document: one value feeds one indicator.
    value_key: tuple[object, ...]
    label_key: tuple[object, ...]
    order: int = 0  # position in the document, to keep ties stable
