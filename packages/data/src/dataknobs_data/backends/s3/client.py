"""The boto3 client of one database: configuration, the bucket check, the feature probe."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from dataknobs_data.backends.s3.errors import (
    Where,
    error_code,
    is_precondition_failed,
    missing_bucket,
    translate_error,
)
from dataknobs_data.backends.s3.options import S3Options

__all__ = ["check_bucket", "make_client", "probe_conditional_writes"]

DEFAULT_REGION = "us-east-1"
# Answers of servers that do not implement a conditional header at all.
_UNSUPPORTED_CODES = frozenset({"NotImplemented", "501", "InvalidArgument", "InvalidRequest"})


_session: botocore.session.Session | None = None
_session_lock = threading.Lock()


def make_client(options: S3Options) -> Any:
    """A thread-safe boto3 S3 client for ``options`` (own credentials, pool and retry policy).

    Clients share one botocore session: loading the S3 service model costs far more
    than a request, and the session only resolves credentials none were given.
    """
    global _session
    with _session_lock:
        if _session is None:
            _session = botocore.session.get_session()
        session = _session
        region = options.region or session.get_config_variable("region") or DEFAULT_REGION
        config = Config(
            region_name=region,
            retries={"mode": options.retry_mode, "total_max_attempts": options.max_attempts},
            max_pool_connections=options.max_concurrency + 2,  # + listing and bookkeeping
            connect_timeout=options.connect_timeout,
            read_timeout=options.read_timeout,
        )
        return session.create_client(
            "s3",
            region_name=region,
            endpoint_url=options.endpoint_url,
            aws_access_key_id=options.aws_access_key_id,
            aws_secret_access_key=options.aws_secret_access_key,
            aws_session_token=options.aws_session_token,
            config=config,
        )


def check_bucket(client: Any, options: S3Options, where: Where) -> None:
    """Make sure the bucket exists and the credentials work (create it if asked to).

    Raises:
        S3BucketNotFoundError: No such bucket (and ``create_bucket`` is false).
        S3CredentialsError: The credentials are missing or rejected.
        S3EndpointUnreachableError: The endpoint cannot be reached.
    """
    try:
        client.head_bucket(Bucket=options.bucket)
        return
    except ClientError as exc:
        if error_code(exc) not in {"404", "NoSuchBucket", "NotFound"}:
            raise translate_error(exc, where, "checking the bucket") from None
    except BotoCoreError as exc:
        raise translate_error(exc, where, "checking the bucket") from None
    if not options.create_bucket:
        raise missing_bucket(where)
    arguments: dict[str, Any] = {"Bucket": options.bucket}
    region = client.meta.region_name
    if region and region != DEFAULT_REGION:
        arguments["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        client.create_bucket(**arguments)
    except ClientError as exc:
        if error_code(exc) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
            raise translate_error(exc, where, "creating the bucket") from None
    except BotoCoreError as exc:
        raise translate_error(exc, where, "creating the bucket") from None


def probe_conditional_writes(client: Any, bucket: str, prefix: str, where: Where) -> bool:
    """Whether PutObject honours ``If-None-Match: *`` and ``If-Match`` (412 when not met).

    Writes, overwrites and deletes one scratch object (not a record key) under the prefix.
    """
    key = f"{prefix}.dataknobs-probe-{uuid.uuid4().hex}"
    try:
        client.put_object(Bucket=bucket, Key=key, Body=b"1", IfNoneMatch="*")
        try:
            return _refused(
                lambda: client.put_object(Bucket=bucket, Key=key, Body=b"2", IfNoneMatch="*")
            ) and _refused(
                lambda: client.put_object(
                    Bucket=bucket, Key=key, Body=b"3", IfMatch='"' + "0" * 32 + '"'
                )
            )
        finally:
            client.delete_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if error_code(exc) in _UNSUPPORTED_CODES:
            return False
        raise translate_error(exc, where, "probing for conditional writes") from None
    except BotoCoreError as exc:
        raise translate_error(exc, where, "probing for conditional writes") from None


def _refused(attempt: Any) -> bool:
    try:
        attempt()
    except ClientError as exc:
        if is_precondition_failed(exc):
            return True
        if error_code(exc) in _UNSUPPORTED_CODES:
            return False
        raise
    return False
