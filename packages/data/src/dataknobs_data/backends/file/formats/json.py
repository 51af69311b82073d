"""JSON: one array of ``{"id": ..., "data": {...}}`` objects, one per line.

The whole file is read at open (a damaged file is reported with its line
and column) and rewritten on flush. ``json.load`` of the file gives the
records with tagged values (see :mod:`dataknobs_data.codec`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from dataknobs_data.backends.file.compression import (
    DECOMPRESSION_ERRORS,
    open_reader,
    open_writer,
)
from dataknobs_data.backends.file.formats.base import (
    DELETE,
    SnapshotFormat,
    SnapshotReader,
    WriteBuffer,
    corrupt,
)
from dataknobs_data.backends.file.formats.jsonl import check_entry
from dataknobs_data.backends.file.store import decode_record
from dataknobs_data.codec import encode_json_data, encode_json_value
from dataknobs_data.query.evaluate import compile_expression
from dataknobs_data.query.filters import Expression, Filter
from dataknobs_data.records import Record

__all__ = ["JSON_FORMAT", "JsonFormat", "JsonReader"]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class JsonReader(SnapshotReader):
    """All records of a json file, decoded in memory."""

    def __init__(self, records: dict[str, Record]) -> None:
        self._records = records

    def ids(self) -> set[str]:
        """Every id."""
        return set(self._records)

    def get(self, ids: list[str]) -> dict[str, Record]:
        """Records by id, copied out."""
        records = self._records
        return {rid: records[rid].copy() for rid in ids if rid in records}

    def scan(
        self,
        where: Expression | None,
        exclude: set[str],
        projection: tuple[str, ...] | None,
        batch_size: int,
    ) -> Iterator[list[Record]]:
        """Matching records through the shared evaluator, copied out."""
        predicate = compile_expression(where)
        batch: list[Record] = []
        for rid, record in self._records.items():
            if rid not in exclude and predicate(record.data):
                batch.append(record.copy())
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def can_push(self, condition: Filter) -> bool:
        """Every filter runs in the store's evaluator."""
        return True

    def records(self) -> Iterator[Record]:
        """Records in file order."""
        return iter(self._records.values())


class JsonFormat(SnapshotFormat):
    """The json snapshot format."""

    name = "json"

    def open(self, path: Path, compression: str | None) -> SnapshotReader:
        """Read, validate and decode the whole file."""
        with open(path, "rb") as raw:
            try:
                text = open_reader(raw, compression).read()
            except DECOMPRESSION_ERRORS as exc:
                raise corrupt(path, f"cannot decompress: {exc}") from None
        if not text.strip():
            return JsonReader({})
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise corrupt(
                path, f"{exc.msg} (column {exc.colno})", line=exc.lineno, offset=exc.pos
            ) from None
        except ValueError as exc:
            raise corrupt(path, str(exc)) from None
        if type(items) is not list:
            raise corrupt(path, "expected a JSON array of records", line=1)
        records: dict[str, Record] = {}
        for position, item in enumerate(items):
            try:
                rid, op, data, metadata = check_entry(item)
                if op == DELETE:
                    raise ValueError("a json file holds no tombstones")
            except ValueError as exc:
                raise corrupt(path, f"record #{position + 1}: {exc}") from None
            records[rid] = decode_record(rid, data, metadata, f"{path}: record #{position + 1}")
        return JsonReader(records)

    def write(
        self,
        target: BinaryIO,
        base: SnapshotReader | None,
        drop: set[str],
        buffer: WriteBuffer,
        held: Sequence[Any],
        compression: str | None,
        row_group_size: int,
    ) -> None:
        """Write the array, one record per line (``held`` are the buffered records)."""
        out = open_writer(target, compression)
        lines: list[str] = []
        kept = base.records() if isinstance(base, JsonReader) else iter(())
        for record in [*(r for r in kept if r.id not in drop), *held]:
            item: dict[str, Any] = {"id": record.id, "data": encode_json_data(record.data)}
            if record.metadata:
                item["metadata"] = encode_json_value(record.metadata)
            lines.append(_dumps(item))
        out.write(("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n").encode())
        out.close()


JSON_FORMAT = JsonFormat()
