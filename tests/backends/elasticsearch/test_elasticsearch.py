"""Elasticsearch-specific behaviour against the real test server (tests.services)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from dataknobs_data import (
    ConfigurationError,
    DatabaseConnectionError,
    DuplicateRecordError,
    Query,
    Record,
    SerializationError,
)
from dataknobs_data.backends.elasticsearch import (
    AsyncElasticsearchDatabase,
    ElasticsearchDatabase,
)
from dataknobs_data.backends.memory import MemoryDatabase

pytestmark = pytest.mark.services

LONG = 12_000  # characters of 4-byte UTF-8: keys beyond the keyword term limit


def _rows() -> list[Record]:
    return [
        Record({"body": "a" + "😀" * LONG, "n": 1}, id="long-a"),
        Record({"body": "a" + "😀" * LONG + "b", "n": 2}, id="long-ab"),
        Record({"body": "B" + "😀" * LONG + "@x", "n": 3}, id="long-b"),
        Record({"body": "a😀", "n": 4}, id="short-a"),
        Record({"body": "zz", "n": 5}, id="short-z"),
        Record({"n": 6}, id="missing"),
    ]


LOSSY_QUERIES = [
    Query().filter("body", ">", "a😀"),
    Query().filter("body", "<=", "a" + "😀" * LONG),
    Query().filter("body", "like", "a%b"),
    Query().filter("body", "not_like", "a%"),
    Query().filter("body", "ilike", "b%X"),
    Query().filter("body", "regex", "@x$"),
    Query().filter("body", "starts_with", "a😀😀"),
    Query().filter("body", "==", "a" + "😀" * LONG),
    Query().sort("body", "desc"),
    Query().sort("body").offset(1).limit(3),
    Query().filter("body", "between", ["a", "b"]).sort("body"),
]


def _ids(records: Any, query: Query) -> list[str]:
    ids = [r.id for r in records]
    return ids if query.sort_specs else sorted(ids)  # unsorted order is the backend's own


@pytest.mark.parametrize("query", LOSSY_QUERIES, ids=[str(i) for i in range(len(LOSSY_QUERIES))])
def test_values_longer_than_a_keyword_term_still_query_exactly(
    es_db: ElasticsearchDatabase, query: Query
) -> None:
    reference = MemoryDatabase()
    es_db.create_batch(_rows())
    reference.create_batch(_rows())
    expected = _ids(reference.search(query), query)
    assert _ids(es_db.search(query), query) == expected
    assert es_db.count(query) == reference.count(query)
    assert _ids(es_db.stream(query, batch_size=2), query) == expected


def test_long_values_round_trip(es_db: ElasticsearchDatabase) -> None:
    es_db.create_batch(_rows())
    assert es_db.read("long-ab") == _rows()[1]


def test_ids_longer_than_an_elasticsearch_id_work(es_db: ElasticsearchDatabase) -> None:
    rid = "é" * 400
    es_db.create(Record({"v": 1}, id=rid))
    assert es_db.read(rid) == Record({"v": 1}, id=rid)
    assert [r.id for r in es_db.search(Query().filter("v", "==", 1))] == [rid]
    with pytest.raises(DuplicateRecordError):
        es_db.create(Record({"v": 2}, id=rid))
    assert es_db.delete(rid) is True
    assert es_db.read(rid) is None


def test_regex_with_lucene_only_operators_matches_literally(es_db: ElasticsearchDatabase) -> None:
    es_db.create_batch(
        [
            Record({"s": 'a@b<1-2>#~&"'}, id="odd"),
            Record({"s": "ab12"}, id="plain"),
        ]
    )
    for pattern in ["a@b", "<1-2>", '#~&"$', "^a@"]:
        assert [r.id for r in es_db.search(Query().filter("s", "regex", pattern))] == ["odd"]


def test_a_regex_without_lucene_form_runs_in_python(es_db: ElasticsearchDatabase) -> None:
    es_db.create_batch([Record({"s": "ab"}, id="1"), Record({"s": "b"}, id="2")])
    query = Query().filter("s", "regex", "(x|^b)")
    assert es_db.explain(query).residual is not None
    assert [r.id for r in es_db.search(query)] == ["2"]


def test_explain_shows_the_query_dsl(es_db: ElasticsearchDatabase) -> None:
    plan = es_db.explain(Query().filter("age", ">=", 30).sort("name").limit(5))
    assert plan.fully_native
    assert plan.native_text is not None
    assert '"range"' in plan.native_text and '"missing": "_last"' in plan.native_text


def test_creating_existing_ids_names_every_one(es_db: ElasticsearchDatabase) -> None:
    es_db.create_batch([Record({"v": i}, id=f"r{i}") for i in range(3)])
    with pytest.raises(DuplicateRecordError) as info:
        es_db.create_batch([Record({"v": 9}, id=i) for i in ("new", "r0", "r2")])
    assert info.value.ids == ["r0", "r2"]
    assert es_db.read("new") is None


def test_a_batch_rejected_by_elasticsearch_is_rolled_back(
    make_options: Callable[..., Any],
) -> None:
    with ElasticsearchDatabase(**make_options(total_fields_limit=40)) as db:
        db.create(Record({"a": 1}, id="kept"))
        fine = [Record({"a": i}, id=f"ok{i}") for i in range(5)]
        wide = Record({f"field{i}": i for i in range(30)}, id="too-wide")
        with pytest.raises(SerializationError, match="too-wide"):
            db.create_batch([*fine, wide])
        assert db.count() == 1
        assert db.read_batch([r.id for r in fine if r.id]) == [None] * 5
        with pytest.raises(SerializationError):
            db.upsert_batch([Record({"a": 2}, id="kept"), wide])
        assert db.read("kept") == Record({"a": 1}, id="kept")
        assert db.read("too-wide") is None


def test_refresh_false_needs_an_explicit_refresh_for_search(
    make_options: Callable[..., Any],
) -> None:
    with ElasticsearchDatabase(**make_options(refresh=False)) as db:
        ids = db.create_batch([Record({"i": i}) for i in range(50)])
        assert db.read(ids[0]) is not None  # reads by id are real-time
        db.refresh()
        assert db.count() == 50


def test_an_unreachable_server_is_a_connection_error_naming_the_host() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = ElasticsearchDatabase(
        hosts=[f"http://127.0.0.1:{port}"], basic_auth=("ada", "hunter2"), request_timeout=2
    )
    with pytest.raises(DatabaseConnectionError) as info:
        db.count()
    assert f"127.0.0.1:{port}" in str(info.value)
    assert "hunter2" not in str(info.value)


def test_an_index_not_made_by_the_backend_is_refused(
    make_options: Callable[..., Any], raw_es: Elasticsearch
) -> None:
    options = make_options()
    raw_es.indices.create(index=options["index"])
    with pytest.raises(ConfigurationError, match="not created by the dataknobs backend"):
        ElasticsearchDatabase(**options).connect()


def test_the_async_face_works_without_aiohttp(make_options: Callable[..., Any]) -> None:
    async def main() -> list[Any]:
        async with AsyncElasticsearchDatabase(**make_options()) as db:
            await db.create_batch([Record({"i": i}, id=f"{i:03d}") for i in range(30)])
            await db.refresh()
            found = [r["i"] async for r in db.stream(Query().sort("i", "desc"), batch_size=7)]
            return [found, await db.count(Query().filter("i", "<", 10))]

    found, small = asyncio.run(main())
    assert found == list(range(29, -1, -1))
    assert small == 10


@pytest.mark.slow
def test_streaming_100000_records_returns_each_exactly_once(
    make_options: Callable[..., Any],
) -> None:
    n = 100_000
    with ElasticsearchDatabase(**make_options()) as db:
        ids = db.create_batch(Record({"i": i, "even": i % 2 == 0}) for i in range(n))
        seen = [r.id for r in db.stream(batch_size=5000)]
        assert len(seen) == n
        assert set(seen) == set(ids)
        # No 10-hit default and no 10,000 cap: search, deep pages and sorted streams.
        assert len(db.search(Query().filter("even", "==", True))) == n // 2
        page = db.search(Query().sort("i").offset(54_321).limit(5))
        assert [r["i"] for r in page] == list(range(54_321, 54_326))
        tail = [r["i"] for r in db.stream(Query().sort("i", "desc").offset(99_990))]
        assert tail == list(range(9, -1, -1))
        assert db.count(Query().filter("i", ">=", 12_345)) == n - 12_345
