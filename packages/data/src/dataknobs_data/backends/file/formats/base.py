"""The two format interfaces and the error every format raises for a damaged file."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dataknobs_data.backends.file.compression import DECOMPRESSION_ERRORS
from dataknobs_data.errors import SerializationError
from dataknobs_data.query.filters import Expression, Filter
from dataknobs_data.records import Record

__all__ = [
    "Cursor",
    "LogEntry",
    "LogFormat",
    "SnapshotFormat",
    "SnapshotReader",
    "WriteBuffer",
    "corrupt",
]

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


class WriteBuffer:
    """A snapshot store's buffered writes between two flushes.

    The store keeps, per buffered id, the item :meth:`hold` gave for its record.
    This default holds the records themselves, which the core copied on the way
    in (``SnapshotFormat.copies_on_write``). A format may hold something more
    compact (parquet encodes each batch to Arrow at once and holds row numbers:
    plain ints, so a large buffer adds nothing for the garbage collector to walk).
    A flush starts a new buffer; a scan that took its snapshot earlier keeps
    reading the old one.
    """

    def hold(self, records: list[Record]) -> Sequence[Any]:
        """The items to keep for ``records``, in order; raise before keeping anything."""
        return records

    def fetch(self, held: Sequence[Any]) -> list[Record]:
        """Fresh records for held items, in order."""
        return [r.copy() for r in held]


class SnapshotFormat(ABC):
    """A whole-file format rewritten on flush (json, parquet); writes are buffered between."""

    name: str
    copies_on_write: bool = True  # the default WriteBuffer keeps the records it gets
    columnar: bool = False  # its buffer wants a batch's columns (see Capabilities.columnar)

    def buffer(self) -> WriteBuffer:
        """An empty buffer for a store's writes until its next flush."""
        return WriteBuffer()

    @abstractmethod
    def open(self, path: Path, compression: str | None) -> SnapshotReader:
        """Open and validate an existing file; corrupt: raise SerializationError."""

    @abstractmethod
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
        """Write ``base`` minus ids in ``drop``, then the ``held`` items of ``buffer``."""
