"""The options of the S3 backend (API.md §3), validated by ``dataknobs_config.parse_options``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["S3Options"]


@dataclass(frozen=True)
class S3Options:
    """Where the records live and how to reach them.

    Attributes:
        bucket: The bucket holding the records.
        prefix: A folder inside the bucket (``"people"`` or ``"app/people/"``); the
            database owns every object directly under it. Empty: the bucket's root.
        endpoint_url: An S3-compatible endpoint (MinIO, SeaweedFS, ...); None: AWS.
        region: The region; None: the standard AWS chain, else ``us-east-1``.
        aws_access_key_id: Access key id; None: the standard AWS credential chain.
        aws_secret_access_key: Secret key (never shown in messages or ``repr``).
        aws_session_token: Session token for temporary credentials (secret).
        create_bucket: Create the bucket at connect when it does not exist.
        max_concurrency: Requests in flight at once in batch reads, writes and scans
            (also the size of the HTTP connection pool).
        retry_mode: botocore's retry mode: ``standard`` or ``adaptive`` (client-side
            rate limiting as well) retry throttling and 5xx answers with backoff.
        max_attempts: Attempts per request, the first included.
        connect_timeout: Seconds to wait for a TCP connection.
        read_timeout: Seconds to wait for an answer.
        conditional_writes: Whether the server honours ``If-None-Match: *`` and
            ``If-Match`` on PutObject. None: probe once, at the first write.
    """

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = field(default=None, metadata={"secret": True})
    aws_session_token: str | None = field(default=None, metadata={"secret": True})
    create_bucket: bool = False
    max_concurrency: int = 32
    retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    max_attempts: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    conditional_writes: bool | None = None

    def __post_init__(self) -> None:
        if not self.bucket:
            raise ValueError("bucket must be a non-empty bucket name")
        if self.max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, got {self.max_concurrency}")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if (self.aws_access_key_id is None) != (self.aws_secret_access_key is None):
            raise ValueError(
                "give both aws_access_key_id and aws_secret_access_key, or neither "
                "(to use the standard AWS credential chain)"
            )
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("connect_timeout and read_timeout must be positive")
