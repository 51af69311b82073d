"""Database operations written once, free of I/O.

Each operation is a generator that yields :class:`Call` requests for backend
primitives and receives their results; :class:`~dataknobs_data.Database`
runs it with plain calls and :class:`~dataknobs_data.AsyncDatabase` with
``await``. Validation, id assignment, batching rules and post-processing of
results therefore exist once for both faces.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import Any, TypeVar

from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.columns import Columns, columnize
from dataknobs_data.engine.planner import QueryPlan
from dataknobs_data.errors import (
    DatabaseError,
    DuplicateRecordError,
    SerializationError,
    ValidationError,
)
from dataknobs_data.progress import ProgressCallback
from dataknobs_data.query.evaluate import compile_expression, project_record, sort_records
from dataknobs_data.records import Record
from dataknobs_data.values.model import prepare_value

__all__ = [
    "Call",
    "Op",
    "PreparedRecords",
    "StreamWindow",
    "WriteResult",
    "check_id",
    "finish_search",
    "ids_of",
    "new_id",
    "prepare_record",
    "prepare_records",
]

T = TypeVar("T")

_PLAIN_TYPES = frozenset({str, int, bool, type(None), bytes, dt.date})
_PLAIN_OR_FLOAT = _PLAIN_TYPES | {float}
_ID_TYPES = frozenset({str, type(None)})
_trusted = Record._trusted
_id_of = attrgetter("id")
_metadata_of = attrgetter("metadata")


@dataclass(frozen=True)
class Call:
    """A request to run backend primitive ``method`` with ``args``."""

    method: str
    args: tuple[Any, ...] = ()


Op = Generator[Call, Any, T]


@dataclass
class WriteResult:
    """The outcome of ``stream_write``: how many were written, which failed and why."""

    written: int = 0
    failed: int = 0
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing failed."""
        return self.failed == 0


def new_id() -> str:
    """A fresh record id."""
    return uuid.uuid4().hex


def check_id(record_id: Any) -> str:
    """Return ``record_id`` if it is a valid id, else raise :class:`ValidationError`."""
    if type(record_id) is not str or not record_id:
        raise ValidationError(
            f"record id must be a non-empty string, got {record_id!r}; convert it with str()"
        )
    return record_id


def prepare_record(
    record: Record, caps: Capabilities, record_id: str | None = None, *, assign: bool = False
) -> Record:
    """Validate a record against the value model and return the record to store.

    The caller's record is never modified. Values are copied when the backend
    keeps Python objects (``caps.copies_on_write``).
    """
    if not isinstance(record, Record):
        raise ValidationError(f"expected a Record, got {type(record).__name__}")
    rid = record_id if record_id is not None else record.id
    if rid is None:
        if not assign:
            raise ValidationError("this operation needs records with ids; set record.id")
        rid = new_id()
    elif type(rid) is not str or not rid:
        check_id(rid)
    source = record.data
    if _all_plain(source):
        data = dict(source) if caps.copies_on_write else source
    else:
        data = _prepare_fields(source, caps.copies_on_write)
    metadata = record.metadata
    metadata = prepare_value(metadata, "metadata", caps.copies_on_write) if metadata else {}
    return _trusted(data, rid, metadata)


def _all_plain(source: dict[str, Any]) -> bool:
    """Every value an immutable scalar (floats finite): nothing to check or copy.

    Field names need no check: Record rejects non-string and empty names.
    """
    for value in source.values():
        tp = type(value)
        if tp not in _PLAIN_TYPES and (tp is not float or value - value != 0.0):
            return False
    return True


class PreparedRecords(list[Record]):
    """Records ready to store, as :func:`prepare_records` returns them.

    ``plain`` is True when every value is an immutable scalar (no lists,
    dicts, Decimals or datetimes) and no record has metadata, so a store may
    keep or encode the values as they are without looking at them again.
    ``columns`` holds the batch column by column when the store is columnar
    and the batch was checked that way; ``ids`` the records' ids once some
    step has listed them (see :func:`ids_of`).
    """

    plain: bool = False
    columns: Columns | None = None
    ids: list[str] | None = None


def ids_of(records: Sequence[Record]) -> list[str]:
    """The ids of prepared records (all set), listed once per batch and shared.

    The list is the batch's own: read it, do not change it.
    """
    if type(records) is PreparedRecords:
        if records.ids is None:
            records.ids = list(map(_id_of, records))
        return records.ids
    return list(map(_id_of, records))


def prepare_records(
    records: Iterable[Record], caps: Capabilities, *, assign: bool = False
) -> PreparedRecords:
    """:func:`prepare_record` for each record, fused into one pass for plain records.

    A plain record that needs no copy and already has its id is handed to the
    backend as it is (backends that do not copy only read the records they get).
    """
    copy = caps.copies_on_write
    if caps.columnar and not copy:
        batch = records if type(records) is list else list(records)
        columnar = _prepare_plain_columns(batch, assign)
        if columnar is not None:
            return columnar
        records = batch
    out = PreparedRecords()
    append = out.append
    plain = True
    for record in records:
        # The common case inline: a Record of plain values without metadata, whose
        # id is valid or may be assigned. Anything else takes prepare_record.
        if type(record) is Record and not record.metadata and _all_plain(data := record._data):
            rid = record.id
            valid = type(rid) is str and rid
            if valid and not copy:
                append(record)  # nothing to check, copy or assign: the backend only reads it
                continue
            if valid or (rid is None and assign):
                append(_trusted(dict(data) if copy else data, rid or new_id(), {}))
                continue
        plain = False
        append(prepare_record(record, caps, assign=assign))
    out.plain = plain
    return out


def _prepare_plain_columns(batch: list[Record], assign: bool) -> PreparedRecords | None:
    """The batch checked column by column when all its values are plain, else None.

    The same checks as :func:`_all_plain` per record, at C speed per column: every
    column's value types are plain scalars and its floats sum to a finite number
    (inf and nan propagate through a sum). None sends the batch record by record.
    """
    if not batch or set(map(type, batch)) != {Record} or any(map(_metadata_of, batch)):
        return None
    ids = list(map(_id_of, batch))
    id_types = set(map(type, ids))
    if not id_types <= _ID_TYPES or "" in ids:
        return None
    if type(None) in id_types:
        if not assign:
            return None
        batch = [r if r.id is not None else _trusted(r._data, new_id(), {}) for r in batch]
        ids = list(map(_id_of, batch))
    columns = columnize(batch, ids=ids)
    for name in columns.names:
        types = columns.types(name)
        if not types <= _PLAIN_OR_FLOAT:
            return None
        if float in types:
            values = columns.values[name]
            if len(types) > 1:
                values = list(compress(values, map(is_, map(type, values), repeat(float))))
            total = sum(values)
            if total - total != 0.0:
                return None
    out = PreparedRecords(batch)
    out.plain = True
    out.columns = columns
    out.ids = ids
    return out


def _prepare_fields(source: dict[str, Any], copy: bool) -> dict[str, Any]:
    data = {}
    for name, value in source.items():
        if type(name) is not str or not name:
            raise ValidationError(f"field names must be non-empty strings, got {name!r}")
        data[name] = prepare_value(value, name, copy)
    return data


def _reject_duplicate_ids(records: Sequence[Record]) -> None:
    ids = ids_of(records)
    if len(set(ids)) == len(ids):
        return
    seen: set[str | None] = set()
    dupes: list[str] = []
    for rec in records:
        assert rec.id is not None
        if rec.id in seen:
            dupes.append(rec.id)
        seen.add(rec.id)
    if dupes:
        raise DuplicateRecordError(dupes, f"ids appear more than once in one batch: {dupes[:5]}")


# -- single records -------------------------------------------------------------


def create(caps: Capabilities, record: Record) -> Op[str]:
    """Insert one record; DuplicateRecordError if its id exists."""
    prepared = prepare_record(record, caps, assign=True)
    yield Call("_insert_many", ([prepared],))
    assert prepared.id is not None
    return prepared.id


def exists(record_id: str) -> Op[bool]:
    """Tell whether a record exists."""
    found = yield Call("_exists_many", ([check_id(record_id)],))
    return bool(found[0])


def update(caps: Capabilities, record_id: str, record: Record) -> Op[bool]:
    """Replace a record's data; False when the id does not exist."""
    prepared = prepare_record(record, caps, check_id(record_id))
    done = yield Call("_update_many", ([prepared],))
    return bool(done[0])


def upsert(caps: Capabilities, record: Record) -> Op[str]:
    """Insert or replace by ``record.id`` (assigned when absent)."""
    prepared = prepare_record(record, caps, assign=True)
    yield Call("_upsert_many", ([prepared],))
    assert prepared.id is not None
    return prepared.id


def delete(record_id: str) -> Op[bool]:
    """Delete by id; False when it did not exist."""
    done = yield Call("_delete_many", ([check_id(record_id)],))
    return bool(done[0])


# -- batches --------------------------------------------------------------------


def create_batch(caps: Capabilities, records: Iterable[Record]) -> Op[list[str]]:
    """Insert all records or none; ids in input order."""
    prepared = prepare_records(records, caps, assign=True)
    _reject_duplicate_ids(prepared)
    if prepared:
        yield Call("_insert_many", (prepared,))
    return list(ids_of(prepared))


def read_batch(ids: Iterable[str]) -> Op[list[Record | None]]:
    """Read many records; None for each id that does not exist, in input order."""
    checked = [check_id(i) for i in ids]
    if not checked:
        return []
    found = yield Call("_get_many", (checked,))
    records: list[Record | None] = list(found)
    if len(set(checked)) < len(checked):
        # An id asked for twice: a backend may hand back one record, or two sharing their
        # values; each repeat gets a deep copy so the results share no state.
        given: set[str] = set()
        for i, (rid, record) in enumerate(zip(checked, records, strict=True)):
            if record is not None and rid in given:
                records[i] = record.copy()
            given.add(rid)
    return records


def update_batch(caps: Capabilities, records: Iterable[Record]) -> Op[list[bool]]:
    """Replace many records; one bool per record, False for ids that do not exist."""
    prepared = prepare_records(records, caps)
    _reject_duplicate_ids(prepared)
    if not prepared:
        return []
    done = yield Call("_update_many", (prepared,))
    return [bool(d) for d in done]


def upsert_batch(caps: Capabilities, records: Iterable[Record]) -> Op[list[str]]:
    """Insert or replace many records; ids in input order."""
    prepared = prepare_records(records, caps, assign=True)
    _reject_duplicate_ids(prepared)
    if prepared:
        yield Call("_upsert_many", (prepared,))
    return list(ids_of(prepared))


def delete_batch(ids: Iterable[str]) -> Op[list[bool]]:
    """Delete many records; one bool per id."""
    checked = [check_id(i) for i in ids]
    if not checked:
        return []
    done = yield Call("_delete_many", (checked,))
    return [bool(d) for d in done]


_PER_RECORD_ERRORS = (DuplicateRecordError, ValidationError, SerializationError)


def stream_write(
    caps: Capabilities,
    records: Iterable[Record],
    batch_size: int,
    on_progress: ProgressCallback | None = None,
) -> Op[WriteResult]:
    """Create records in batches; a failing batch is retried record by record.

    Only the records that fail are left out, each named in the result with
    its error; records already stored are never touched.
    """
    if batch_size < 1:
        raise ValidationError(f"batch_size must be at least 1, got {batch_size}")
    result = WriteResult()
    position = 0
    chunk: list[tuple[int, Record]] = []
    iterator = iter(records)
    while True:
        chunk.clear()
        for rec in iterator:
            chunk.append((position, rec))
            position += 1
            if len(chunk) >= batch_size:
                break
        if not chunk:
            return result
        try:
            ids = yield from create_batch(caps, [r for _, r in chunk])
        except _PER_RECORD_ERRORS:
            for index, rec in chunk:
                try:
                    rid = yield from create(caps, rec)
                except _PER_RECORD_ERRORS as exc:
                    result.failed += 1
                    result.errors.append((index, rec.id, f"{type(exc).__name__}: {exc}"))
                else:
                    result.written += 1
                    result.ids.append(rid)
        else:
            result.written += len(ids)
            result.ids.extend(ids)
        if on_progress is not None:
            on_progress(result.written + result.failed, None)


# -- queries --------------------------------------------------------------------


def finish_search(plan: QueryPlan, records: list[Record]) -> list[Record]:
    """Apply a plan's Python part (residual, sort, paging, projection) to native results."""
    if plan.residual is not None:
        predicate = compile_expression(plan.residual)
        records = [r for r in records if predicate(r.data)]
    if plan.python_sort:
        sort_records(records, plan.python_sort)
    if plan.python_offset or plan.python_limit is not None:
        end = None if plan.python_limit is None else plan.python_offset + plan.python_limit
        records = records[plan.python_offset : end]
    if plan.python_projection is not None:
        names = plan.python_projection
        records = [project_record(r, names) for r in records]
    return records


class StreamWindow:
    """Applies a plan's residual, paging and projection to a stream of batches."""

    def __init__(self, plan: QueryPlan) -> None:
        if plan.python_sort:
            raise DatabaseError("StreamWindow cannot sort; collect and sort first")
        self._predicate = compile_expression(plan.residual) if plan.residual is not None else None
        self._skip = plan.python_offset
        self._left = plan.python_limit
        self._projection = plan.python_projection

    @property
    def done(self) -> bool:
        """The limit is reached; no more batches are needed."""
        return self._left is not None and self._left <= 0

    def process(self, batch: list[Record]) -> list[Record]:
        """Return the records of ``batch`` that belong to the result."""
        if self._predicate is not None:
            predicate = self._predicate
            batch = [r for r in batch if predicate(r.data)]
        if self._skip:
            dropped = min(self._skip, len(batch))
            batch = batch[dropped:]
            self._skip -= dropped
        if self._left is not None:
            batch = batch[: self._left]
            self._left -= len(batch)
        if self._projection is not None:
            names = self._projection
            batch = [project_record(r, names) for r in batch]
        return batch
