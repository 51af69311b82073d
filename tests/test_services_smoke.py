"""Round trips against the real test servers (one test per service)."""

from __future__ import annotations

import dataclasses
import uuid

import psycopg
import pytest
from elasticsearch import Elasticsearch

from tests.services.postgres import PostgresInfo
from tests.services.s3 import S3Endpoint

pytestmark = pytest.mark.services


def test_postgres_round_trip(postgres_url: str) -> None:
    table = f"smoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        conn.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, name text, tags jsonb)")
        conn.execute(
            f"INSERT INTO {table} VALUES (%s, %s, %s::jsonb), (%s, %s, %s::jsonb)",
            (1, "Ada", '["x"]', 2, "Grace", "[]"),
        )
        rows = conn.execute(f"SELECT id, name, tags FROM {table} ORDER BY id").fetchall()
        conn.execute(f"DROP TABLE {table}")
    assert rows == [(1, "Ada", ["x"]), (2, "Grace", [])]


def test_postgres_uses_password_auth_over_tcp(postgres_info: PostgresInfo) -> None:
    with psycopg.connect(postgres_info.url, connect_timeout=10) as conn:
        row = conn.execute("SELECT inet_server_addr() IS NOT NULL, current_user").fetchone()
    assert row == (True, postgres_info.user)
    wrong = dataclasses.replace(postgres_info, password=postgres_info.password + "-wrong")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong.url, connect_timeout=10).close()


def test_elasticsearch_round_trip(elasticsearch_url: str) -> None:
    index = f"smoke-{uuid.uuid4().hex[:12]}"
    with Elasticsearch(elasticsearch_url, request_timeout=30) as es:
        es.index(index=index, id="u1", document={"name": "Ada", "age": 36}, refresh=True)
        es.index(index=index, id="u2", document={"name": "Grace", "age": 45}, refresh=True)
        found = es.search(index=index, query={"range": {"age": {"gte": 40}}})
        hits = [(h["_id"], h["_source"]["name"]) for h in found["hits"]["hits"]]
        got = es.get(index=index, id="u1")["_source"]
        es.indices.delete(index=index)
    assert hits == [("u2", "Grace")]
    assert got == {"name": "Ada", "age": 36}


def test_s3_round_trip(s3_server: S3Endpoint) -> None:
    bucket = f"smoke-{uuid.uuid4().hex[:12]}"
    client = s3_server.client()
    try:
        client.create_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="dir/one.json", Body=b'{"a": 1}')
        client.put_object(Bucket=bucket, Key="dir/two.json", Body=b'{"b": 2}')
        body = client.get_object(Bucket=bucket, Key="dir/one.json")["Body"]
        try:
            data = body.read()
        finally:
            body.close()
        listed = client.list_objects_v2(Bucket=bucket, Prefix="dir/")
        keys = [o["Key"] for o in listed.get("Contents", [])]
        client.delete_object(Bucket=bucket, Key="dir/one.json")
        after = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        client.delete_object(Bucket=bucket, Key="dir/two.json")
        client.delete_bucket(Bucket=bucket)
    finally:
        client.close()
    assert data == b'{"a": 1}'
    assert keys == ["dir/one.json", "dir/two.json"]
    assert [o["Key"] for o in after] == ["dir/two.json"]
