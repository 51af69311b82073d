"""Several processes and crashes: nothing is lost, nothing is left broken."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dataknobs_data.backends.file import FileDatabase

SCRIPT = str(Path(__file__).with_name("writer_script.py"))


def _spawn(path: Path, prefix: str, count: int, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, SCRIPT, str(path), prefix, str(count), mode],
        stdout=subprocess.PIPE if mode == "loop" else subprocess.DEVNULL,
        text=True,
    )


def test_two_writing_processes_lose_nothing(tmp_path: Path, filename: str) -> None:
    path = tmp_path / filename
    count = 500 if filename.split(".")[1] in ("jsonl", "csv") else 150
    writers = [_spawn(path, prefix, count, "batch") for prefix in ("a", "b")]
    for writer in writers:
        assert writer.wait(timeout=300) == 0
    with FileDatabase(path=path) as db:
        ids = {r.id for r in db.stream()}
    expected = {f"{p}-{i}" for p in ("a", "b") for i in range(count)}
    assert ids == expected


@pytest.mark.parametrize("victim", ["db.jsonl", "db.csv.zst", "db.json", "db.parquet"])
def test_kill_9_mid_write_leaves_a_readable_file(tmp_path: Path, victim: str) -> None:
    path = tmp_path / victim
    for attempt in range(3):
        writer = _spawn(path, f"k{attempt}", 0, "loop")
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.05 * (attempt + 1))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        with FileDatabase(path=path, compact_on_close=False) as db:
            records = list(db.stream())
        # Every record is complete; each writer's records form a prefix 0..k (no holes).
        assert records
        for prefix in {str(r.id).split("-")[0] for r in records}:
            numbers = sorted(
                int(str(r.id).split("-")[1]) for r in records if r.id.startswith(prefix)
            )
            assert numbers == list(range(len(numbers)))
        for record in records:
            assert record["text"] == "x" * 200
            assert record["tags"] == [str(record.id).split("-")[0], record["n"]]
