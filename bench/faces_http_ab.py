"""A kiosk check-in's HTTP part, before against after issue 13.3's two cuts, in one run.

Two Daphne processes on the faces bench's database (bench/faces.py builds it): "after" as
shipped, "before" with `ONEMST_RAW_REQUEST_BODY=0` (Twisted parses each multipart body into
arguments nobody reads, as stock Daphne does) and `ONEMST_HTTP_ONE_HOP=0` (Django's handler,
three thread crossings). Each round sends, to each side in turn (the order flips every
round), one written check-in of a 640-pixel probe frame and one unknown kiosk's request with
the same frame. A check-in's time outside its stages (the Server-Timing header: decode to
answer) is what HTTP, the body and the kiosk token cost; the unknown kiosk's whole request is
that cost alone. Medians per side and their ratio, with the load average; prints only.

    .venv/bin/python bench/faces_http_ab.py [--rounds 120]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.error
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import faces as bench_faces  # noqa: E402  (sets Django up on the faces database)
from bench.common import machine, start_daphne  # noqa: E402

BEFORE = {"ONEMST_RAW_REQUEST_BODY": "0", "ONEMST_HTTP_ONE_HOP": "0"}


def one_round(host: str, frame: bytes, token: str) -> tuple[float, float]:
    """One check-in's milliseconds outside its stages, and one unknown kiosk's request."""
    from modules.engine import registry
    from tests.live_server import post_image

    registry.model_for("attendance.CheckIn").objects.all().delete()  # each check-in is written
    url = f"http://{host}/attendance/checkin"
    started = time.perf_counter()
    answer, stages = bench_faces.post_timed(url, frame, token)
    outside = (time.perf_counter() - started) * 1000 - sum(stages.values())
    assert answer["recognised"] and answer["recorded"], answer
    started = time.perf_counter()
    try:
        post_image(url, frame, {"X-Kiosk-Token": "omst_unknown"})
    except urllib.error.HTTPError as refused:
        assert refused.code == 401
    return outside, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=120, help="measured rounds (≥ 100)")
    args = parser.parse_args()
    token = bench_faces.kiosk_world()
    frame = bench_faces.frame_640(bench_faces.PHOTOS / bench_faces.PROBES[0])
    servers = {"after": start_daphne(bench_faces.DB_PATH), "before": start_daphne(bench_faces.DB_PATH, BEFORE)}
    outside: dict[str, list[float]] = {side: [] for side in servers}
    floor: dict[str, list[float]] = {side: [] for side in servers}
    loads = [os.getloadavg()[0]]
    try:
        for round_ in range(args.rounds + 3):
            order = list(servers) if round_ % 2 else list(reversed(servers))
            for side in order:
                o, f = one_round(servers[side][1], frame, token)
                if round_ >= 3:  # the first rounds load the models
                    outside[side].append(o)
                    floor[side].append(f)
            loads.append(os.getloadavg()[0])
    finally:
        for process, _host in servers.values():
            process.terminate()
            process.wait(timeout=30)
    print(f"{machine()}; {args.rounds} rounds; load average {loads[0]:.2f} at the start, "
          f"{statistics.median(loads):.2f} median, {loads[-1]:.2f} at the end")
    print("| part | before (stock Daphne body parsing, Django's handler) | after | ratio |")
    print("|---|---|---|---|")
    for name, values in (("check-in outside its stages, p50", outside), ("unknown kiosk, whole request, p50", floor)):
        before, after = statistics.median(values["before"]), statistics.median(values["after"])
        print(f"| {name} | {before:.1f} ms | {after:.1f} ms | {after / before:.2f} |")


if __name__ == "__main__":
    main()
