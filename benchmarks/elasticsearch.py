"""Elasticsearch workloads; the raw baseline is elasticsearch-py on the same index layout.

Both sides use a fresh index with the backend's mapping. The raw side is
handed the backend's documents ready-made (untimed) and only sends them:
``elasticsearch.helpers.bulk`` then one refresh for batch create (the
backend refreshes once at the end with ``refresh=True``); for search and
count it runs the very DSL the backend generates (``db.explain``), paging a
large result with ``search_after`` and decoding each ``src`` with
``json.loads``. Options: ``url=http://host:9200`` (default: start a throw-away
server with ``tests.services``).
"""

from __future__ import annotations

import atexit
import json
import uuid
from collections.abc import Iterator
from typing import Any

from elasticsearch import Elasticsearch, helpers

from benchmarks.harness import Workload, ids_for, make_people
from dataknobs_data import Query, Record
from dataknobs_data.backends.elasticsearch import ElasticsearchDatabase
from dataknobs_data.backends.elasticsearch.storage import document

_WINDOW = 10_000


def _server_url(options: dict[str, str]) -> str:
    if "url" in options:
        return options["url"]
    from tests.services.elasticsearch import ElasticsearchServer

    server = ElasticsearchServer()
    url = server.start()
    atexit.register(server.stop)
    return url


def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]:
    url = _server_url(options)
    rows = make_people(n)
    ids = list(ids_for(n))
    records = [Record(row, id=rid) for row, rid in zip(rows, ids, strict=True)]
    docs = [document(r) for r in records]
    es = Elasticsearch(url, request_timeout=120)

    class State:
        def __init__(self, load: bool) -> None:
            self.index = f"dk-bench-{uuid.uuid4().hex[:10]}"
            self.db = ElasticsearchDatabase(hosts=[url], index=self.index, replicas=0)
            self.db.connect()
            if load:
                self.db.create_batch(records)
                # Let background merges finish so both sides search the same segments.
                es.indices.forcemerge(index=self.index, max_num_segments=1)

    def empty() -> State:
        return State(load=False)

    def loaded() -> State:
        return State(load=True)

    def teardown(state: State) -> None:
        state.db.close()
        es.options(ignore_status=404).indices.delete(index=state.index)

    def raw_bulk(state: State) -> None:
        # state.index was created (untimed) by the backend: the same mapping.
        actions = ({"_index": state.index, "_id": d["id"], "_source": d} for d in docs)
        helpers.bulk(es, actions, chunk_size=1000)
        es.indices.refresh(index=state.index)

    yield Workload(
        "batch create",
        n,
        lambda s: s.db.create_batch(records),
        raw_bulk,
        setup=empty,
        teardown=teardown,
        target=0.7,
        note="raw: helpers.bulk of the backend's documents",
    )
    query = Query().filter("age", ">=", 30).filter("city", "==", "Oslo")
    dsl = json.loads(ElasticsearchDatabase(hosts=[url]).explain(query).native_text or "{}")

    def raw_search(state: State) -> list[Any]:
        out: list[Any] = []
        after = None
        while True:
            extra = {"search_after": after} if after else {}
            response = es.search(
                index=state.index,
                query=dsl["query"],
                sort=dsl["sort"],
                size=_WINDOW,
                track_total_hits=False,
                **extra,
            )
            hits = response["hits"]["hits"]
            out.extend(json.loads(h["_source"]["src"]) for h in hits)
            if len(hits) < _WINDOW:
                return out
            after = hits[-1]["sort"]

    yield Workload(
        "filtered search",
        n,
        lambda s: s.db.search(query),
        raw_search,
        setup=loaded,
        teardown=teardown,
        target=0.8,
        note="raw: the same DSL, search_after pages",
    )

    def raw_count(state: State) -> int:
        return int(es.count(index=state.index, query=dsl["query"])["count"])

    yield Workload(
        "count",
        n,
        lambda s: s.db.count(query),
        raw_count,
        setup=loaded,
        teardown=teardown,
        target=0.8,
        note="raw: _count with the same DSL",
    )

    def raw_stream(state: State) -> int:
        total = 0
        for hit in helpers.scan(es, index=state.index, size=1000, preserve_order=False):
            total += json.loads(hit["_source"]["src"]) is not None
        return total

    yield Workload(
        "stream",
        n,
        lambda s: sum(1 for _ in s.db.stream()),
        raw_stream,
        setup=loaded,
        teardown=teardown,
        note="raw: helpers.scan (scroll, unordered)",
    )

    def dk_read_batch(state: State) -> None:
        state.db.read_batch(ids)

    def raw_read_batch(state: State) -> None:
        for start in range(0, n, 5000):
            docs_ = es.mget(index=state.index, ids=ids[start : start + 5000])["docs"]
            [json.loads(d["_source"]["src"]) for d in docs_]

    yield Workload("read_batch", n, dk_read_batch, raw_read_batch, setup=loaded, teardown=teardown)
