"""S3 workloads; the raw baseline is boto3 ``put_object``/``get_object`` on a thread pool.

Server: ``--option server=seaweedfs`` (default) or ``--option server=moto`` starts a
throw-away server from ``tests.services.s3``; ``$DATAKNOBS_TEST_S3_ENDPOINT`` (and its
``_ACCESS_KEY``/``_SECRET_KEY``/``_REGION``) uses an existing one instead.
``--option concurrency=32`` sets both sides' requests in flight.

The raw side writes the same objects (same keys, same JSON bodies: id, data, metadata)
with a plain boto3 client and a ``ThreadPoolExecutor`` of the same size, reads them back
into Records, and for search lists the prefix and fetches every object in parallel,
filtering in Python, as any S3 scan must.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from benchmarks.harness import Workload, ids_for, make_people
from dataknobs_data import Query, Record
from dataknobs_data.backends.s3 import S3Database
from dataknobs_data.backends.s3.body import encode_record
from dataknobs_data.backends.s3.keys import KeyCodec

BUCKET = "dataknobs-bench"


@cache
def endpoint(kind: str) -> Any:
    """The S3 endpoint (external from the environment, else a server started for the run)."""
    sys.path.insert(0, os.getcwd())
    from tests.services.s3 import S3Endpoint, server_for

    external = S3Endpoint.from_env()
    if external is not None:
        return external
    server = server_for(kind)
    server.start()
    atexit.register(server.stop)
    return server.endpoint


def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]:
    ep = endpoint(options.get("server", "seaweedfs"))
    concurrency = int(options.get("concurrency", "32"))
    rows = make_people(n)
    ids = list(ids_for(n))
    records = [Record(row, id=rid) for row, rid in zip(rows, ids, strict=True)]
    # Same pool size and retry policy as the database's client: only the code around differs.
    client = boto3.client(
        "s3",
        **ep.boto3_kwargs(),
        config=Config(
            max_pool_connections=concurrency + 2, retries={"mode": "standard", "max_attempts": 5}
        ),
    )
    atexit.register(client.close)
    pool = ThreadPoolExecutor(max_workers=concurrency)
    atexit.register(pool.shutdown)
    db_options = ep.options(BUCKET, create_bucket=True, max_concurrency=concurrency)

    def open_db(prefix: str) -> S3Database:
        db = S3Database(**{**db_options, "prefix": prefix})
        db.connect()
        db._store.conditional_writes()  # the once-per-database probe, outside the timing
        return db

    def fresh() -> tuple[S3Database, str]:
        prefix = f"bench/{uuid.uuid4().hex[:10]}"
        return open_db(prefix), KeyCodec(prefix).prefix

    def drop(state: tuple[S3Database, str]) -> None:
        state[0].clear()
        state[0].close()

    # The raw side stores exactly what dataknobs stores: same key, same body.
    def raw_key(prefix: str, rid: str) -> str:
        return f"{prefix}{rid}.json"

    bodies = [
        json.dumps({"id": rid, "data": row, "metadata": {}}, separators=(",", ":")).encode()
        for rid, row in zip(ids, rows, strict=True)
    ]
    assert bodies[0] == encode_record(records[0]) and KeyCodec("p").key(ids[0]) == raw_key(
        "p/", ids[0]
    )

    def raw_put(state: tuple[S3Database, str]) -> None:
        prefix = state[1]

        def put(i: int) -> None:
            client.put_object(
                Bucket=BUCKET,
                Key=raw_key(prefix, ids[i]),
                Body=bodies[i],
                ContentType="application/json",
            )

        list(pool.map(put, range(n)))

    yield Workload(
        "batch create",
        n,
        lambda s: s[0].create_batch(records),
        raw_put,
        setup=fresh,
        teardown=drop,
        target=0.7,
    )

    loaded: dict[str, Any] = {}

    def load() -> tuple[S3Database, str]:
        if not loaded:
            state = fresh()
            state[0].create_batch(records)
            loaded["state"] = state
        return loaded["state"]  # type: ignore[no-any-return]

    def fetch(key: str) -> Record:
        response = client.get_object(Bucket=BUCKET, Key=key)
        with response["Body"] as body:
            document = json.loads(body.read())
        return Record(document["data"], id=document["id"], metadata=document["metadata"])

    def raw_read(state: tuple[S3Database, str]) -> list[Record]:
        prefix = state[1]
        return list(pool.map(fetch, [raw_key(prefix, rid) for rid in ids]))

    yield Workload(
        "read_batch", n, lambda s: s[0].read_batch(ids), raw_read, setup=load, target=0.7
    )

    def list_keys(prefix: str) -> Iterator[str]:
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=prefix, Delimiter="/"
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                yield entry["Key"]

    query = Query().filter("age", ">=", 30).filter("city", "==", "Oslo")

    def raw_search(state: tuple[S3Database, str]) -> list[Record]:
        found = pool.map(fetch, list_keys(state[1]))
        return [
            r
            for r in found
            if type(r.get_value("age")) is int and r["age"] >= 30 and r["city"] == "Oslo"
        ]

    yield Workload(
        "filtered search", n, lambda s: s[0].search(query), raw_search, setup=load, target=0.7
    )
    yield Workload(
        "count", n, lambda s: s[0].count(query), lambda s: len(raw_search(s)), setup=load
    )
    yield Workload(
        "count all (listing)",
        n,
        lambda s: s[0].count(),
        lambda s: sum(1 for _ in list_keys(s[1])),
        setup=load,
    )
    yield Workload(
        "stream",
        n,
        lambda s: sum(1 for _ in s[0].stream(batch_size=1000)),
        lambda s: sum(1 for _ in pool.map(fetch, list_keys(s[1]))),
        setup=load,
    )
    if loaded:  # the harness asks for more after the last workload ran: clean up
        drop(loaded["state"])
