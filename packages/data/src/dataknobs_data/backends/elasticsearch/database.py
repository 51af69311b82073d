"""ElasticsearchDatabase and AsyncElasticsearchDatabase: thin faces that send requests.

Everything else — the mapping, document encoding, query DSL, paging, bulk
chunking and rollback — lives in the I/O-free modules and is shared. A face
runs an operation (a generator of :class:`~.calls.EsCall`) by sending each
call with its client and handing back the response body.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar, TypeVar

from elasticsearch import AsyncElasticsearch, Elasticsearch

from dataknobs_data.backends.elasticsearch import reads, writes
from dataknobs_data.backends.elasticsearch.calls import (
    Batch,
    Context,
    Cursor,
    EsCall,
    ScanStep,
    Step,
)
from dataknobs_data.backends.elasticsearch.client import (
    async_node_class,
    client_kwargs,
    translate_error,
)
from dataknobs_data.backends.elasticsearch.dsl import can_translate, render
from dataknobs_data.backends.elasticsearch.options import ElasticsearchOptions
from dataknobs_data.backends.elasticsearch.storage import index_body
from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.query.filters import Filter
from dataknobs_data.records import Record

__all__ = ["AsyncElasticsearchDatabase", "ElasticsearchDatabase"]

T = TypeVar("T")

ELASTICSEARCH_CAPABILITIES = Capabilities(name="elasticsearch", max_batch_size=100_000)


class _ElasticsearchShared:
    """What both faces share: options, capabilities, the index description."""

    options_class: ClassVar[type[Any]] = ElasticsearchOptions
    backend_name: ClassVar[str] = "elasticsearch"
    options: ElasticsearchOptions

    @property
    def capabilities(self) -> Capabilities:
        """Every operator, Or/Not, dotted paths, sort, paging, projection and count."""
        return ELASTICSEARCH_CAPABILITIES

    def _can_push(self, condition: Filter) -> bool:
        return can_translate(condition)

    def _native_text(self, native: NativeQuery) -> str | None:
        body = reads.search_body(native)
        if native.offset:
            body["from"] = native.offset
        if native.limit is not None:
            body["size"] = native.limit
        return render(body)

    @property
    def _context(self) -> Context:
        o = self.options
        return Context(
            index=o.index,
            refresh=o.refresh,
            bulk_chunk_size=o.bulk_chunk_size,
            bulk_max_bytes=o.bulk_max_bytes,
            id_chunk_size=o.id_chunk_size,
            keep_alive=o.keep_alive,
        )

    @property
    def _index_body(self) -> dict[str, Any]:
        o = self.options
        return index_body(
            shards=o.shards, replicas=o.replicas, total_fields_limit=o.total_fields_limit
        )


def _method(client: Any, call: EsCall) -> Any:
    target = client.options(ignore_status=call.ignore_status) if call.ignore_status else client
    for part in call.api.split("."):
        target = getattr(target, part)
    return target


class ElasticsearchDatabase(_ElasticsearchShared, Database):
    """Records in an Elasticsearch index, through the synchronous client.

    Example:
        >>> db = ElasticsearchDatabase(hosts=["http://localhost:9200"], index="people")
        >>> db.options.refresh
        True
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._client: Elasticsearch | None = None
        self._ctx = self._context

    def _send(self, call: EsCall) -> Any:
        assert self._client is not None
        try:
            return _method(self._client, call)(**call.kwargs).body
        except Exception as exc:
            raise translate_error(exc, call, self.options) from None

    def _drive(self, step: Step[T]) -> T:
        try:
            call = next(step)
            while True:
                call = step.send(self._send(call))
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    def _connect(self) -> None:
        self._client = Elasticsearch(**client_kwargs(self.options))
        try:
            self._drive(writes.ensure_index(self._ctx, self._index_body))
        except BaseException:
            self._client.close()
            self._client = None
            raise

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def refresh(self) -> None:
        """Make every write so far visible to search and count (for ``refresh=False``)."""
        if not self._connected:
            self.connect()
        self._drive(writes.refresh(self._ctx))

    def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._drive(reads.get_many(self._ctx, ids))

    def _exists_many(self, ids: list[str]) -> list[bool]:
        return self._drive(reads.exists_many(self._ctx, ids))

    def _insert_many(self, records: list[Record]) -> None:
        self._drive(writes.insert_many(self._ctx, records))

    def _update_many(self, records: list[Record]) -> list[bool]:
        return self._drive(writes.update_many(self._ctx, records))

    def _upsert_many(self, records: list[Record]) -> None:
        self._drive(writes.upsert_many(self._ctx, records))

    def _delete_many(self, ids: list[str]) -> list[bool]:
        return self._drive(writes.delete_many(self._ctx, ids))

    def _clear(self) -> int:
        return self._drive(writes.clear(self._ctx, self._index_body))

    def _count(self, native: NativeQuery) -> int:
        cursor = Cursor()
        try:
            return self._drive(reads.count(self._ctx, native, cursor))
        finally:
            self._release(cursor)

    def _search(self, native: NativeQuery) -> list[Record]:
        cursor = Cursor()
        try:
            return self._drive(reads.search(self._ctx, native, cursor))
        finally:
            self._release(cursor)

    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        cursor = Cursor()
        steps: ScanStep = reads.scan(self._ctx, native, batch_size, cursor)
        try:
            item = next(steps)
            while True:
                if isinstance(item, Batch):
                    yield item.records
                    item = next(steps)
                else:
                    item = steps.send(self._send(item))
        except StopIteration:
            return
        finally:
            steps.close()
            self._release(cursor)

    def _release(self, cursor: Cursor) -> None:
        call = cursor.close_call()
        if call is not None and self._client is not None:
            with contextlib.suppress(Exception):  # the point in time expires by itself
                self._send(call)


class AsyncElasticsearchDatabase(_ElasticsearchShared, AsyncDatabase):
    """The asynchronous face of :class:`ElasticsearchDatabase` (``AsyncElasticsearch``)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._client: AsyncElasticsearch | None = None
        self._ctx = self._context

    async def _send(self, call: EsCall) -> Any:
        assert self._client is not None
        try:
            return (await _method(self._client, call)(**call.kwargs)).body
        except Exception as exc:
            raise translate_error(exc, call, self.options) from None

    async def _drive(self, step: Step[T]) -> T:
        try:
            call = next(step)
            while True:
                call = step.send(await self._send(call))
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    async def _connect(self) -> None:
        self._client = AsyncElasticsearch(
            **client_kwargs(self.options), node_class=async_node_class()
        )
        try:
            await self._drive(writes.ensure_index(self._ctx, self._index_body))
        except BaseException:
            await self._client.close()
            self._client = None
            raise

    async def _close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def refresh(self) -> None:
        """Make every write so far visible to search and count (for ``refresh=False``)."""
        if not self._connected:
            await self.connect()
        await self._drive(writes.refresh(self._ctx))

    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        return await self._drive(reads.get_many(self._ctx, ids))

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        return await self._drive(reads.exists_many(self._ctx, ids))

    async def _insert_many(self, records: list[Record]) -> None:
        await self._drive(writes.insert_many(self._ctx, records))

    async def _update_many(self, records: list[Record]) -> list[bool]:
        return await self._drive(writes.update_many(self._ctx, records))

    async def _upsert_many(self, records: list[Record]) -> None:
        await self._drive(writes.upsert_many(self._ctx, records))

    async def _delete_many(self, ids: list[str]) -> list[bool]:
        return await self._drive(writes.delete_many(self._ctx, ids))

    async def _clear(self) -> int:
        return await self._drive(writes.clear(self._ctx, self._index_body))

    async def _count(self, native: NativeQuery) -> int:
        cursor = Cursor()
        try:
            return await self._drive(reads.count(self._ctx, native, cursor))
        finally:
            await self._release(cursor)

    async def _search(self, native: NativeQuery) -> list[Record]:
        cursor = Cursor()
        try:
            return await self._drive(reads.search(self._ctx, native, cursor))
        finally:
            await self._release(cursor)

    async def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        cursor = Cursor()
        steps: ScanStep = reads.scan(self._ctx, native, batch_size, cursor)
        try:
            item = next(steps)
            while True:
                if isinstance(item, Batch):
                    yield item.records
                    item = next(steps)
                else:
                    item = steps.send(await self._send(item))
        except StopIteration:
            return
        finally:
            steps.close()
            await self._release(cursor)

    async def _release(self, cursor: Cursor) -> None:
        call = cursor.close_call()
        if call is not None and self._client is not None:
            with contextlib.suppress(Exception):  # the point in time expires by itself
                await self._send(call)
