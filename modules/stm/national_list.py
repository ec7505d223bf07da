"""The national list of S&T tasks in progress, flowing DOWN from the national S&T database.

The national database sends its whole list (`docs/schemas/national-st-tasks.v1.json`); it is
stored as `stm.NationalTask` rows, one per national code: a code missing from a later list is
no longer in progress. Part 1's eligibility check then asks `leads(investigator, on)`: a
principal investigator must not lead another national task (TT 20/2023/TT-BKHCN, domain.md
§7.2), and a province cannot know that from its own records alone.

Who is who: the list names people, not our ids. An investigator is matched on their folded
full name ("Nguyễn Văn An" = "nguyen van an") together with their organisation: its tax code
when both sides give one, else its folded name. Two namesakes in one organisation would be
taken for one person; the reason shown to the officer names the national task, so it can be
checked and the bar lifted by hand (`national_task_until` stays the officer's own fact).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from modules.engine import registry
from modules.engine.errors import FieldProblem, InvalidInput
from modules.engine.search import fold

ENTITY = "stm.NationalTask"
FORMAT = "onemst.stm.national-tasks"
SCHEMA_FILE = "national-st-tasks.v1.json"


def schema_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "schemas"


@cache
def validator(name: str) -> Any:
    """A JSON Schema validator (draft 2020-12, formats checked) for a published schema file."""
    import jsonschema

    schema = json.loads((schema_dir() / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_problems(name: str, document: Any, limit: int = 20) -> list[FieldProblem]:
    """Each place where `document` breaks the schema, as a field problem naming its path."""
    problems = []
    for error in sorted(validator(name).iter_errors(document), key=lambda e: [str(p) for p in e.path])[
        :limit
    ]:
        where = "/".join(str(p) for p in error.absolute_path) or "(gốc / root)"
        problems.append(
            FieldProblem(
                where,
                "SCHEMA",
                f"Sai định dạng tại {where}: {error.message} / Does not follow the format at {where}: "
                f"{error.message}",
            )
        )
    return problems


def _org_part(tax_code: str, org_name: str) -> str:
    digits = "".join(ch for ch in str(tax_code or "") if ch.isalnum())
    return f"mst:{digits}" if digits else f"ten:{fold(org_name)}"


def investigator_key(full_name: str, tax_code: str, org_name: str) -> str:
    """One person in one organisation, as both sides can spell it."""
    return f"{fold(full_name)}|{_org_part(tax_code, org_name)}"


def keys_of(pi: Any) -> set[str]:
    """The keys an investigator of ours may be listed under (tax code, and the name alone)."""
    org = pi.organisation
    keys = {f"{fold(pi.full_name)}|{_org_part('', org.name)}"}
    if org.tax_code:
        keys.add(investigator_key(pi.full_name, org.tax_code, org.name))
    return keys


def model() -> Any:
    return registry.model_for(ENTITY)


def led_by(pi: Any, on: dt.date) -> Any | None:
    """The national task in progress on day `on` that the investigator leads, or None."""
    return (
        model()
        .objects.filter(in_progress=True, investigator_key__in=keys_of(pi))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        .order_by("id")
        .first()
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _values(item: dict[str, Any]) -> dict[str, Any]:
    pi = item["investigator"]
    org = item["organisation"]
    tax = (org.get("tax_code") or "").strip()
    return {
        "title": item["title"].strip(),
        "managing_body": (item.get("managing_body") or "").strip(),
        "investigator_name": pi["full_name"].strip(),
        "investigator_email": (pi.get("email") or "").strip(),
        "organisation_name": org["name"].strip(),
        "organisation_tax_code": tax,
        "starts_on": _date(item.get("starts_on")),
        "ends_on": _date(item.get("ends_on")),
        "investigator_key": investigator_key(pi["full_name"], tax, org["name"]),
        "in_progress": True,
    }


def store(document: Any) -> dict[str, int]:
    """Take in a whole list: checked against the schema first, then written in one transaction.

    Returns the counts {added, updated, unchanged, ended}. A list that breaks the schema, or
    names one code twice, is refused whole (InvalidInput), nothing written.
    """
    problems = schema_problems(SCHEMA_FILE, document)
    if not problems:
        seen: set[str] = set()
        for n, item in enumerate(document["tasks"]):
            code = item["code"].strip()
            if code in seen:
                problems.append(
                    FieldProblem(
                        f"tasks/{n}/code",
                        "DUPLICATE",
                        f"Mã {code} xuất hiện hai lần. / The code {code} is listed twice.",
                    )
                )
            seen.add(code)
    if problems:
        raise InvalidInput(problems)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "ended": 0}
    rows = model().objects
    listed_at = dt.datetime.fromisoformat(document["generated_at"].replace("Z", "+00:00"))
    with transaction.atomic():
        existing = {row.code: row for row in rows.select_for_update().all()}
        for item in document["tasks"]:
            code = item["code"].strip()
            values = _values(item)
            row = existing.pop(code, None)
            if row is None:
                row = model()(code=code, listed_at=listed_at, **values)
                row.save()
                counts["added"] += 1
                continue
            if all(getattr(row, name) == value for name, value in values.items()):
                counts["unchanged"] += 1
                continue
            for name, value in values.items():
                setattr(row, name, value)
            row.listed_at = listed_at
            row.save()
            counts["updated"] += 1
        for row in existing.values():  # not on the list any more: no longer in progress
            if row.in_progress:
                row.in_progress = False
                row.listed_at = listed_at
                row.save()
                counts["ended"] += 1
    return counts
