"""Extraction as plain JSON in and out: what crosses into the capped child process and back.

`run` is the sandbox's target (`modules.engine.sandbox.run_capped`): it takes the file's
bytes and the indicators as dicts, and returns the result as a dict; `result_from` turns
that dict back into an :class:`ExtractionResult` for the page. Like the rest of the
package it needs no Django, so the child starts light.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import extract
from .model import ExtractionResult, IndicatorSpec, Proposal
from .readers import Progress

TARGET = "modules.reporting.extraction.portable:run"


def spec_to_dict(spec: IndicatorSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "label_vi": spec.label_vi,
        "label_en": spec.label_en,
        "kind": spec.kind,
        "unit": spec.unit,
        "aliases": list(spec.aliases),
        "choices": list(spec.choices),
    }


def spec_from_dict(raw: dict[str, Any]) -> IndicatorSpec:
    return IndicatorSpec(**{**raw, "aliases": tuple(raw["aliases"]), "choices": tuple(raw["choices"])})


def run(
    data: bytes, *, filename: str, indicators: list[dict[str, Any]], max_bytes: int, progress: Progress
) -> dict[str, Any]:
    result = extract(
        data, filename, [spec_from_dict(i) for i in indicators], max_bytes=max_bytes, progress=progress
    )
    return {
        "format": result.format,
        "warnings": result.warnings,
        "proposals": [
            {
                "code": p.code,
                "value": str(p.value),
                "number": isinstance(p.value, Decimal),
                "raw": p.raw,
                "confidence": p.confidence,
                "location": p.location,
                "matched_label": p.matched_label,
            }
            for p in result.proposals
        ],
    }


def result_from(raw: dict[str, Any]) -> ExtractionResult:
    return ExtractionResult(
        format=raw["format"],
        warnings=list(raw["warnings"]),
        proposals=[
            Proposal(
                code=p["code"],
                value=Decimal(p["value"]) if p["number"] else p["value"],
                raw=p["raw"],
                confidence=p["confidence"],
                location=p["location"],
                matched_label=p["matched_label"],
            )
            for p in raw["proposals"]
        ],
    )
