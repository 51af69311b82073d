"""Options, the s3:// URL scheme, and secrets kept out of repr and messages."""

from __future__ import annotations

import pytest

from dataknobs_data import ConfigurationError, database_factory
from dataknobs_data.backends.s3 import AsyncS3Database, S3Database
from dataknobs_data.urls import parse_database_url

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"


def test_url_gives_bucket_prefix_and_typed_options() -> None:
    backend, options = parse_database_url(
        "s3://data/app/people?endpoint_url=http://127.0.0.1:9000&create_bucket=true"
        "&max_concurrency=8&region=eu-west-1"
    )
    assert backend == "s3"
    assert options == {
        "bucket": "data",
        "prefix": "app/people",
        "endpoint_url": "http://127.0.0.1:9000",
        "create_bucket": True,
        "max_concurrency": 8,
        "region": "eu-west-1",
    }


def test_url_credentials_are_options() -> None:
    _, options = parse_database_url("s3://AKID:se%2Fcret@data")
    assert options["aws_access_key_id"] == "AKID"
    assert options["aws_secret_access_key"] == "se/cret"


def test_factory_builds_both_faces_from_a_url() -> None:
    url = "s3://data/people?endpoint_url=http://127.0.0.1:1"
    assert isinstance(database_factory.from_url(url), S3Database)
    assert isinstance(database_factory.from_url(url, asynchronous=True), AsyncS3Database)


def test_unknown_option_is_named() -> None:
    with pytest.raises(ConfigurationError, match="buckett"):
        S3Database(buckett="x")


def test_secret_key_is_not_in_repr() -> None:
    db = S3Database(bucket="b", aws_access_key_id="AKID", aws_secret_access_key=SECRET)
    assert SECRET not in repr(db)
    assert SECRET not in repr(db.options)


def test_half_given_credentials_are_an_error_without_the_secret() -> None:
    with pytest.raises(ConfigurationError) as caught:
        S3Database(bucket="b", aws_secret_access_key=SECRET)
    assert "aws_access_key_id" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_retry_mode_must_be_known() -> None:
    with pytest.raises(ConfigurationError, match="retry_mode"):
        S3Database(bucket="b", retry_mode="eager")


def test_url_option_values_are_decoded_once() -> None:
    _, options = parse_database_url("s3://data?endpoint_url=http%3A%2F%2Fh%3A1%2F%2525x")
    assert options["endpoint_url"] == "http://h:1/%25x"
