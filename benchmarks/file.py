"""File backend workloads beside pyarrow / plain file writes doing the same work.

``python -m benchmarks --backend file --n 100000`` runs the timed workloads;
``python -m benchmarks.file memory [--gb 1]`` writes a ~1 GB jsonl and parquet
file and reports the peak RSS of a subprocess that streams each one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from benchmarks.harness import Workload, ids_for, make_people
from dataknobs_data import Query, Record
from dataknobs_data.backends.file import FileDatabase


def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]:
    rows = make_people(n)
    ids = list(ids_for(n))
    records = [Record(row, id=rid) for row, rid in zip(rows, ids, strict=True)]
    flat = [{"_id": rid, **row} for rid, row in zip(ids, rows, strict=True)]
    fsync = options.get("fsync", "true") != "false"

    def folder() -> Path:
        return Path(tempfile.mkdtemp(prefix="dk-bench-"))

    def remove(state: Any) -> None:
        path = state if isinstance(state, Path) else state[0]
        shutil.rmtree(path if path.is_dir() else path.parent, ignore_errors=True)

    # -- parquet batch create ------------------------------------------------------
    def dk_parquet_create(tmp: Path) -> None:
        with FileDatabase(path=tmp / "p.parquet", fsync=fsync) as db:
            db.create_batch(records)

    def raw_parquet_create(tmp: Path) -> None:
        pq.write_table(pa.Table.from_pylist(flat), tmp / "p.parquet")

    yield Workload(
        "parquet batch create",
        n,
        dk_parquet_create,
        raw_parquet_create,
        setup=folder,
        teardown=remove,
        target=0.5,
    )

    # -- parquet filtered search ---------------------------------------------------
    query = Query().filter("age", ">=", 80).filter("city", "==", "Oslo")
    arrow_filter = (pc.field("age") >= 80) & (pc.field("city") == "Oslo")

    def parquet_loaded() -> tuple[Path, FileDatabase]:
        tmp = folder()
        db = FileDatabase(path=tmp / "p.parquet", fsync=False)
        db.create_batch(records)
        db.close()
        db.connect()
        return tmp, db

    def close_loaded(state: Any) -> None:
        state[1].close()
        remove(state)

    def raw_search_rows(state: Any) -> Any:
        return ds.dataset(state[0] / "p.parquet").to_table(filter=arrow_filter).to_pylist()

    def raw_search_table(state: Any) -> Any:
        return ds.dataset(state[0] / "p.parquet").to_table(filter=arrow_filter)

    yield Workload(
        "parquet filtered search",
        n,
        lambda s: s[1].search(query),
        raw_search_rows,
        setup=parquet_loaded,
        teardown=close_loaded,
        target=0.5,
        note="raw: dataset.to_table(filter).to_pylist()",
    )
    yield Workload(
        "parquet filtered search vs Arrow table",
        n,
        lambda s: s[1].search(query),
        raw_search_table,
        setup=parquet_loaded,
        teardown=close_loaded,
        note="raw stops at the Arrow table (no Python rows)",
    )
    yield Workload(
        "parquet count",
        n,
        lambda s: s[1].count(query),
        lambda s: ds.dataset(s[0] / "p.parquet").count_rows(filter=arrow_filter),
        setup=parquet_loaded,
        teardown=close_loaded,
    )
    yield Workload(
        "parquet stream",
        n,
        lambda s: sum(1 for _ in s[1].stream()),
        lambda s: sum(
            len(b.to_pylist()) for b in ds.dataset(s[0] / "p.parquet").to_batches(batch_size=1000)
        ),
        setup=parquet_loaded,
        teardown=close_loaded,
    )

    # -- jsonl single creates: linear cost (10,000 vs 1,000) --------------------------
    def single(count: int) -> tuple[Any, Any]:
        def dk(tmp: Path) -> None:
            with FileDatabase(path=tmp / "l.jsonl", fsync=fsync) as db:
                create = db.create
                for record in records[:count]:
                    create(record)

        def raw(tmp: Path) -> None:
            # What the store does per create, with a plain file: append one line, durably.
            with open(tmp / "l.jsonl", "ab") as handle:
                for rid, row in zip(ids[:count], rows[:count], strict=True):
                    handle.write((json.dumps({"id": rid, "data": row}) + "\n").encode())
                    handle.flush()
                    if fsync:
                        os.fsync(handle.fileno())

        return dk, raw

    for count in (1_000, 10_000):
        if count <= n:
            dk, raw = single(count)
            yield Workload(
                f"jsonl single create x{count}",
                count,
                dk,
                raw,
                setup=folder,
                teardown=remove,
                note="compare records/s across sizes: flat = linear",
            )

    # -- jsonl batch create, stream, search ---------------------------------------------
    def dk_jsonl_batch(tmp: Path) -> None:
        with FileDatabase(path=tmp / "l.jsonl", fsync=fsync) as db:
            db.create_batch(records)

    def raw_jsonl_batch(tmp: Path) -> None:
        with open(tmp / "l.jsonl", "wb") as handle:
            handle.write(
                "".join(
                    json.dumps({"id": r, "data": d}) + "\n" for r, d in zip(ids, rows, strict=True)
                ).encode()
            )

    yield Workload(
        "jsonl batch create", n, dk_jsonl_batch, raw_jsonl_batch, setup=folder, teardown=remove
    )

    def jsonl_loaded() -> tuple[Path, FileDatabase]:
        tmp = folder()
        db = FileDatabase(path=tmp / "l.jsonl", fsync=False)
        db.create_batch(records)
        return tmp, db

    def raw_jsonl_stream(state: Any) -> int:
        with open(state[0] / "l.jsonl", "rb") as handle:
            return sum(1 for line in handle if json.loads(line))

    yield Workload(
        "jsonl stream",
        n,
        lambda s: sum(1 for _ in s[1].stream()),
        raw_jsonl_stream,
        setup=jsonl_loaded,
        teardown=close_loaded,
    )

    def raw_jsonl_search(state: Any) -> list[Any]:
        out = []
        with open(state[0] / "l.jsonl", "rb") as handle:
            for line in handle:
                data = json.loads(line)["data"]
                if data["age"] >= 80 and data["city"] == "Oslo":
                    out.append(data)
        return out

    yield Workload(
        "jsonl filtered search",
        n,
        lambda s: s[1].search(query),
        raw_jsonl_search,
        setup=jsonl_loaded,
        teardown=close_loaded,
    )
    yield Workload(
        "jsonl read by id x1000",
        1000,
        lambda s: [s[1].read(rid) for rid in ids[:: max(1, n // 1000)][:1000]],
        lambda s: None,
        setup=jsonl_loaded,
        teardown=close_loaded,
        note="no raw equivalent (a plain file has no index)",
    )


# -- peak memory of streaming a big file (run by hand: python -m benchmarks.file memory) -----

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (big) parent through fork+exec.
_STREAM = """
import sys
from dataknobs_data import Query
from dataknobs_data.backends.file import FileDatabase
with FileDatabase(path=sys.argv[1], compact_on_close=False) as db:
    if sys.argv[2] == "filtered":  # every record matches; parquet filters in Arrow
        n = sum(1 for _ in db.stream(Query().filter("n", ">=", 0), batch_size=1000))
    else:
        n = sum(1 for _ in db.stream(batch_size=1000))
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
print(f"{n} {peak:.0f}")
"""


def _write_big(path: Path, target_bytes: int) -> int:
    batch = 20_000
    written = 0
    with FileDatabase(path=path, fsync=False, buffer_size=10**9) as db:
        i = 0
        while True:
            db.create_batch(
                # Incompressible padding, so the parquet file is ~1 GB on disk too.
                Record({"n": i + k, "city": "Oslo", "pad": os.urandom(450).hex()})
                for k in range(batch)
            )
            i += batch
            if path.suffix == ".jsonl" and path.stat().st_size >= target_bytes:
                break
            if path.suffix == ".parquet" and i * 1000 >= target_bytes:
                break
        written = i
    return written


def memory(gigabytes: float) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="dk-mem-"))
    try:
        for name in ("big.jsonl", "big.parquet"):
            path = tmp / name
            count = _write_big(path, int(gigabytes * 1024**3))
            size = path.stat().st_size / 1024**2
            for how in ("all", "filtered"):
                out = subprocess.run(
                    [sys.executable, "-c", _STREAM, str(path), how],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                print(
                    f"{name}: {count} records, {size:.0f} MB on disk, streamed {out[0]} "
                    f"({how}), peak RSS {out[1]} MB (target < 300 MB)"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["memory"]:
        gb = float(sys.argv[sys.argv.index("--gb") + 1]) if "--gb" in sys.argv else 1.0
        memory(gb)
