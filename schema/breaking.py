"""List the breaking and dangerous changes of `schema.graphql` against a tagged release.

    python -m schema.breaking            # against the newest tag (git describe --tags)
    python -m schema.breaking v0.2.0     # against a given tag or commit
    python -m schema.breaking --strict   # exit 1 when anything breaks (for a release check)

It compares a released SDL with the working tree's `schema.graphql`, with graphql-core's
`find_breaking_changes` and `find_dangerous_changes`. Run
`python manage.py update_schema` first if the code changed. No Django needed.

A release's SDL is kept in `schema/releases/<tag>.graphql` (a clone without tags, as CI
makes, still has it); any other ref is read with `git show <ref>:schema.graphql`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from graphql import (
    BreakingChange,
    DangerousChange,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

ROOT = Path(__file__).resolve().parent.parent
FILE_NAME = "schema.graphql"
RELEASES = Path(__file__).resolve().parent / "releases"


def latest_tag() -> str | None:
    """The newest release: the newest git tag, else the newest SDL kept in schema/releases."""
    run = subprocess.run(
        ["git", "describe", "--tags", "--abbrev=0"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if run.stdout.strip():
        return run.stdout.strip()
    kept = sorted(RELEASES.glob("v*.graphql"), key=lambda p: tuple(int(n) for n in p.stem[1:].split(".")))
    return kept[-1].stem if kept else None


def sdl_at(ref: str) -> str:
    kept = RELEASES / f"{ref}.graphql"
    if kept.is_file():
        return kept.read_text(encoding="utf-8")
    run = subprocess.run(
        ["git", "show", f"{ref}:{FILE_NAME}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise SystemExit(f"{FILE_NAME} not found at {ref}: {run.stderr.strip()}")
    return run.stdout


def compare(old_sdl: str, new_sdl: str) -> tuple[list[BreakingChange], list[DangerousChange]]:
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    return find_breaking_changes(old, new), find_dangerous_changes(old, new)


def report(ref: str, breaking: list[BreakingChange], dangerous: list[DangerousChange]) -> str:
    lines = [f"{FILE_NAME}: changes since {ref}"]
    lines += [f"BREAKING  {c.type.name}: {c.description}" for c in breaking]
    lines += [f"DANGEROUS {c.type.name}: {c.description}" for c in dangerous]
    if not breaking and not dangerous:
        lines.append("no breaking or dangerous change")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", nargs="?", help="tag or commit to compare with (default: the newest tag)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a change breaks clients")
    args = parser.parse_args(argv)
    ref = args.ref or latest_tag()
    if ref is None:
        print("No tag yet: nothing to compare with.")
        return 0
    breaking, dangerous = compare(sdl_at(ref), (ROOT / FILE_NAME).read_text(encoding="utf-8"))
    print(report(ref, breaking, dangerous))
    return 1 if args.strict and breaking else 0


if __name__ == "__main__":
    sys.exit(main())
