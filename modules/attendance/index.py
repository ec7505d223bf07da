"""Who is this face? Vectorised identification over every enrolled encoding.

Distances are Euclidean, as face_recognition's `face_distance`, but computed for all
encodings at once with one float32 matrix product: ||a−b||² = ||a||² + ||b||² − 2a·b,
the norms kept from the load. 10,000 people (several encodings each) take well under
10 ms here (bench/faces.py).

`LiveIndex` keeps the matrix in the process and reloads it when the shared generation
moves (someone enrolled, or their data was deleted, in any process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DEFAULT_TOLERANCE = 0.5


@dataclass(frozen=True)
class Match:
    owner: int | None  # None: not recognised
    distance: float  # to the nearest encoding (of anyone allowed)


class FaceIndex:
    def __init__(self, owners: np.ndarray, vectors: np.ndarray) -> None:
        self.owners = np.asarray(owners, dtype=np.int64)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, 128)
        self.norms = np.einsum("ij,ij->i", self.vectors, self.vectors)

    def __len__(self) -> int:
        return len(self.owners)

    def identify(
        self, probe: np.ndarray, tolerance: float = DEFAULT_TOLERANCE, allowed: set[int] | None = None
    ) -> Match:
        """The nearest allowed owner within `tolerance`, else owner None with the nearest distance."""
        if not len(self.owners):
            return Match(None, float("inf"))
        probe = np.asarray(probe, dtype=np.float32)
        squared = self.norms - 2.0 * (self.vectors @ probe) + float(probe @ probe)
        if allowed is not None:
            squared = np.where(np.isin(self.owners, list(allowed)), squared, np.inf)
        best = int(np.argmin(squared))
        distance = float(np.sqrt(max(float(squared[best]), 0.0)))
        if not np.isfinite(distance) or distance > tolerance:
            return Match(None, distance)
        return Match(int(self.owners[best]), distance)


class LiveIndex:
    """One index per process, rebuilt when `generation()` differs from the one it was built at."""

    def __init__(
        self, load: Callable[[], tuple[np.ndarray, np.ndarray]], generation: Callable[[], str]
    ) -> None:
        self._load, self._generation = load, generation
        self._index: FaceIndex | None = None
        self._built_at: str | None = None
        self._lock = threading.Lock()

    def current(self) -> FaceIndex:
        stamp = self._generation()
        if self._index is None or stamp != self._built_at:
            # Load before taking the lock: a thread waiting on it may hold a pooled database
            # connection, and a holder waiting for one would stall every check-in.
            owners, vectors = self._load()
            with self._lock:
                if self._index is None or stamp != self._built_at:
                    self._index, self._built_at = FaceIndex(owners, vectors), stamp
        return self._index
