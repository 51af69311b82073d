"""Shared foundations of dataknobs: the base error tree and secret handling."""

from dataknobs_common.errors import ConfigurationError, DataknobsError
from dataknobs_common.secrets import (
    REDACTED,
    is_secret_key,
    redact_mapping,
    redact_text,
    redact_url,
)

__all__ = [
    "REDACTED",
    "ConfigurationError",
    "DataknobsError",
    "is_secret_key",
    "redact_mapping",
    "redact_text",
    "redact_url",
]
