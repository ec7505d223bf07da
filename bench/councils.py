"""S&T councils (issue 18): proposing a council from 10,000 experts with conflicts checked
against 50 applicant organisations, and scoring a council of 9 on a task.

Run:  .venv/bin/python bench/councils.py [--database postgres] [--rounds 200] [--no-write]

The pool is bulk-written (10,000 experts over 28 fields, 1,500 in the task's field, each
with a recent load of 0-6 councils, one in 20 declaring a conflict; 200 working for one of the
50 host or partner organisations), then one notice with 50 filed dossiers (host, investigator,
three team members and a partner each). A proposal is the whole `stmCouncilProposal` work as
a provincial officer: the notice through `scoped_queryset`, the parties from the dossiers,
the visible pool of the field's group with loads and declared conflicts, then
`councils.propose`. Scoring: `results.tally` of a council of 9 present members on 5 valid
dossiers (45 ballots from the database, invalid-ballot rule, bonus, rank). Target: a
proposal under 200 ms. The figure is the p50/p95/p99 of `--rounds` runs, twice: in the process
as it is after `django.setup()` (CPython's default collector), then with the collector as the
serving process runs it (`config.gcpacer.start()`, which `config/asgi.py` calls): the p99 tail
of the first is the collector's full pass over the start-up heap, which the second leaves out.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine, provincial_department, setup_django, write_section  # noqa: E402

DB_PATH = ROOT / "var" / "bench_councils.sqlite3"
PG_NAME = "bench_councils"
EXPERTS = 10_000
ORGS = 50
FIELD = "102"


def build() -> dict:
    """The pool, the parties and a council of 9 with its ballots, bulk-written."""
    import datetime as dt

    from django.utils import timezone

    from modules.engine import registry
    from modules.engine.factory import child_model_name
    from modules.engine.search import fold
    from modules.stm.science_fields import FIELDS

    rng = random.Random(18)
    root, province, officer = provincial_department("SKHCN-01", "Sở KH&CN Hà Nội", "01", "officer")

    model = registry.model_for
    now = timezone.now()
    org_names = [f"Viện nghiên cứu số {i}" for i in range(ORGS)]
    orgs = model("stm.HostOrganisation").objects.bulk_create(
        [
            model("stm.HostOrganisation")(name=name, created_by=root, updated_by=root, version=1)
            for name in org_names
        ]
    )
    pis = model("stm.PrincipalInvestigator").objects.bulk_create(
        [
            model("stm.PrincipalInvestigator")(
                full_name=f"Chủ nhiệm {i}",
                organisation=o,
                degree="doctor",
                science_field=FIELD,
                in_field_since=dt.date(2010, 1, 1),
                created_by=root,
                updated_by=root,
                version=1,
            )
            for i, o in enumerate(orgs)
        ]
    )
    task = model("stm.OrderedTask").objects.create(
        title="Nhiệm vụ",
        task_type="tech",
        science_field=FIELD,
        owner_unit=province,
        created_by=root,
        version=1,
    )
    notice = model("stm.SelectionNotice").objects.create(
        kind="selection",
        ordered_task=task,
        title="Nhiệm vụ",
        task_type="tech",
        deadline=now - dt.timedelta(days=1),
        state="opened",
        owner_unit=province,
        created_by=root,
        version=1,
    )
    dossier_model = model("stm.SelectionDossier")
    dossiers = dossier_model.objects.bulk_create(
        [
            dossier_model(
                notice=notice,
                organisation=o,
                investigator=p,
                title=f"Hồ sơ {i}",
                state_budget=1_000_000_000 + i,
                state="valid" if i < 5 else "submitted",
                owner_unit=province,
                created_by=root,
                version=1,
                number=f"HS-{i:04}",
                received_at=now,
            )
            for i, (o, p) in enumerate(zip(orgs, pis, strict=True))
        ]
    )
    entity = registry.entity_by_label("stm.SelectionDossier")
    team = registry.classes_for(entity)[child_model_name(entity, entity.field("team"))]
    partners = registry.classes_for(entity)[child_model_name(entity, entity.field("partners"))]
    team.objects.bulk_create(
        [
            team(
                parent=d,
                position=k,
                full_name=f"Thành viên {d.pk}-{k}",
                organisation_name=d.organisation.name,
            )
            for d in dossiers
            for k in range(3)
        ]
    )
    partners.objects.bulk_create(
        [partners(parent=d, position=0, name=f"Công ty đối tác {d.pk}") for d in dossiers]
    )

    codes = [code for code, _, _ in FIELDS]
    expert_model = model("stm.Expert")
    experts = []
    for i in range(EXPERTS):
        field = FIELD if i < 1_500 else rng.choice(codes)
        works_for = org_names[i % ORGS] if i % 50 == 0 else f"Trường Đại học {i % 400}"
        name = f"Chuyên gia {i}"
        experts.append(
            expert_model(
                full_name=name,
                science_field=field,
                organisation=works_for,
                academic_title=rng.choice(["", "", "PGS", "GS"]),
                owner_unit=province,
                is_shared=True,
                created_by=root,
                version=1,
                search_text=fold(name),
            )
        )
    experts = expert_model.objects.bulk_create(experts, batch_size=2_000)
    expert_entity = registry.entity_by_label("stm.Expert")
    conflicts = registry.classes_for(expert_entity)[
        child_model_name(expert_entity, expert_entity.field("conflicts"))
    ]
    conflicts.objects.bulk_create(
        [conflicts(parent=e, position=0, organisation=org_names[e.pk % ORGS]) for e in experts[::20]],
        batch_size=2_000,
    )
    council_entity = registry.entity_by_label("stm.Council")
    council = model("stm.Council").objects.create(
        notice=notice,
        number="HĐ-BENCH",
        title="Hội đồng",
        meeting_at=now - dt.timedelta(days=30),
        state="scoring",
        owner_unit=province,
        created_by=root,
        version=1,
    )
    members = registry.classes_for(council_entity)[
        child_model_name(council_entity, council_entity.field("members"))
    ]
    # recent load: past councils of 9 among the field's experts
    past = [
        model("stm.Council")(
            notice=notice,
            number=f"HĐ-CU-{k:04}",
            title=f"HĐ cũ {k}",
            meeting_at=now - dt.timedelta(days=rng.randint(1, 300)),
            state="closed",
            owner_unit=province,
            created_by=root,
            version=1,
        )
        for k in range(700)
    ]
    past = model("stm.Council").objects.bulk_create(past)
    field_experts = [e for e in experts if e.science_field == FIELD]
    members.objects.bulk_create(
        [
            members(parent=c, position=k, expert=rng.choice(field_experts), role="member", present=True)
            for c in past
            for k in range(9)
        ],
        batch_size=2_000,
    )
    seated = field_experts[1:10]  # no conflict among them
    roles = [
        "chair",
        "vice_chair",
        "secretary",
        "reviewer",
        "reviewer",
        "member",
        "member",
        "member",
        "member",
    ]
    members.objects.bulk_create(
        [
            members(parent=council, position=k, expert=e, role=roles[k], present=True)
            for k, e in enumerate(seated)
        ]
    )
    ballot_model = model("stm.Ballot")
    grid = {"overview": 12, "content": 24, "products": 16, "applicability": 16, "plan": 16, "capacity": 16}
    ballot_model.objects.bulk_create(
        [
            ballot_model(
                council=council,
                dossier=d,
                expert=e,
                owner_unit=province,
                created_by=root,
                version=1,
                scores={k: max(0, v - rng.randint(0, 6)) for k, v in grid.items()},
            )
            for d in dossiers[:5]
            for e in seated
        ]
    )
    return {"officer": officer, "notice": notice, "council": council}


def timed(fn, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


class FullPasses:
    """Counts the garbage collector's full (generation 2) passes and their time while active."""

    def __init__(self) -> None:
        self.count, self.ms, self._start = 0, 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.count += 1
            self.ms = max(self.ms, (time.perf_counter() - self._start) * 1000)

    def __enter__(self) -> FullPasses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)


def alternate(propose, score, rounds: int) -> tuple[list[float], list[float], FullPasses]:
    """`rounds` proposals and scorings, alternating so both see the same machine; each round
    counts as a request for the GC pacer (what `request_started` does in the server)."""
    from config import gcpacer

    proposal, tally = [], []
    with FullPasses() as passes:
        for _ in range(rounds):
            gcpacer.note_activity()
            proposal += timed(propose, 1)
            tally += timed(score, 1)
    return proposal, tally, passes


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"{statistics.median(ordered):.1f} | {pick(0.95):.1f} | {pick(0.99):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    setup_django(DB_PATH, args.database, PG_NAME)  # a fresh database, the same way as the other benches
    block = measure(build(), args.database, args.rounds)
    print(block)
    if not args.no_write:
        write_section(
            f"councils-{args.database}",
            f"S&T councils ({args.database})",
            "`bench/councils.py` (issue 18). Target: a council proposal in under 200 ms.",
            block,
        )


def measure(data: dict, database: str, rounds: int) -> str:
    """The table: proposals and scorings in a plain process, then in the same one as served."""
    from modules.stm import api, results

    officer, notice, council = data["officer"], data["notice"], data["council"]
    first = api._proposal(officer, notice.pk, 9)
    assert len(first.seats) == 9 and first.excluded, (
        "the bench's pool must give a full council with exclusions"
    )
    load = os.getloadavg()
    # A plain process first: CPython's own collector, whose full pass walks the whole start-up heap
    # (Django, the generated models and schema: ~225,000 objects) every dozen proposals or so.
    plain = alternate(lambda: api._proposal(officer, notice.pk, 9), lambda: results.tally(council), rounds)
    # Then the collector as the serving process runs it (config/asgi.py starts the pacer): the
    # start-up heap frozen, full passes paced to quiet moments (config/gcpacer.py).
    from config import gcpacer

    gcpacer.start()
    serving = alternate(lambda: api._proposal(officer, notice.pk, 9), lambda: results.tally(council), rounds)
    end_load = os.getloadavg()
    excluded = len(first.excluded)
    rows = []
    for label, (proposal, tally, passes) in (
        ("as served (config/asgi.py: start-up heap frozen, full passes paced)", serving),
        ("plain process (CPython's default collector)", plain),
    ):
        full = f"{passes.count} full collections, longest {passes.ms:.0f} ms"
        rows.append(
            f"| council proposal, 10,000 experts, 50 applicant organisations ({excluded} excluded); "
            f"{label}; {full} | {summary(proposal)} |\n"
            f"| scoring a council of 9 on 5 dossiers (45 ballots); {label} | {summary(tally)} |\n"
        )
    block = (
        f"{database}, {machine()}; load average {load[0]:.2f} at the start, {end_load[0]:.2f} at the end; "
        f"{rounds} rounds each, alternating, the plain process first, then the same process "
        "as served.\n\n"
        "| work | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|\n" + "".join(rows)
    )
    return block


if __name__ == "__main__":
    main()
