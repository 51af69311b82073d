"""What the two stores share: the interface the database faces call, and paging."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from dataknobs_data.codec import decode_json_data, decode_json_value
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.engine.store import BlockingStore
from dataknobs_data.errors import SerializationError
from dataknobs_data.query.evaluate import project_record
from dataknobs_data.query.filters import Filter
from dataknobs_data.records import Record

__all__ = ["FILE_CAPABILITIES", "FileStore", "decode_record", "window"]

# Filters run inside the store (the shared evaluator while streaming, or Arrow
# for parquet); sorting is left to the core, which collects and sorts.
FILE_CAPABILITIES = Capabilities(name="file", sort=False, max_batch_size=100_000)


def decode_record(record_id: str, data: dict[str, Any], metadata: Any, where: str) -> Record:
    """Build a record from tagged JSON (``data`` freshly parsed, so it may be kept).

    A malformed value names ``where`` it was.
    """
    try:
        decoded = decode_json_data(data)
        meta = decode_json_value(metadata) if metadata else {}
    except SerializationError as exc:
        raise SerializationError(f"{where}: {exc}") from None
    return Record._trusted(decoded, record_id, meta)


def window(
    batches: Iterator[list[Record]], native: NativeQuery, batch_size: int
) -> Iterator[list[Record]]:
    """Apply ``native``'s offset, limit and projection to filtered batches."""
    skip = native.offset
    left = native.limit
    names = native.projection
    if left is not None and left <= 0:
        return
    for batch in batches:
        if skip:
            dropped = min(skip, len(batch))
            batch = batch[dropped:]
            skip -= dropped
        if left is not None:
            batch = batch[:left]
            left -= len(batch)
        if names is not None:
            batch = [project_record(r, names) for r in batch]
        for start in range(0, len(batch), batch_size):
            yield batch[start : start + batch_size]
        if left is not None and left <= 0:
            return


def unpaged(native: NativeQuery) -> NativeQuery:
    """``native`` without offset, limit and projection."""
    return replace(native, offset=0, limit=None, projection=None)


class FileStore(BlockingStore, ABC):
    """The primitives of one data file, shared by the sync and async faces."""

    capabilities: Capabilities = FILE_CAPABILITIES

    @abstractmethod
    def open(self) -> None:
        """Validate the file (a damaged file raises) and get ready."""

    def connect(self) -> None:
        """Open the file (the store interface's name for :meth:`open`)."""
        self.open()

    @abstractmethod
    def close(self) -> None:
        """Flush, compact if due, release the file."""

    def flush(self) -> None:
        """Make buffered writes durable (snapshot formats); no-op for logs."""

    @abstractmethod
    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Records by id, in order."""

    @abstractmethod
    def exists_many(self, ids: list[str]) -> list[bool]:
        """Whether each id exists."""

    @abstractmethod
    def insert_many(self, records: list[Record]) -> None:
        """Insert all or none."""

    @abstractmethod
    def update_many(self, records: list[Record]) -> list[bool]:
        """Replace existing records."""

    @abstractmethod
    def upsert_many(self, records: list[Record]) -> None:
        """Insert or replace."""

    @abstractmethod
    def delete_many(self, ids: list[str]) -> list[bool]:
        """Delete by id."""

    @abstractmethod
    def clear(self) -> int:
        """Remove everything; return how many records there were."""

    @abstractmethod
    def scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        """Batches of matching records (filter, paging and projection applied)."""

    @abstractmethod
    def count(self, native: NativeQuery) -> int:
        """How many records match ``native.where``."""

    def can_push(self, condition: Filter) -> bool:
        """Whether ``condition`` runs in the store (default: the store's evaluator does)."""
        return True

    def native_text(self, native: NativeQuery) -> str | None:
        """How the store runs ``native``, for ``explain``."""
        return None
