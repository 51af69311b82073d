"""The two format interfaces and the error every format raises for a damaged file."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dataknobs_data.backends.file.compression import DECOMPRESSION_ERRORS
from dataknobs_data.errors import SerializationError
from dataknobs_data.query.filters import Expression, Filter
from dataknobs_data.records import Record

__all__ = ["Cursor", "LogEntry", "LogFormat", "SnapshotFormat", "SnapshotReader", "corrupt"]

INSERT, REPLACE, DELETE = "insert", "replace", "delete"


def corrupt(
    source: Path | str, reason: str, *, line: int | None = None, offset: int | None = None
) -> SerializationError:
    """The error for a damaged file: names the file and where, and says it was left as is."""
    where = []
    if line is not None and line > 0:
        where.append(f"line {line}")
    if offset is not None:
        where.append(f"byte {offset}")
    at = f" at {', '.join(where)}" if where else ""
    return SerializationError(
        f"{source}: corrupt or truncated data{at}: {reason}. The file was left untouched; "
        "repair it or restore it from a backup"
    )


@dataclass(frozen=True)
class LogEntry:
    """One entry of a log file, parsed but not yet decoded.

    Attributes:
        offset: Byte offset of the entry in the (decompressed) content.
        line: 1-based line number where the entry starts.
        id: The record id.
        op: ``insert``, ``replace`` (supersedes an earlier entry) or ``delete`` (tombstone).
        data: The record's data as tagged JSON (None for a tombstone).
        metadata: The record's metadata as tagged JSON, or None.
    """

    offset: int
    line: int
    id: str
    op: str
    data: Any
    metadata: Any


@dataclass
class Cursor:
    """Where reading stands: the next entry's (decompressed) offset and line number."""

    offset: int = 0
    line: int = 1
    clean: bool = True  # the content read so far ends with a newline (or is empty)


def read_lines(
    stream: BinaryIO, cursor: Cursor, source: Path | str
) -> Iterator[tuple[int, int, bytes]]:
    """Yield ``(offset, line number, raw line)``, advancing ``cursor``.

    Decompression errors become :func:`corrupt` errors naming the position.
    """
    readline = stream.readline
    while True:
        try:
            raw = readline()
        except DECOMPRESSION_ERRORS as exc:
            raise corrupt(
                source, f"cannot decompress: {exc}", line=cursor.line, offset=cursor.offset
            ) from None
        if not raw:
            return
        at, number = cursor.offset, cursor.line
        cursor.offset = at + len(raw)
        cursor.clean = raw.endswith(b"\n")
        cursor.line = number + 1
        yield at, number, raw


class LogFormat(ABC):
    """A row format stored as an append-only log (jsonl, csv)."""

    name: str
    header: bytes = b""

    @abstractmethod
    def encode(self, record_id: str, op: str, data: Any, metadata: Any) -> bytes:
        """One entry as bytes ending in a newline; ``data``/``metadata`` are tagged JSON."""

    @abstractmethod
    def entries(self, stream: BinaryIO, cursor: Cursor, source: Path | str) -> Iterator[LogEntry]:
        """Parse entries from ``stream`` (positioned at ``cursor``); corrupt: raise."""


class SnapshotReader(ABC):
    """An opened snapshot file (json, parquet): read access to its records."""

    @abstractmethod
    def ids(self) -> set[str]:
        """Every record id in the file."""

    @abstractmethod
    def get(self, ids: list[str]) -> dict[str, Record]:
        """Fresh records (the caller may keep and change them) of those ids that exist."""

    @abstractmethod
    def scan(
        self,
        where: Expression | None,
        exclude: set[str],
        projection: tuple[str, ...] | None,
        batch_size: int,
    ) -> Iterator[list[Record]]:
        """Records matching ``where`` whose id is not in ``exclude``, in file order.

        ``projection`` may be applied (an optimisation); callers project again.
        """

    def count(self, where: Expression | None, exclude: set[str]) -> int:
        """How many records match (default: count a scan)."""
        return sum(len(b) for b in self.scan(where, exclude, (), 65_536))

    def can_push(self, condition: Filter) -> bool:
        """Whether ``condition`` runs in the file format's engine rather than Python."""
        return False

    def describe(self, where: Expression | None) -> str | None:
        """The native rendering of ``where`` for ``explain``."""
        return None

    def close(self) -> None:  # noqa: B027 - most readers hold nothing to release
        """Release the file."""


class SnapshotFormat(ABC):
    """A whole-file format rewritten on flush (json, parquet).

    Writes are buffered until a flush. What the store buffers for a batch of
    records is whatever :meth:`hold` returns (one item per record): by default
    the records themselves, which the core copied on the way in
    (``copies_on_write``); a format may instead encode them at once (parquet
    holds Arrow rows), so nothing needs copying and the buffer stays compact.
    """

    name: str
    copies_on_write: bool = True
    columnar: bool = False  # hold() wants the batch's columns (see Capabilities.columnar)

    def hold(self, records: list[Record]) -> list[Any]:
        """The buffered items for ``records``, in order; raise before buffering anything."""
        return records

    def fetch(self, held: list[Any]) -> list[Record]:
        """Fresh records for buffered items, in order."""
        return [r.copy() for r in held]

    @abstractmethod
    def open(self, path: Path, compression: str | None) -> SnapshotReader:
        """Open and validate an existing file; corrupt: raise SerializationError."""

    @abstractmethod
    def write(
        self,
        target: BinaryIO,
        base: SnapshotReader | None,
        drop: set[str],
        held: list[Any],
        compression: str | None,
        row_group_size: int,
    ) -> None:
        """Write ``base`` minus ids in ``drop``, then the buffered ``held`` items, to ``target``."""
