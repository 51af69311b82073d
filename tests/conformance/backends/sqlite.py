"""The SQLite backend: a file database (WAL) and an in-memory one."""

from __future__ import annotations

from tests.conformance.harness import BackendCase, CaseContext


def _file(ctx: CaseContext) -> dict[str, object]:
    return {"path": str(ctx.tmp_path / "db.sqlite"), "table": ctx.unique}


def _memory(ctx: CaseContext) -> dict[str, object]:
    return {"path": ":memory:", "table": ctx.unique}


CASES = [
    BackendCase(name="sqlite", backend="sqlite", options=_file, differential_examples=100),
    BackendCase(name="sqlite-memory", backend="sqlite", options=_memory, differential_examples=40),
]
