"""Where a value came from: the source file and the key path inside it.

Every configuration error names both, so ``_location`` is the one place that
formats them (``config.yaml: databases[primary].password: ...``) and carries
the location of the item being built down to :func:`parse_options`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Location", "current_location", "item_path", "join_key", "located", "prefix"]


@dataclass(frozen=True)
class Location:
    """A source name (a file as the user gave it, or None) and a key path."""

    source: str | None = None
    key_path: str | None = None


_CURRENT: contextvars.ContextVar[Location | None] = contextvars.ContextVar(
    "dataknobs_config_location", default=None
)


def item_path(section: str, name: str) -> str:
    """Key path of a named item, e.g. ``databases[primary]``."""
    return f"{section}[{name}]"


def join_key(key_path: str | None, key: str | int) -> str:
    """Extend a key path by a mapping key or a list index.

    Example:
        >>> join_key("databases[primary]", "password"), join_key("hosts", 0), join_key(None, "a")
        ('databases[primary].password', 'hosts[0]', 'a')

    """
    if isinstance(key, int):
        return f"{key_path or ''}[{key}]"
    return f"{key_path}.{key}" if key_path else key


def prefix(source: str | None, key_path: str | None) -> str:
    """Return the ``file: key.path: `` prefix of an error message (empty parts left out).

    Example:
        >>> prefix("config.yaml", "databases[primary]")
        'config.yaml: databases[primary]: '
        >>> prefix(None, None)
        ''

    """
    return "".join(f"{part}: " for part in (source, key_path) if part)


def current_location() -> Location | None:
    """Return the location of the item :class:`~dataknobs_config.Config` is building, if any."""
    return _CURRENT.get()


@contextmanager
def located(location: Location) -> Iterator[None]:
    """Make ``location`` the current one while an item is being built."""
    token = _CURRENT.set(location)
    try:
        yield
    finally:
        _CURRENT.reset(token)
