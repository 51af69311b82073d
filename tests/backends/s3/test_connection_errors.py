"""A missing bucket, rejected credentials and an unreachable endpoint: each its own error."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from dataknobs_data import DatabaseConnectionError, Record
from dataknobs_data.backends.s3 import (
    AsyncS3Database,
    S3BucketNotFoundError,
    S3CredentialsError,
    S3Database,
    S3EndpointUnreachableError,
)
from tests.services._common import free_port
from tests.services.s3 import S3Endpoint

pytestmark = pytest.mark.services

WRONG_SECRET = "not-the-secret-" + uuid.uuid4().hex


def _assert_clean(error: BaseException, *secrets: str) -> None:
    assert isinstance(error, DatabaseConnectionError)
    for secret in secrets:
        assert secret not in str(error)
        assert secret not in repr(error)


def test_missing_bucket_is_named_with_the_fix(s3_server: S3Endpoint) -> None:
    bucket = f"missing-{uuid.uuid4().hex[:12]}"
    db = S3Database(**s3_server.options(bucket))
    with pytest.raises(S3BucketNotFoundError, match=bucket) as caught:
        db.connect()
    assert "create_bucket" in str(caught.value)
    _assert_clean(caught.value, s3_server.secret_key)


def test_create_bucket_creates_a_missing_bucket(s3_server: S3Endpoint) -> None:
    bucket = f"created-{uuid.uuid4().hex[:12]}"
    with S3Database(**s3_server.options(bucket, create_bucket=True)) as db:
        db.create(Record({"a": 1}, id="x"))
        assert db.read("x") == Record({"a": 1}, id="x")
        db.clear()
    client = s3_server.client()
    try:
        client.delete_bucket(Bucket=bucket)
    finally:
        client.close()


def test_wrong_credentials_are_rejected_clearly(
    s3_server: S3Endpoint, s3_options: dict[str, Any]
) -> None:
    if not s3_server.checks_credentials:
        pytest.skip(f"{s3_server.name} accepts any credentials")
    S3Database(**s3_options).connect().close()  # the bucket exists: only the key is wrong
    db = S3Database(**{**s3_options, "aws_secret_access_key": WRONG_SECRET})
    with pytest.raises(S3CredentialsError, match="credentials") as caught:
        db.connect()
    _assert_clean(caught.value, WRONG_SECRET, s3_server.secret_key)


def test_unreachable_endpoint_is_named() -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    db = S3Database(
        bucket="b",
        endpoint_url=endpoint,
        aws_access_key_id="AKID",
        aws_secret_access_key=WRONG_SECRET,
        max_attempts=2,
        connect_timeout=2,
    )
    with pytest.raises(S3EndpointUnreachableError, match=endpoint) as caught:
        db.connect()
    assert "endpoint_url" in str(caught.value)
    _assert_clean(caught.value, WRONG_SECRET)


def test_async_face_raises_the_same_errors(s3_server: S3Endpoint) -> None:
    db = AsyncS3Database(**s3_server.options(f"missing-{uuid.uuid4().hex[:12]}"))
    with pytest.raises(S3BucketNotFoundError):
        asyncio.run(db.connect())


def test_bucket_deleted_after_connect_is_named(s3_server: S3Endpoint) -> None:
    bucket = f"gone-{uuid.uuid4().hex[:12]}"
    db = S3Database(**s3_server.options(bucket, create_bucket=True)).connect()
    client = s3_server.client()
    try:
        client.delete_bucket(Bucket=bucket)
    finally:
        client.close()
    with pytest.raises(S3BucketNotFoundError, match=bucket):
        db.read("x")
    with pytest.raises(S3BucketNotFoundError, match=bucket):
        db.search()
    db.close()
