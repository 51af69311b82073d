"""Resolving relative paths in a config file against that file's folder.

A key holds a path when its name (case-insensitive) is one of
:data:`DEFAULT_PATH_KEYS`, ends with one of :data:`PATH_KEY_SUFFIXES`, or was
named in ``Config(..., path_keys=...)``. Its value (a string, or a list of
strings) is resolved when it is relative; absolute paths, ``~`` paths, URLs
(``s3://...``) and special names starting with ``:`` (``:memory:``) are left
alone. Dict sources are left as written (relative to the working directory).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_PATH_KEYS", "PATH_KEY_SUFFIXES", "PathKeys", "resolve_paths"]

DEFAULT_PATH_KEYS: frozenset[str] = frozenset(
    {"path", "file", "filename", "dir", "directory", "folder", "root"}
)
"""Key names whose values are paths."""

PATH_KEY_SUFFIXES: tuple[str, ...] = ("_path", "_file", "_dir", "_directory", "_folder", "_root")
"""Key name endings that mark a path (``cache_dir``, ``ca_file``...)."""


class PathKeys:
    """Decides which keys hold paths.

    Example:
        >>> keys = PathKeys(["schema"])
        >>> [keys.is_path_key(k) for k in ["path", "cache_dir", "Schema", "host"]]
        [True, True, True, False]

    """

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self._names = DEFAULT_PATH_KEYS | {key.lower() for key in extra}

    def is_path_key(self, key: str) -> bool:
        """Tell whether values under ``key`` are paths."""
        lowered = key.lower()
        return lowered in self._names or lowered.endswith(PATH_KEY_SUFFIXES)


def resolve_paths(value: Any, base_dir: Path, path_keys: PathKeys) -> Any:
    """Return ``value`` with relative paths under path keys joined to ``base_dir``.

    Example:
        >>> resolve_paths({"path": "./a.db", "url": "x", "nested": {"cache_dir": "c"}},
        ...               Path("/etc/app"), PathKeys())
        {'path': '/etc/app/a.db', 'url': 'x', 'nested': {'cache_dir': '/etc/app/c'}}

    """
    if isinstance(value, Mapping):
        resolved: dict[Any, Any] = {}
        for key, child in value.items():
            if isinstance(key, str) and path_keys.is_path_key(key):
                resolved[key] = _resolve_path_value(child, base_dir)
            else:
                resolved[key] = resolve_paths(child, base_dir, path_keys)
        return resolved
    if isinstance(value, list):
        return [resolve_paths(child, base_dir, path_keys) for child in value]
    return value


def _resolve_path_value(value: Any, base_dir: Path) -> Any:
    if isinstance(value, list):
        return [_resolve_path_value(child, base_dir) for child in value]
    if not isinstance(value, str) or not _is_relative_path(value):
        return value
    return os.path.normpath(base_dir / value)


def _is_relative_path(text: str) -> bool:
    return bool(text) and not (text.startswith((":", "~")) or "://" in text or os.path.isabs(text))
