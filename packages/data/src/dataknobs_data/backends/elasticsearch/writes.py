"""Writing, I/O-free: bulk requests in chunks, per-item outcomes and rollback.

Batch guarantee: a batch write is all or nothing as far as this backend can
make it so without transactions. Every document is encoded before anything
is sent (a value that cannot be stored fails the batch up front); creating
checks the ids first (``mget``) and raises :class:`DuplicateRecordError`
naming every id that exists; if some items of the ``_bulk`` requests still
fail, the items that succeeded are undone (created documents deleted,
replaced ones restored from the versions read before the write) and an error
names each failed record and why. Concurrent readers may see the batch
half-written for the time between the write and the rollback, and a crash in
between leaves it half-written. Deletes are not rolled back: a delete batch
with failures raises an error naming them, the other deletes stay applied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dataknobs_data.backends.elasticsearch.calls import Context, EsCall, Step
from dataknobs_data.backends.elasticsearch.reads import fetch
from dataknobs_data.backends.elasticsearch.storage import (
    MAPPING_MARKER,
    doc_id,
    encode_document,
)
from dataknobs_data.errors import (
    ConfigurationError,
    DatabaseError,
    DuplicateRecordError,
    SerializationError,
)
from dataknobs_data.records import Record

__all__ = [
    "clear",
    "delete_many",
    "ensure_index",
    "insert_many",
    "refresh",
    "update_many",
    "upsert_many",
]

_BULK_PATH = "errors,items.*.status,items.*.result,items.*.error.type,items.*.error.reason"
_CONFLICT = 409


@dataclass(frozen=True)
class _Item:
    key: str  # the record id (or the document _id when clearing)
    lines: bytes


@dataclass
class _Outcome:
    done: list[str] = field(default_factory=list)
    results: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str, int, str]] = field(default_factory=list)


def _action(kind: str, record_id: str, **extra: Any) -> bytes:
    meta = {"_id": doc_id(record_id), **extra}
    return json.dumps({kind: meta}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _write_item(kind: str, record: Record, **extra: Any) -> _Item:
    assert record.id is not None
    return _Item(record.id, _action(kind, record.id, **extra) + encode_document(record) + b"\n")


def _delete_item(record_id: str) -> _Item:
    return _Item(record_id, _action("delete", record_id))


def _chunks(ctx: Context, items: Sequence[_Item]) -> list[list[_Item]]:
    chunks: list[list[_Item]] = []
    current: list[_Item] = []
    size = 0
    for item in items:
        if current and (
            len(current) >= ctx.bulk_chunk_size or size + len(item.lines) > ctx.bulk_max_bytes
        ):
            chunks.append(current)
            current, size = [], 0
        current.append(item)
        size += len(item.lines)
    if current:
        chunks.append(current)
    return chunks


def _bulk_call(ctx: Context, chunk: Sequence[_Item], *, refresh: bool) -> EsCall:
    """One ``_bulk`` request carrying ``chunk``'s lines (``refresh``: visible on return)."""
    kwargs: dict[str, Any] = {
        "index": ctx.index,
        "operations": b"".join(item.lines for item in chunk),
        "filter_path": _BULK_PATH,
    }
    if refresh:
        kwargs["refresh"] = True
    return EsCall("bulk", kwargs)


def _bulk(ctx: Context, items: Sequence[_Item]) -> Step[_Outcome]:
    """Send items in chunks; refresh once at the end when the options ask for it."""
    outcome = _Outcome()
    chunks = _chunks(ctx, items)
    inline_refresh = ctx.refresh and len(chunks) == 1
    for chunk in chunks:
        response = yield _bulk_call(ctx, chunk, refresh=inline_refresh)
        for item, result in zip(chunk, response["items"], strict=True):
            detail = next(iter(result.values()))
            status = int(detail.get("status", 200))
            error = detail.get("error")
            if (error is None and status < 300) or detail.get("result") == "not_found":
                outcome.done.append(item.key)
                outcome.results[item.key] = detail.get("result", "")
            else:
                reason = f"{error.get('type')}: {error.get('reason')}" if error else str(status)
                outcome.failures.append((item.key, status, reason))
    if ctx.refresh and chunks and not inline_refresh:
        yield from refresh(ctx)
    return outcome


def refresh(ctx: Context) -> Step[None]:
    """Make every write so far visible to search and count."""
    yield EsCall("indices.refresh", {"index": ctx.index})


def _failure(
    what: str, failures: list[tuple[str, int, str]], *, rolled_back: bool = True
) -> DatabaseError:
    ids = [rid for rid, _, _ in failures]
    if all(status == _CONFLICT for _, status, _ in failures):
        return DuplicateRecordError(ids)
    shown = "; ".join(f"{rid!r}: {reason}" for rid, _, reason in failures[:5])
    more = f" and {len(failures) - 5} more" if len(failures) > 5 else ""
    outcome = (
        "so none of the batch was kept" if rolled_back else "the rest of the batch was applied"
    )
    message = f"Elasticsearch rejected {len(failures)} record(s) of the {what}, {outcome}: "
    message += f"{shown}{more}"
    if all(400 <= status < 500 for _, status, _ in failures):
        return SerializationError(message)
    return DatabaseError(message)


def _undo(
    ctx: Context, done: Iterable[str], previous: dict[str, tuple[Record | None, int, int]]
) -> Step[None]:
    items = []
    for rid in done:
        old = previous.get(rid)
        items.append(_delete_item(rid) if old is None else _write_item("index", _present(old[0])))
    if items:
        yield from _bulk(ctx, items)


def _present(record: Record | None) -> Record:
    assert record is not None
    return record


def insert_many(ctx: Context, records: list[Record]) -> Step[None]:
    """Create all records or none; DuplicateRecordError names every id that exists."""
    items = [_write_item("create", r) for r in records]
    existing = yield from fetch(ctx, [item.key for item in items], source=False)
    if existing:
        raise DuplicateRecordError([item.key for item in items if item.key in existing])
    outcome = yield from _bulk(ctx, items)
    if outcome.failures:
        yield from _undo(ctx, outcome.done, {})
        raise _failure("batch", outcome.failures)


def update_many(ctx: Context, records: list[Record]) -> Step[list[bool]]:
    """Replace the records that exist (False for the others); all or nothing."""
    ids = [r.id for r in records if r.id is not None]
    current = yield from fetch(ctx, ids, source=True)
    items = []
    for record in records:
        found = current.get(str(record.id))
        if found is not None:
            _, seq_no, term = found
            items.append(_write_item("index", record, if_seq_no=seq_no, if_primary_term=term))
    outcome = yield from _bulk(ctx, items)
    if outcome.failures:
        yield from _undo(ctx, outcome.done, current)
        if all(status == _CONFLICT for _, status, _ in outcome.failures):
            ids_text = ", ".join(repr(rid) for rid, _, _ in outcome.failures[:5])
            raise DatabaseError(
                f"records changed or were deleted while being updated ({ids_text}); "
                "nothing of the batch was kept, retry it"
            )
        raise _failure("update", outcome.failures)
    return [record.id in current for record in records]


def upsert_many(ctx: Context, records: list[Record]) -> Step[None]:
    """Insert or replace every record; all or nothing."""
    items = [_write_item("index", r) for r in records]
    current = yield from fetch(ctx, [item.key for item in items], source=True)
    outcome = yield from _bulk(ctx, items)
    if outcome.failures:
        yield from _undo(ctx, outcome.done, current)
        raise _failure("upsert", outcome.failures)


def delete_many(ctx: Context, ids: list[str]) -> Step[list[bool]]:
    """Delete by id; False for ids that did not exist."""
    items = [_delete_item(rid) for rid in ids]
    outcome = _Outcome()
    chunks = _chunks(ctx, items)
    inline_refresh = ctx.refresh and len(chunks) == 1
    for chunk in chunks:  # one id may repeat: keep one result per position
        part = yield from _bulk_positions(ctx, chunk, refresh=inline_refresh)
        outcome.done.extend(part.done)
        outcome.failures.extend(part.failures)
    if ctx.refresh and chunks and not inline_refresh:
        yield from refresh(ctx)
    if outcome.failures:
        raise _failure("delete", outcome.failures, rolled_back=False)
    return [result == "deleted" for result in outcome.done]


def _bulk_positions(ctx: Context, chunk: list[_Item], *, refresh: bool = False) -> Step[_Outcome]:
    response = yield _bulk_call(ctx, chunk, refresh=refresh)
    outcome = _Outcome()
    for item, result in zip(chunk, response["items"], strict=True):
        detail = next(iter(result.values()))
        outcome_result = detail.get("result")
        if outcome_result in ("deleted", "not_found"):
            outcome.done.append(outcome_result)
        else:
            error = detail.get("error") or {}
            reason = f"{error.get('type')}: {error.get('reason')}"
            outcome.failures.append((item.key, int(detail.get("status", 500)), reason))
    return outcome


def clear(ctx: Context, index_body: dict[str, Any]) -> Step[int]:
    """Remove every record; small indexes by id, large ones by recreating the index."""
    counted = yield EsCall("count", {"index": ctx.index}, ignore_status=(404,))
    if "error" in counted:  # the index is gone: nothing to remove
        return 0
    total = int(counted["count"])
    if total == 0:
        return 0
    if total <= ctx.window:
        response = yield EsCall(
            "search",
            {
                "index": ctx.index,
                "size": ctx.window,
                "_source": False,
                "track_total_hits": False,
                "filter_path": "hits.hits._id",
            },
        )
        keys = [hit["_id"] for hit in response.get("hits", {}).get("hits", [])]
        items = [_Item(key, _raw_delete(key)) for key in keys]
        for chunk in _chunks(ctx, items):
            yield from _bulk_positions(ctx, chunk)
        yield from refresh(ctx)
        return len(keys)
    yield EsCall("indices.delete", {"index": ctx.index}, ignore_status=(404,))
    yield from ensure_index(ctx, index_body)
    return total


def _raw_delete(key: str) -> bytes:
    return json.dumps({"delete": {"_id": key}}, ensure_ascii=False).encode() + b"\n"


def ensure_index(ctx: Context, index_body: dict[str, Any]) -> Step[None]:
    """Create the index with its mapping, or check that an existing one is ours."""
    for _attempt in range(2):
        response = yield EsCall("indices.get_mapping", {"index": ctx.index}, ignore_status=(404,))
        if "error" not in response:
            _check_mapping(ctx, response)
            return
        created = yield EsCall(
            "indices.create", {"index": ctx.index, **index_body}, ignore_status=(400,)
        )
        error = created.get("error")
        if not error:
            return
        if error.get("type") != "resource_already_exists_exception":
            raise ConfigurationError(
                f"cannot create Elasticsearch index {ctx.index!r}: "
                f"{error.get('type')}: {error.get('reason')}"
            )
    raise DatabaseError(f"Elasticsearch index {ctx.index!r} could not be created or read")


def _check_mapping(ctx: Context, response: dict[str, Any]) -> None:
    for mapping in response.values():
        marker = mapping.get("mappings", {}).get("_meta", {}).get("dataknobs")
        if marker != MAPPING_MARKER:
            raise ConfigurationError(
                f"Elasticsearch index {ctx.index!r} exists but was not created by the "
                "dataknobs backend (its mapping has no dataknobs marker); choose another "
                "index name or delete that index"
            )
