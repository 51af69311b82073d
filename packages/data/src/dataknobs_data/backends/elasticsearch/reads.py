"""Reading, I/O-free: get by id, search, scan and count as generators of :class:`EsCall`.

Paging: a page that ends within ``max_result_window`` (10,000) is one
``from``/``size`` request. Anything deeper, every stream, and a search whose
result does not fit one window, runs on a point in time with
``search_after`` over the sort keys plus the id, so pages partition the
result exactly and nothing is capped.

When a query touches paths with truncated keys (``lossy``, see
:mod:`.storage`), the first request learns it from an aggregation and the
operation re-evaluates the candidates in Python with the shared evaluator.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from dataknobs_data.backends.elasticsearch.calls import (
    Batch,
    Context,
    Cursor,
    EsCall,
    ScanStep,
    Step,
)
from dataknobs_data.backends.elasticsearch.dsl import Translation, sort_clause, translate
from dataknobs_data.backends.elasticsearch.storage import LOSSY_FIELD, decode_source, doc_id
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.query.evaluate import compile_expression, project_record, sort_records
from dataknobs_data.records import Record

__all__ = ["count", "exists_many", "fetch", "get_many", "scan", "search", "search_body"]

_HIT_PATH = "pit_id,hits.hits._source,hits.hits.sort,aggregations.lossy.doc_count"
_LOSSY_AGG = "lossy"


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def fetch(
    ctx: Context, ids: Sequence[str], *, source: bool
) -> Step[dict[str, tuple[Record | None, int, int]]]:
    """Found ids -> (record if ``source``, seq_no, primary_term), realtime, in chunks."""
    found: dict[str, tuple[Record | None, int, int]] = {}
    for chunk in _chunks(list(dict.fromkeys(ids)), ctx.id_chunk_size):
        by_doc_id = {doc_id(i): i for i in chunk}
        kwargs: dict[str, Any] = {"index": ctx.index, "ids": list(by_doc_id)}
        if not source:  # the stored _source holds only id, src, meta and lossy
            kwargs["_source"] = False
        response = yield EsCall("mget", kwargs)
        for doc in response["docs"]:
            if doc.get("found"):
                record = decode_source(doc["_source"]) if source else None
                found[by_doc_id[doc["_id"]]] = (record, doc["_seq_no"], doc["_primary_term"])
    return found


def get_many(ctx: Context, ids: list[str]) -> Step[list[Record | None]]:
    """Records for ids in input order (None where absent)."""
    found = yield from fetch(ctx, ids, source=True)
    out: list[Record | None] = []
    seen: set[str] = set()
    for rid in ids:
        hit = found.get(rid)
        if hit is None:
            out.append(None)
        elif rid in seen:  # a repeated id gets its own record object
            again = hit[0]
            assert again is not None
            out.append(Record._trusted(dict(again.data), rid, dict(again.metadata)))
        else:
            seen.add(rid)
            out.append(hit[0])
    return out


def exists_many(ctx: Context, ids: list[str]) -> Step[list[bool]]:
    """Whether each id exists."""
    found = yield from fetch(ctx, ids, source=False)
    return [rid in found for rid in ids]


def _lossy_paths(native: NativeQuery, translation: Translation) -> list[str]:
    return sorted({*translation.lossy_paths, *(spec.field for spec in native.sort)})


def search_body(native: NativeQuery) -> dict[str, Any]:
    """The request body (without paging) of a native query; also what ``explain`` shows."""
    translation = translate(native.where)
    body: dict[str, Any] = {"query": translation.query, "sort": sort_clause(native.sort)}
    paths = _lossy_paths(native, translation)
    if paths:
        body["aggs"] = {_LOSSY_AGG: {"filter": {"terms": {LOSSY_FIELD: paths}}}}
    return body


def _lossy_hits(response: dict[str, Any]) -> int:
    return int(response.get("aggregations", {}).get(_LOSSY_AGG, {}).get("doc_count", 0))


def _hits(response: dict[str, Any]) -> list[dict[str, Any]]:
    hits: list[dict[str, Any]] = response.get("hits", {}).get("hits", [])
    return hits


def _records(hits: list[dict[str, Any]], native: NativeQuery) -> list[Record]:
    return _projected([decode_source(hit["_source"]) for hit in hits], native)


def _page(
    ctx: Context, body: dict[str, Any], size: int, after: list[Any] | None, cursor: Cursor
) -> Step[dict[str, Any]]:
    """One page on the cursor's point in time (opened on first use)."""
    if cursor.pit_id is None:
        opened = yield EsCall(
            "open_point_in_time", {"index": ctx.index, "keep_alive": ctx.keep_alive}
        )
        cursor.pit_id = opened["id"]
    request = dict(body, size=size, pit={"id": cursor.pit_id, "keep_alive": ctx.keep_alive})
    request["track_total_hits"] = False
    if after is not None:
        request["search_after"] = after
    response: dict[str, Any] = yield EsCall("search", dict(request, filter_path=_HIT_PATH))
    cursor.pit_id = response.get("pit_id", cursor.pit_id)
    return response


def _release(cursor: Cursor) -> Step[None]:
    call = cursor.close_call()
    if call is not None:
        yield call


def _in_python(ctx: Context, native: NativeQuery, cursor: Cursor) -> Step[list[Record]]:
    """Evaluate in Python: every candidate the DSL admits, then the shared evaluator."""
    body = {"query": translate(native.where).query, "sort": sort_clause(())}
    yield from _release(cursor)
    records: list[Record] = []
    after = None
    while True:
        response = yield from _page(ctx, body, ctx.window, after, cursor)
        hits = _hits(response)
        records.extend(decode_source(hit["_source"]) for hit in hits)
        if len(hits) < ctx.window:
            break
        after = hits[-1]["sort"]
    yield from _release(cursor)
    predicate = compile_expression(native.where)
    records = [r for r in records if predicate(r.data)]
    if native.sort:
        sort_records(records, native.sort)
    end = None if native.limit is None else native.offset + native.limit
    return _projected(records[native.offset : end], native)


def _projected(records: list[Record], native: NativeQuery) -> list[Record]:
    if native.projection is None:
        return records
    names = native.projection
    return [project_record(r, names) for r in records]


def _shallow(ctx: Context, native: NativeQuery, size: int) -> Step[dict[str, Any]]:
    body = dict(search_body(native), size=size, track_total_hits=False)
    if native.offset:
        body["from_"] = native.offset
    response: dict[str, Any] = yield EsCall(
        "search", dict(body, index=ctx.index, filter_path=_HIT_PATH)
    )
    return response


def scan(ctx: Context, native: NativeQuery, batch_size: int, cursor: Cursor) -> ScanStep:
    """Yield :class:`Batch` es of at most ``batch_size`` matching records, in order."""
    limit = native.limit
    if limit == 0:
        return
    end = None if limit is None else native.offset + limit
    if limit is not None and end is not None and end <= ctx.window and limit <= batch_size:
        response = yield from _shallow(ctx, native, limit)
        if _lossy_hits(response):
            records = yield from _in_python(ctx, native, cursor)
            yield Batch(records)
            return
        yield Batch(_records(_hits(response), native))
        return
    yield from _pages(ctx, native, batch_size, cursor, after=None)


def _pages(
    ctx: Context,
    native: NativeQuery,
    batch_size: int,
    cursor: Cursor,
    *,
    after: list[Any] | None,
) -> ScanStep:
    """Page on a point in time with ``search_after`` (from ``after`` when given).

    Without ``after``, the first request also checks for lossy keys; with it,
    the caller has checked already.
    """
    body = search_body(native)
    page_size = min(batch_size, ctx.window)
    skip, left = native.offset, native.limit
    check = after is None
    while True:
        skipping = skip > 0
        size = min(skip, ctx.window) if skipping else page_size
        if not skipping and left is not None:
            size = min(size, left)
        request = dict(body, _source=False) if skipping else body
        if not check:
            request = {k: v for k, v in request.items() if k != "aggs"}
        response = yield from _page(ctx, request, size, after, cursor)
        if check and _lossy_hits(response):
            records = yield from _in_python(ctx, native, cursor)
            for start in range(0, len(records), batch_size):
                yield Batch(records[start : start + batch_size])
            return
        check = False
        hits = _hits(response)
        if skipping:
            skip -= len(hits)
        elif hits:
            yield Batch(_records(hits, native))
            if left is not None:
                left -= len(hits)
        if len(hits) < size or left == 0:
            break
        after = hits[-1]["sort"]
    yield from _release(cursor)


def search(ctx: Context, native: NativeQuery, cursor: Cursor) -> Step[list[Record]]:
    """Every matching record: one request when the result fits a window, else pages.

    A result larger than one window continues on a point in time after the
    first page's last sort values (the order is total, so nothing repeats).
    """
    limit = native.limit
    if limit == 0:
        return []
    end = None if limit is None else native.offset + limit
    if end is not None and end <= ctx.window:
        response = yield from _shallow(ctx, native, limit or 0)
    elif native.offset == 0 and limit is None:
        response = yield from _shallow(ctx, native, ctx.window)
    else:
        return (yield from _collect(_pages(ctx, native, ctx.window, cursor, after=None)))
    if _lossy_hits(response):
        return (yield from _in_python(ctx, native, cursor))
    hits = _hits(response)
    records = _records(hits, native)
    if end is None and len(hits) >= ctx.window:
        more = _pages(ctx, native, ctx.window, cursor, after=hits[-1]["sort"])
        records.extend((yield from _collect(more)))
    return records


def _collect(steps: ScanStep) -> Generator[EsCall, Any, list[Record]]:
    out: list[Record] = []
    try:
        item = next(steps)
        while True:
            if isinstance(item, Batch):
                out.extend(item.records)
                item = next(steps)
            else:
                item = steps.send((yield item))
    except StopIteration:
        return out


def count(ctx: Context, native: NativeQuery, cursor: Cursor) -> Step[int]:
    """How many records match: ``_count``, or a size-0 search that also checks lossy keys."""
    translation = translate(native.where)
    if not translation.lossy_paths:
        response = yield EsCall("count", {"index": ctx.index, "query": translation.query})
        return int(response["count"])
    body = search_body(NativeQuery(where=native.where))
    response = yield EsCall(
        "search",
        dict(body, index=ctx.index, size=0, track_total_hits=True, sort=None),
    )
    if _lossy_hits(response):
        records = yield from _in_python(ctx, NativeQuery(where=native.where), cursor)
        return len(records)
    return int(response["hits"]["total"]["value"])
