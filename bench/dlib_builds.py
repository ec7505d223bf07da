"""Face encoding: do other `dlib-bin` releases encode faster, with the same vectors? (issue 13.3)

The check-in's neural encoding (dlib's ResNet, `face_recognition_model_v1`) is most of a
check-in. The project never compiles dlib, so the only lever on the wheel is which PyPI
release of `dlib-bin` to pin. For each release named, this script fetches its wheel with
`pip download --no-deps` into /tmp, unpacks it (no install: the venv is not touched), and in
a child process per release and round (alternating releases, so load drifts hit all alike):

- reads its build flags (`DLIB_USE_BLAS`, `DLIB_USE_LAPACK`, `DLIB_USE_CUDA`,
  `USE_AVX_INSTRUCTIONS`);
- encodes the three probe frames (640 px, 5-point landmarks, one jitter, as the app does)
  and times landmarks + descriptor in CPU time (`process_time`, which counts every thread,
  so a build that used more threads would show it against wall time) and wall time;
- keeps the 128-d vectors of every photo in ../shared/faces, compared with the venv's own
  build (max abs difference; the held-out decisions at the app's tolerance 0.5).

It also checks whether the installed build's encoder holds the GIL: a pure-Python counter
thread beside it gets almost no CPU if so (one Daphne process then serves nothing else
while a face is encoded).

    .venv/bin/python bench/dlib_builds.py                   # 20.0.1.post1 20.0.0 19.24.6 19.24.2.post1
    .venv/bin/python bench/dlib_builds.py --rounds 6 --versions 20.0.1.post1 19.24.6

Prints a table; writes nothing. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FACES = Path(os.environ.get("ONEMST_FACES_DIR") or ROOT / "tests" / "data" / "faces")
WORK = Path("/tmp/onemst-dlib-builds")
VERSIONS = ("20.0.1.post1", "20.0.0", "19.24.6", "19.24.2.post1")
PROBES = ("probe/biden_2.jpg", "probe/obama_2.jpg", "probe/obama_3.jpg")
GALLERY = {"biden": "enroll/biden_1.jpg", "obama": "enroll/obama_1.jpg"}
HELD_OUT = {**{p: p.split("/")[1].split("_")[0] for p in PROBES}, "unknown/collins.png": None}
TOLERANCE = 0.5  # modules/attendance/index.py DEFAULT_TOLERANCE


def unpacked(version: str) -> Path:
    """The release's wheel, downloaded once and unpacked into its own folder."""
    target = WORK / version
    if not (target / "dlib").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                f"dlib-bin=={version}",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(WORK / "wheels" / version),
            ],
            check=True,
        )
        wheel = next((WORK / "wheels" / version).glob("*.whl"))
        zipfile.ZipFile(wheel).extractall(target)
    return target


def frame(path: Path) -> Any:  # numpy arrives with the child's import
    """The photo as the app decodes it: JPEG drafted, upright, RGB, at most 640 px."""
    import numpy as np
    from PIL import Image, ImageOps

    image = Image.open(path)
    if image.format == "JPEG":
        image.draft("RGB", (640, 640))
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((640, 640))
    return np.asarray(image)


def child(rounds: int) -> None:
    """In a child whose sys.path starts with one release: flags, timings and vectors as JSON."""
    import dlib
    import face_recognition_models as models

    detector = dlib.get_frontal_face_detector()
    landmarks = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
    encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())
    photos = {}
    for name in (*GALLERY.values(), *HELD_OUT):
        pixels = frame(FACES / name)
        found = detector(pixels, 0) or detector(pixels, 1)
        photos[name] = (pixels, max(found, key=lambda r: r.area()))
    vectors = {
        name: list(encoder.compute_face_descriptor(pixels, landmarks(pixels, box), 1))
        for name, (pixels, box) in photos.items()
    }
    cpu, wall = [], []
    for _ in range(rounds):
        for name in PROBES:
            pixels, box = photos[name]
            started, started_cpu = time.perf_counter(), time.process_time()
            encoder.compute_face_descriptor(pixels, landmarks(pixels, box), 1)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    flags = {k: getattr(dlib, k) for k in dir(dlib) if k.startswith(("DLIB_USE", "USE_"))}
    print(
        json.dumps(
            {
                "dlib": dlib.__version__,
                "file": dlib.__file__,
                "flags": flags,
                "cpu": cpu,
                "wall": wall,
                "vectors": vectors,
                "load": os.getloadavg()[0],
            }
        )
    )


def run_child(path: Path | None, rounds: int) -> dict:
    """One round of one release (path None: the venv's own build)."""
    env = {**os.environ, "PYTHONPATH": str(path) if path else ""}
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def decisions(vectors: dict) -> dict:
    """Held-out photo -> the person within TOLERANCE of its enrolled photo, or None."""
    import numpy as np

    out = {}
    for name in HELD_OUT:
        distances = {
            who: float(np.linalg.norm(np.subtract(vectors[name], vectors[g]))) for who, g in GALLERY.items()
        }
        best = min(distances, key=distances.get)
        out[name] = best if distances[best] <= TOLERANCE else None
    return out


def gil_check() -> tuple[float, float]:
    """CPU seconds a pure-Python counter gets in 2 s alone, and beside the installed encoder."""
    import dlib
    import face_recognition_models as models

    landmarks = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
    encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())
    pixels = frame(FACES / PROBES[0])
    box = max(dlib.get_frontal_face_detector()(pixels, 0), key=lambda r: r.area())

    def spin(seconds: float) -> float:
        started, end = time.thread_time(), time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
        return time.thread_time() - started

    alone = spin(2)
    busy = threading.Event()

    def encode() -> None:
        while not busy.is_set():
            encoder.compute_face_descriptor(pixels, landmarks(pixels, box), 1)

    worker = threading.Thread(target=encode)
    worker.start()
    beside = spin(2)
    busy.set()
    worker.join()
    return alone, beside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--versions", nargs="+", default=list(VERSIONS))
    parser.add_argument("--rounds", type=int, default=4, help="alternations; each times 3 frames x 5")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    paths = {version: unpacked(version) for version in args.versions}
    reference = run_child(None, 1)
    results: dict[str, list[dict]] = {version: [] for version in paths}
    for _ in range(args.rounds):
        for version, path in paths.items():
            results[version].append(run_child(path, 5))
    expected = decisions(reference["vectors"])
    print(f"venv's build: dlib {reference['dlib']} {reference['flags']}")
    print(
        "| release | flags | CPU ms p50 (min) | wall ms p50 | max abs diff vs venv | held-out decisions "
        "| load |"
    )
    print("|---|---|---|---|---|---|---|")
    for version, runs in results.items():
        good = [r for r in runs if "error" not in r]
        if not good:
            print(f"| {version} | — | fails: {runs[0]['error'][:80]} | | | | |")
            continue
        assert all(r["file"].startswith(str(paths[version])) for r in good), "loaded the wrong dlib"
        cpu = [x for r in good for x in r["cpu"]]
        wall = [x for r in good for x in r["wall"]]
        diff = max(
            abs(a - b)
            for name, vector in good[0]["vectors"].items()
            for a, b in zip(vector, reference["vectors"][name], strict=True)
        )
        same = "identical" if decisions(good[0]["vectors"]) == expected else "DIFFERENT"
        flags = ", ".join(f"{k}={int(v)}" for k, v in good[0]["flags"].items())
        loads = [r["load"] for r in good]
        print(
            f"| {version} | {flags} | {statistics.median(cpu):.1f} ({min(cpu):.1f}) | "
            f"{statistics.median(wall):.1f} | {diff:.1e} | {same} | {min(loads):.1f}–{max(loads):.1f} |"
        )
    alone, beside = gil_check()
    print(
        f"GIL: a Python thread got {alone:.2f} s CPU in 2 s alone, {beside:.2f} s beside the encoder "
        f"(near 0: the encoder holds the GIL); load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
