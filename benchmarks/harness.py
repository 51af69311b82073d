"""The benchmark harness: workloads timed beside a raw baseline doing the same work.

A backend module (``benchmarks/<backend>.py``) defines::

    def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]

Each :class:`Workload` has a ``setup`` that returns fresh state (not timed),
a ``dataknobs`` function and a ``raw`` function that do the same work on that
state, and ``teardown``. Both sides are run ``repeat`` times, alternating, and
the best time of each is reported as records/s with the ratio
dataknobs/raw (1.0 = as fast as the raw driver; higher is better).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Result", "Workload", "make_people", "run_workload"]


@dataclass
class Workload:
    """One workload: the same work done by dataknobs and by the raw driver."""

    name: str
    records: int
    dataknobs: Callable[[Any], Any]
    raw: Callable[[Any], Any]
    setup: Callable[[], Any] = lambda: None
    teardown: Callable[[Any], None] = lambda state: None
    target: float | None = None  # the ratio the issue asks for, if any
    note: str = ""


@dataclass
class Result:
    """Best times of both sides of a workload."""

    workload: Workload
    dataknobs_seconds: float
    raw_seconds: float
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """dataknobs throughput / raw throughput."""
        return self.raw_seconds / self.dataknobs_seconds if self.dataknobs_seconds else 0.0


def _time_one(fn: Callable[[Any], Any], workload: Workload) -> float:
    state = workload.setup()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn(state)
        return time.perf_counter() - start
    finally:
        gc.enable()
        workload.teardown(state)


def run_workload(workload: Workload, repeat: int) -> Result:
    """Time both sides ``repeat`` times, alternating; keep the best of each."""
    dk: list[float] = []
    raw: list[float] = []
    for _ in range(repeat):
        raw.append(_time_one(workload.raw, workload))
        dk.append(_time_one(workload.dataknobs, workload))
    return Result(workload, min(dk), min(raw))


def make_people(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` flat-ish person rows with a few types; the same rows for every backend."""
    import random

    rnd = random.Random(seed)
    cities = ["Oslo", "Rome", "Paris", "Lima", "Kyiv", "Accra", "Hanoi", "Quito"]
    return [
        {
            "name": f"person-{i}",
            "age": rnd.randint(18, 90),
            "city": cities[i % len(cities)],
            "score": round(rnd.random() * 100, 3),
            "active": i % 3 != 0,
        }
        for i in range(n)
    ]


def ids_for(n: int) -> Iterator[str]:
    """Deterministic ids ``id-0000000`` ..."""
    return (f"id-{i:07d}" for i in range(n))
