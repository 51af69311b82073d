"""The package's exports, its connection errors, and the client it configures."""

from __future__ import annotations

import dataknobs_data.backends.s3 as s3
from dataknobs_data import DatabaseConnectionError
from dataknobs_data.backends.s3.client import make_client
from dataknobs_data.backends.s3.options import S3Options


def test_exports() -> None:
    assert set(s3.__all__) == {
        "AsyncS3Database",
        "S3BucketNotFoundError",
        "S3CredentialsError",
        "S3Database",
        "S3EndpointUnreachableError",
        "S3Options",
    }


def test_connection_errors_share_the_public_base() -> None:
    for error in (s3.S3BucketNotFoundError, s3.S3CredentialsError, s3.S3EndpointUnreachableError):
        assert issubclass(error, DatabaseConnectionError)


def test_client_retries_with_backoff_and_pools_connections_for_the_concurrency() -> None:
    options = S3Options(
        bucket="b",
        endpoint_url="http://127.0.0.1:1",
        region="eu-west-3",
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        max_concurrency=48,
        retry_mode="adaptive",
        max_attempts=7,
    )
    client = make_client(options)
    try:
        config = client.meta.config
        assert config.retries == {"mode": "adaptive", "total_max_attempts": 7}
        assert config.max_pool_connections >= 48
        assert client.meta.region_name == "eu-west-3"
    finally:
        client.close()
