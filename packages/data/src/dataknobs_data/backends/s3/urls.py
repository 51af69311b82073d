"""The ``s3://`` URL scheme: ``s3://bucket/prefix?endpoint_url=http://127.0.0.1:9000``.

Every option of :class:`~.options.S3Options` may be given in the query string;
``s3://KEY_ID:SECRET@bucket/prefix`` sets the credentials (percent-encode special
characters). The bucket is the host part, the prefix the path.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, unquote

from dataknobs_config import parse_scalar
from dataknobs_data.errors import ConfigurationError
from dataknobs_data.urls import query_options, register_url_scheme

__all__ = ["parse_s3_url"]

# Options whose text must become a bool or a number; the others stay strings.
_TYPED = frozenset(
    {
        "create_bucket",
        "max_concurrency",
        "max_attempts",
        "connect_timeout",
        "read_timeout",
        "conditional_writes",
    }
)


def parse_s3_url(parts: SplitResult) -> tuple[str, dict[str, Any]]:
    """Options of the ``s3`` backend from a split ``s3://`` URL.

    Example:
        >>> from urllib.parse import urlsplit
        >>> parse_s3_url(urlsplit("s3://data/app/people?create_bucket=true"))
        ('s3', {'bucket': 'data', 'prefix': 'app/people', 'create_bucket': True})
    """
    userinfo, _, bucket = parts.netloc.rpartition("@")
    if not bucket:
        raise ConfigurationError("an s3:// URL needs a bucket: s3://bucket/prefix")
    options: dict[str, Any] = {"bucket": bucket}
    prefix = unquote(parts.path.lstrip("/"))
    if prefix:
        options["prefix"] = prefix
    if userinfo:
        key_id, _, secret = userinfo.partition(":")
        options["aws_access_key_id"] = unquote(key_id)
        options["aws_secret_access_key"] = unquote(secret)
    for name, text in query_options(parts).items():
        options[name] = parse_scalar(text) if name in _TYPED else text
    return "s3", options


register_url_scheme("s3", parse_s3_url)
