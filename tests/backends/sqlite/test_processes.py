"""Several processes on one file: nothing lost, and a killed writer leaves whole batches."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dataknobs_data.backends.sqlite import SQLiteDatabase

_WRITER = """
import sys
from dataknobs_data import Record
from dataknobs_data.backends.sqlite import SQLiteDatabase

path, prefix, batches, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with SQLiteDatabase(path=path, timeout=30) as db:
    for b in range(batches):
        db.create_batch(
            [Record({"w": prefix, "i": i, "pad": "x" * 200}, id=f"{prefix}-{b}-{i}")
             for i in range(size)]
        )
        if prefix == "slow":
            print(b, flush=True)
"""


def _writer(path: Path, prefix: str, batches: int, size: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), prefix, str(batches), str(size)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once_lose_nothing(db_path: Path) -> None:
    SQLiteDatabase(path=str(db_path)).connect().close()
    writers = [_writer(db_path, name, 20, 50) for name in ("p1", "p2")]
    for proc in writers:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    with SQLiteDatabase(path=str(db_path)) as db:
        assert db.count() == 2 * 20 * 50


def test_a_writer_killed_mid_batch_leaves_only_whole_batches(db_path: Path) -> None:
    SQLiteDatabase(path=str(db_path)).connect().close()
    proc = _writer(db_path, "slow", 10_000, 2_000)
    assert proc.stdout is not None
    proc.stdout.readline()  # at least one batch committed; others under way
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with SQLiteDatabase(path=str(db_path)) as db:
        count = db.count()
    assert count > 0 and count % 2_000 == 0
