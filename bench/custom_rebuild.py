"""Where a custom-field schema rebuild spends its time (issue 15: "within a second" on every process).

Run:  .venv/bin/python bench/custom_rebuild.py [--rounds 20] [--profile]

In one process on a throwaway SQLite database: each round adds a custom field to
`sample.SampleProject` (so its types and those naming them are rebuilt, as a real edit
does) and times `schema.runtime.current_schema()`, the call every request and the watcher
make, split into its phases:

- `load`: reading the definitions (`custom_values.every_active`);
- `apis`: building the touched entities' strawberry classes (`build_entity_api`);
- `roots`: the three root classes (`strawberry.type` of Query, Mutation, Subscription);
- `convert`: strawberry converting the classes to graphql-core types (`GraphQLCoreConverter`);
- `graphql`: graphql-core's `GraphQLSchema` (type map) and `validate_schema`;
- `schema`: the whole `build_schema` (roots, convert, graphql and the rest of `Schema()`).

`--profile` prints cProfile's 25 heaviest functions of one more round. Prints the medians
and the machine's load (`uptime`) before and after; docs/benchmarks.md is edited by hand.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402

DB_PATH = ROOT / "var" / "bench-custom-rebuild.sqlite3"
PHASES = ("load", "apis", "schema", "roots", "convert", "graphql", "total")


def timed(spent: dict[str, float], phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding its time to `spent[phase]`; nested calls (a recursive conversion) once."""
    depth = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent[phase] += time.perf_counter() - started

    return wrapper


@contextmanager
def instrumented(spent: dict[str, float]) -> Any:
    """Wrap the phases' entry points (this process only, restored afterwards)."""
    import strawberry.schema.schema as strawberry_schema
    from strawberry.schema.schema_converter import GraphQLCoreConverter

    from modules.engine import custom_values
    from schema import runtime
    from schema import schema as assembled

    originals: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, phase: str) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        setattr(owner, name, timed(spent, phase, original))

    patch(custom_values, "every_active", "load")
    patch(runtime, "build_entity_api", "apis")
    patch(assembled, "_root", "roots")
    patch(GraphQLCoreConverter, "from_object", "convert")  # the roots' conversion pulls in the rest
    patch(strawberry_schema, "GraphQLSchema", "graphql")
    patch(strawberry_schema, "validate_schema", "graphql")
    patch(runtime, "build_schema", "schema")
    try:
        yield
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)


def one_round(index: int, spent: dict[str, float]) -> None:
    from modules.engine.custom_models import CustomField
    from schema import runtime

    field = CustomField(
        entity="sample.SampleProject",
        code=f"truong_{index}",
        label_vi=f"Trường {index}",
        label_en=f"Field {index}",
        type="text",
        in_filter=index % 2 == 0,
    )
    field.full_clean()
    field.save()
    started = time.perf_counter()
    with instrumented(spent):
        runtime.current_schema()
    spent["total"] += time.perf_counter() - started


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup_django(DB_PATH)
    from schema import runtime

    runtime.current_schema()  # the first build (no custom field yet): not measured
    before = uptime()
    samples: dict[str, list[float]] = defaultdict(list)
    for index in range(args.rounds):
        spent: dict[str, float] = defaultdict(float)
        one_round(index, spent)
        for phase in PHASES:
            samples[phase].append(spent[phase] * 1000)
    after = uptime()
    print(f"uptime before: {before}\nuptime after:  {after}")
    print(f"{args.rounds} rebuilds, each after one new field on sample.SampleProject (median, ms):")
    for phase in PHASES:
        values = samples[phase]
        print(
            f"  {phase:8s} {statistics.median(values):8.1f}   (min {min(values):.1f}, max {max(values):.1f})"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        one_round(args.rounds, defaultdict(float))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
