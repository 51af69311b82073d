"""Validating a backend's options against its typed description."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from dataknobs_common import ConfigurationError as CommonConfigurationError
from dataknobs_data.errors import ConfigurationError

__all__ = ["NoOptions", "validate_options"]

T = TypeVar("T")


@dataclass(frozen=True)
class NoOptions:
    """A backend without options."""


def validate_options(options_class: type[T], options: Mapping[str, Any], owner: str) -> T:
    """Parse ``options`` into ``options_class``; errors name the bad key and the fix."""
    from dataknobs_config import parse_options

    try:
        return parse_options(options_class, dict(options), owner=owner)
    except ConfigurationError:
        raise
    except CommonConfigurationError as exc:
        raise ConfigurationError(str(exc)) from None
