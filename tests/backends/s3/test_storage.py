"""How records sit in the bucket: one tagged-JSON object per record, any id, foreign objects."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from dataknobs_data import Query, Record, SerializationError
from dataknobs_data.backends.s3 import S3Database
from tests.services.s3 import S3Endpoint

pytestmark = pytest.mark.services

AWKWARD_IDS = [
    "/",
    ".",
    "..",
    "a/../b",
    "dir/",
    "%2F",
    "_2f",
    "~",
    "with space",
    "日本語",
    "emoji 🙂",
    "x" * 1000,
    "é" * 300,
    "a\u0000b",
    "A",
    "a",
]


def _objects(s3_server: S3Endpoint, options: dict[str, Any]) -> dict[str, bytes]:
    client = s3_server.client()
    try:
        prefix = options["prefix"] + "/"
        listed = client.list_objects_v2(Bucket=options["bucket"], Prefix=prefix)
        out = {}
        for entry in listed.get("Contents", []):
            body = client.get_object(Bucket=options["bucket"], Key=entry["Key"])["Body"]
            with body:
                out[entry["Key"][len(prefix) :]] = body.read()
        return out
    finally:
        client.close()


def test_awkward_ids_round_trip_through_keys_and_listing(db: S3Database) -> None:
    db.create_batch([Record({"n": i}, id=rid) for i, rid in enumerate(AWKWARD_IDS)])
    assert [r.id for r in db.read_batch(AWKWARD_IDS)] == AWKWARD_IDS
    assert sorted(r.id or "" for r in db.search()) == sorted(AWKWARD_IDS)
    assert db.count() == len(AWKWARD_IDS)
    assert db.delete_batch(AWKWARD_IDS) == [True] * len(AWKWARD_IDS)
    assert db.count() == 0


def test_one_tagged_json_object_per_record(
    db: S3Database, s3_server: S3Endpoint, s3_options: dict[str, Any]
) -> None:
    db.create(
        Record(
            {"price": Decimal("9.90"), "day": dt.date(2024, 5, 1), "raw": b"\x00"},
            id="u/1",
            metadata={"source": "crm"},
        )
    )
    objects = _objects(s3_server, s3_options)
    assert list(objects) == ["u_2f1.json"]
    assert json.loads(objects["u_2f1.json"]) == {
        "id": "u/1",
        "data": {
            "price": {"$decimal": "9.90"},
            "day": {"$date": "2024-05-01"},
            "raw": {"$bytes": "AA=="},
        },
        "metadata": {"source": "crm"},
    }


def test_objects_that_are_not_records_are_left_alone(
    db: S3Database, s3_server: S3Endpoint, s3_options: dict[str, Any]
) -> None:
    client = s3_server.client()
    bucket, prefix = s3_options["bucket"], s3_options["prefix"]
    try:
        client.put_object(Bucket=bucket, Key=f"{prefix}/notes.txt", Body=b"hello")
        client.put_object(Bucket=bucket, Key=f"{prefix}/nested/x.json", Body=b"{}")
        db.create(Record({"a": 1}, id="r"))
        assert [r.id for r in db.search()] == ["r"]
        assert db.count() == 1
        assert db.clear() == 1
        left = client.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/")
        assert sorted(o["Key"] for o in left["Contents"]) == [
            f"{prefix}/nested/x.json",
            f"{prefix}/notes.txt",
        ]
        client.delete_objects(
            Bucket=bucket,
            Delete={"Objects": [{"Key": o["Key"]} for o in left["Contents"]]},
        )
    finally:
        client.close()


def test_a_corrupt_object_is_an_error_naming_its_key(
    db: S3Database, s3_server: S3Endpoint, s3_options: dict[str, Any]
) -> None:
    db.create_batch([Record({"a": i}, id=f"r{i}") for i in range(5)])
    client = s3_server.client()
    try:
        client.put_object(
            Bucket=s3_options["bucket"], Key=f"{s3_options['prefix']}/broken.json", Body=b"{nope"
        )
    finally:
        client.close()
    with pytest.raises(SerializationError, match=r"broken\.json"):
        db.search()
    with pytest.raises(SerializationError, match=r"broken\.json"):
        db.count(Query().filter("a", ">", 1))
    with pytest.raises(SerializationError, match=r"broken\.json"):
        db.read("broken")


def test_databases_on_nested_prefixes_do_not_mix(make_db: Any, s3_options: dict[str, Any]) -> None:
    outer = make_db()
    inner = make_db(prefix=s3_options["prefix"] + "/inner")
    outer.create(Record({"a": 1}, id="o"))
    inner.create(Record({"a": 2}, id="i"))
    assert [r.id for r in outer.search()] == ["o"]
    assert [r.id for r in inner.search()] == ["i"]
    assert outer.count() == inner.count() == 1
