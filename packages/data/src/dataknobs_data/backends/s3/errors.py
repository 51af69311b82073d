"""S3 errors: botocore exceptions translated into the dataknobs_data exception tree.

Each failure to reach the data has its own class (all :class:`DatabaseConnectionError`):
a missing bucket, rejected credentials, an unreachable endpoint. Messages name the
bucket and endpoint and what to do; they never contain the secret key or token.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectTimeoutError as BotoConnectTimeoutError

from dataknobs_common import redact_url
from dataknobs_data.errors import DatabaseConnectionError, DatabaseError

__all__ = [
    "S3BucketNotFoundError",
    "S3CredentialsError",
    "S3EndpointUnreachableError",
    "Where",
    "error_code",
    "is_not_found",
    "is_precondition_failed",
    "missing_bucket",
    "translate_error",
]

_AUTH_CODES = frozenset(
    {
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "InvalidToken",
        "ExpiredToken",
        "InvalidSecurity",
        "AuthorizationHeaderMalformed",
        "403",
    }
)
_NOT_FOUND_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class S3BucketNotFoundError(DatabaseConnectionError):
    """The configured bucket does not exist at the endpoint."""


class S3CredentialsError(DatabaseConnectionError):
    """The endpoint rejected the credentials, or none were found."""


class S3EndpointUnreachableError(DatabaseConnectionError):
    """No connection to the endpoint (wrong URL, server down, network, timeout)."""


def error_code(exc: ClientError) -> str:
    """The S3 error code of a client error (``NoSuchKey``, ``PreconditionFailed``, ...)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def is_not_found(exc: BaseException) -> bool:
    """A GET/HEAD of an object that does not exist."""
    return isinstance(exc, ClientError) and error_code(exc) in _NOT_FOUND_CODES


def is_precondition_failed(exc: BaseException) -> bool:
    """A conditional write refused (412): the object exists / changed."""
    return isinstance(exc, ClientError) and (
        error_code(exc) in {"PreconditionFailed", "412"} or _status(exc) == 412
    )


class Where:
    """Describes the store in messages: bucket, prefix, endpoint (credentials redacted)."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None) -> None:
        self.bucket = bucket
        self.endpoint = redact_url(endpoint_url) if endpoint_url else "AWS S3"
        self.location = f"s3://{bucket}/{prefix}"

    def __str__(self) -> str:
        return f"{self.location} at {self.endpoint}"


def translate_error(exc: BaseException, where: Where, action: str) -> DatabaseError:
    """The dataknobs_data error for a botocore failure during ``action``."""
    if isinstance(exc, DatabaseError):
        return exc
    if isinstance(
        exc,
        EndpointConnectionError
        | BotoConnectTimeoutError
        | ConnectionClosedError
        | ReadTimeoutError,
    ):
        return S3EndpointUnreachableError(
            f"cannot reach the S3 endpoint {where.endpoint} while {action} "
            f"({type(exc).__name__}); check endpoint_url and that the server is running"
        )
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return S3CredentialsError(
            f"no usable AWS credentials for {where} while {action}; set aws_access_key_id and "
            "aws_secret_access_key, or configure the standard AWS credential chain"
        )
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code == "NoSuchBucket":
            return missing_bucket(where)
        if code in _AUTH_CODES or _status(exc) == 403:
            return S3CredentialsError(
                f"the S3 endpoint {where.endpoint} rejected the credentials while {action} "
                f"on bucket {where.bucket!r} ({code or 'HTTP 403'}); check aws_access_key_id, "
                "aws_secret_access_key and the key's permissions"
            )
        message = _safe_message(exc.response)
        return DatabaseError(
            f"S3 request failed while {action} on {where}: {code or _status(exc)} {message}"
        )
    return DatabaseError(f"S3 request failed while {action} on {where}: {type(exc).__name__}")


def missing_bucket(where: Where) -> S3BucketNotFoundError:
    """The error for a bucket that does not exist."""
    return S3BucketNotFoundError(
        f"bucket {where.bucket!r} does not exist at {where.endpoint}; create it, "
        "or set create_bucket: true"
    )


def _safe_message(response: Any) -> str:
    # Server messages describe the request, never the secret key (it is never sent).
    return str(response.get("Error", {}).get("Message", ""))[:200]
