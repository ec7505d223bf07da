"""Report extraction: precision, recall and time per file over the test corpus.

Run:  .venv/bin/python bench/extraction.py [--rounds N] [--no-write]
      .venv/bin/python -m bench.extraction --held-out [--no-write] [--details]

Builds the corpus of tests/reporting_corpus.py (XLSX, DOCX and PDF reports in the layouts
provincial Departments of S&T send) in a temporary directory, runs
``modules.reporting.extraction.extract`` on every file ``--rounds`` times (the first round
warms imports and caches and is not timed unless it is the only one), and scores each
proposal against the truth over all (file, indicator) pairs: a proposal is right when its
value equals the true one; a wrong value counts as a false positive and a false negative.

Results are printed, and written into docs/benchmarks.md (between markers) unless
--no-write is given.

``--held-out`` runs ONLY the held-out set of tests/reporting_heldout.py instead, and reports
it apart ("held-out (never tuned on)"): precision and recall over its own pairs, per failure
class and per file as counts (right, wrong, missing), never the files' contents. Whoever
tunes the extractor does not run it while tuning (the default run leaves it out) and never
opens those files; ``--details`` prints each wrong or missing proposal, for the one who
keeps the set, and is never written to the docs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine as common_machine  # noqa: E402
from modules.reporting.extraction import extract  # noqa: E402
from tests.reporting_corpus import INDICATORS, CorpusFile, Score, build_corpus, score_file  # noqa: E402
from tests.reporting_heldout import CLASSES, HeldOutFile, build_heldout  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench/extraction.py: begin -->"
END = "<!-- bench/extraction.py: end -->"
TITLE = "## Report extraction (`bench/extraction.py`)"
HELD_BEGIN = "<!-- bench/extraction.py --held-out: begin -->"
HELD_END = "<!-- bench/extraction.py --held-out: end -->"


def machine() -> str:
    libs = ", ".join(
        f"{name} {version(name)}"
        for name in ("openpyxl", "python-docx", "pdfplumber", "rapidfuzz", "reportlab")
    )
    return f"{common_machine()}; {libs}"


def measure(files: list[CorpusFile], rounds: int) -> list[tuple[CorpusFile, Score, float, int]]:
    out = []
    for f in files:
        data = f.path.read_bytes()
        times = []
        result = None
        for _ in range(rounds):
            start = time.perf_counter()
            result = extract(data, f.name, INDICATORS)
            times.append(time.perf_counter() - start)
        assert result is not None
        timed = times[1:] if len(times) > 1 else times
        out.append((f, score_file(f.name, f.truth, result.proposals), statistics.median(timed), len(data)))
    return out


def report(rows: list[tuple[CorpusFile, Score, float, int]], rounds: int) -> str:
    total = Score()
    for _, s, _, _ in rows:
        total.add(s)
    mean_ms = statistics.mean(t for _, _, t, _ in rows) * 1000
    by_format: dict[str, list[float]] = {}
    for f, _, t, _ in rows:
        by_format.setdefault(f.path.suffix.lstrip("."), []).append(t * 1000)
    lines = [
        f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, `{' '.join(['bench/extraction.py', *sys.argv[1:]])}`; "
        f"{machine()}; {len(rows)} files, {len(INDICATORS)} indicators on the form "
        f"(2 of them of kinds never proposed), median of {max(rounds - 1, 1)} timed rounds per file.",
        "",
        "| file | layout | size | truth | proposed | right | precision | recall | time |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f, s, t, size in rows:
        layout = f.layout.replace("|", "\\|")
        lines.append(
            f"| `{f.name}` | {layout} | {size / 1024:.1f} KiB | {s.true_pos + s.false_neg} | "
            f"{s.true_pos + s.false_pos} | {s.true_pos} | {s.precision:.2f} | {s.recall:.2f} | {t * 1000:.0f} ms |"
        )
    lines += [
        "",
        f"**Overall: precision {total.precision:.3f}, recall {total.recall:.3f}** "
        f"({total.true_pos} right of {total.true_pos + total.false_pos} proposed, "
        f"{total.true_pos + total.false_neg} (file, indicator) pairs in the truth); "
        f"mean time per file {mean_ms:.0f} ms ("
        + ", ".join(f"{fmt.upper()} {statistics.mean(v):.0f} ms" for fmt, v in sorted(by_format.items()))
        + ").",
    ]
    if total.errors:
        lines += ["", "Errors:", "", *(f"- {e}" for e in total.errors)]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        intro = (
            "```sh\n"
            ".venv/bin/python bench/extraction.py             # ~5 s; rewrites the section below\n"
            ".venv/bin/python bench/extraction.py --no-write  # print only\n"
            "```\n\n"
            "The corpus is `tests/reporting_corpus.py`: reports written with openpyxl, python-docx and\n"
            "reportlab in the layouts provincial Departments of S&T send, with their truth. Files 01-10\n"
            "were used to tune the extractor; 11-14 were written afterwards as a check, and scored\n"
            "precision 0.96, recall 0.84 on their first run. The traps are real ones: the previous\n"
            "year's and the plan's figures beside the reported one, totals above their parts, figures\n"
            "in notes and parentheses, dates and document numbers in the prose, labels without\n"
            "diacritics or abbreviated. A proposal is right when its value equals the truth (numbers as\n"
            "decimals, in the indicator's unit; texts once normalised).\n"
        )
        text = text.rstrip() + f"\n\n{TITLE}\n\n{intro}\n{section}\n"
    DOC.write_text(text)


def held_out_report(rows: list[tuple[CorpusFile, Score, float, int]], proposals: dict[str, set[str]]) -> str:
    """The held-out figures, apart: overall, per failure class, per file as counts only."""
    total = Score()
    per_class: dict[str, Score] = {c: Score() for c in CLASSES}
    lines = [
        f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, `{' '.join(['bench/extraction.py', *sys.argv[1:]])}`; "
        f"{machine()}; {len(rows)} held-out files (never tuned on), {len(INDICATORS)} indicators on the form.",
        "",
        "| file | classes | truth | proposed | right | wrong value | proposed, not in file | missing | precision | recall |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f, s, _, _ in rows:
        total.add(s)
        classes = f.classes if isinstance(f, HeldOutFile) else ()
        for c in classes:
            per_class[c].add(s)
        made = proposals[f.name]
        absent = len(made - set(f.truth))
        wrong_value = s.false_pos - absent
        missing = len(set(f.truth) - made)
        lines.append(
            f"| `{f.name}` | {', '.join(classes)} | {len(f.truth)} | {len(made)} | {s.true_pos} | {wrong_value} | "
            f"{absent} | {missing} | {s.precision:.2f} | {s.recall:.2f} |"
        )
    lines += [
        "",
        "| class | files | truth | proposed | right | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for c, s in per_class.items():
        n = sum(1 for f, _, _, _ in rows if c in getattr(f, "classes", ()))
        lines.append(
            f"| {c}: {CLASSES[c]} | {n} | {s.true_pos + s.false_neg} | {s.true_pos + s.false_pos} | "
            f"{s.true_pos} | {s.precision:.3f} | {s.recall:.3f} |"
        )
    lines += [
        "",
        f"**Held-out overall: precision {total.precision:.3f}, recall {total.recall:.3f}** "
        f"({total.true_pos} right of {total.true_pos + total.false_pos} proposed, "
        f"{total.true_pos + total.false_neg} (file, indicator) pairs in the truth; "
        "target precision ≥ 0.98, recall ≥ 0.90). A file may count under several classes.",
    ]
    return "\n".join(lines)


def write_held_out(block: str) -> bool:
    """Replace the held-out block between its markers; the subsection around it is kept by hand."""
    text = DOC.read_text() if DOC.exists() else ""
    if HELD_BEGIN not in text or HELD_END not in text:
        return False
    head, rest = text.split(HELD_BEGIN, 1)
    DOC.write_text(head + f"{HELD_BEGIN}\n{block}\n{HELD_END}" + rest.split(HELD_END, 1)[1])
    return True


def main_held_out(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-heldout-") as tmp:
        files = build_heldout(Path(tmp))
        rows = measure(files, 1)
        proposals = {
            f.name: {p.code for p in extract(f.path.read_bytes(), f.name, INDICATORS).proposals}
            for f in files
        }
    block = held_out_report(rows, proposals)
    print(block)
    if args.details:
        errors = [e for _, s, _, _ in rows for e in s.errors]
        print("\nDetails (not for whoever tunes the extractor):\n", *(f"- {e}" for e in errors), sep="\n")
    if not args.no_write:
        if write_held_out(block):
            print(f"\nwritten to {DOC.relative_to(ROOT)}")
        else:
            print(f"\nno held-out markers in {DOC.relative_to(ROOT)}: nothing written")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=4, help="extractions per file (the first is not timed)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md")
    parser.add_argument(
        "--held-out", action="store_true", help="run only the held-out set (tests/reporting_heldout.py)"
    )
    parser.add_argument(
        "--details", action="store_true", help="with --held-out: print each wrong or missing proposal"
    )
    args = parser.parse_args()
    if args.held_out:
        main_held_out(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-extraction-") as tmp:
        files = build_corpus(Path(tmp))
        rows = measure(files, max(args.rounds, 1))
    block = report(rows, max(args.rounds, 1))
    print(block)
    if not args.no_write:
        write_doc(block)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
