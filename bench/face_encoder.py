"""Face descriptor: dlib's BLAS-less wheel against the same network on numpy (issue 13.3).

For each round and each test photo (tests/data/faces, or ONEMST_FACES_DIR) both encoders run on
the same five landmarks, alternating which goes first, so load drifts hit both alike:

- dlib: `face_recognition_model_v1.compute_face_descriptor(pixels, landmarks, 1)`, what
  face_recognition's `face_encodings` calls;
- numpy: `attendance.faces.encode`'s path, dlib's aligned chip then `resnet.Network.descriptor`.

Prints wall-time p50/p95 per encoder, their ratio in the same run, the largest difference
between the two descriptors, and the load average before and after. Writes nothing; not a test.

    .venv/bin/python bench/face_encoder.py                # 20 rounds x the photos' faces
    .venv/bin/python bench/face_encoder.py --rounds 40
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    import dlib
    import face_recognition
    import face_recognition_models
    import numpy as np

    from modules.attendance import faces
    from tests.faces_data import FACES

    encoder = dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
    cases = []
    for path in sorted(p for p in FACES.rglob("*") if p.suffix in (".jpg", ".png")):
        pixels = face_recognition.load_image_file(path)
        for top, right, bottom, left in face_recognition.face_locations(pixels):
            landmarks = face_recognition.api.pose_predictor_5_point(
                pixels, dlib.rectangle(left, top, right, bottom)
            )
            cases.append((pixels, landmarks))
    network = faces.descriptor_network()

    def with_dlib(pixels, landmarks) -> np.ndarray:
        return np.array(encoder.compute_face_descriptor(pixels, landmarks, 1), dtype=np.float32)

    def with_numpy(pixels, landmarks) -> np.ndarray:
        chip = dlib.get_face_chip(pixels, landmarks, size=150, padding=0.25)
        return network.descriptor(chip)

    for pixels, landmarks in cases[:2]:  # warm both
        with_dlib(pixels, landmarks), with_numpy(pixels, landmarks)
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {"dlib": [], "numpy": []}
    largest = 0.0
    for round_ in range(args.rounds):
        for pixels, landmarks in cases:
            order = [("dlib", with_dlib), ("numpy", with_numpy)]
            if round_ % 2:
                order.reverse()
            out = {}
            for name, run in order:
                start = time.perf_counter()
                out[name] = run(pixels, landmarks)
                times[name].append((time.perf_counter() - start) * 1000)
            largest = max(largest, float(np.abs(out["dlib"] - out["numpy"]).max()))
    load_after = os.getloadavg()
    print(f"{len(cases)} faces x {args.rounds} rounds = {len(times['dlib'])} encodings each")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; nproc {os.cpu_count()}")
    for name, values in times.items():
        print(f"{name:6} p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms")
    ratio = statistics.median(times["numpy"]) / statistics.median(times["dlib"])
    print(f"numpy / dlib, p50: {ratio:.3f}; largest difference between descriptors: {largest:.2e}")


if __name__ == "__main__":
    main()
