"""Combining sources: merge items by name, then apply environment overrides.

``merge`` lays a later source's item over an earlier one: nested mappings merge
key by key, anything else (scalars, lists, references) is replaced.

``apply_env_overrides`` reads ``DATAKNOBS_<SECTION>__<NAME>__<KEY>[__<SUBKEY>...]``
variables. Matching is case-insensitive and treats any character other than a
letter or digit as ``_`` (so item ``primary-db`` is ``PRIMARY_DB``). Values are
typed as YAML scalars (secret keys stay strings). Variables naming an item that
does not exist are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dataknobs_common import ConfigurationError, is_secret_key
from dataknobs_config._references import is_reference
from dataknobs_config._scalars import parse_scalar

__all__ = ["ENV_PREFIX", "apply_env_overrides", "merge"]

ENV_PREFIX = "DATAKNOBS_"


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Lay ``override`` over ``base``: nested mappings merge, other values are replaced.

    Example:
        >>> merge({"host": "a", "opts": {"x": 1, "y": 2}}, {"opts": {"y": 3}, "port": 1})
        {'host': 'a', 'opts': {'x': 1, 'y': 3}, 'port': 1}

    """
    merged = dict(base)
    for key, value in override.items():
        previous = merged.get(key)
        if isinstance(previous, Mapping) and _mergeable(previous) and _mergeable(value):
            merged[key] = merge(previous, value)
        else:
            merged[key] = value
    return merged


def _mergeable(value: Any) -> bool:
    return isinstance(value, Mapping) and not is_reference(value)


def _env_token(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", text.upper())


def apply_env_overrides(
    item: dict[str, Any], section: str, name: str, environ: Mapping[str, str]
) -> dict[str, Any]:
    """Return ``item`` with the environment overrides for ``section``/``name`` applied.

    Example:
        >>> env = {"DATAKNOBS_DATABASES__PRIMARY__PORT": "6543"}
        >>> apply_env_overrides({"name": "primary", "port": 5432}, "databases", "primary", env)
        {'name': 'primary', 'port': 6543}

    """
    wanted = (_env_token(section), _env_token(name))
    result = item
    for variable in sorted(environ):
        if not variable.upper().startswith(ENV_PREFIX):
            continue
        parts = variable[len(ENV_PREFIX) :].split("__")
        if len(parts) < 3 or (_env_token(parts[0]), _env_token(parts[1])) != wanted:
            continue
        if result is item:
            result = _deep_copy(item)
        _set_path(result, parts[2:], environ[variable], variable)
    return result


def _set_path(item: dict[str, Any], keys: list[str], raw: str, variable: str) -> None:
    if not all(keys) or _env_token(keys[0]) == "NAME":
        raise ConfigurationError(
            f"environment variable {variable}: cannot override "
            f"{'the name' if all(keys) else 'an empty key'}; write "
            "DATAKNOBS_<SECTION>__<NAME>__<KEY>[__<SUBKEY>...]"
        )
    target = item
    for depth, key in enumerate(keys):
        actual = _match_key(target, key)
        if depth == len(keys) - 1:
            target[actual] = raw if is_secret_key(actual) else parse_scalar(raw)
            return
        child = target.get(actual)
        if child is None:
            child = target[actual] = {}
        if not isinstance(child, dict) or is_reference(child):
            raise ConfigurationError(
                f"environment variable {variable}: {actual!r} holds "
                f"{'a reference' if is_reference(child) else 'a ' + type(child).__name__}, "
                f"not a mapping of options, so it has no key {keys[depth + 1]!r}"
            )
        target = child


def _match_key(mapping: Mapping[str, Any], key: str) -> str:
    token = _env_token(key)
    for existing in mapping:
        if _env_token(str(existing)) == token:
            return str(existing)
    return key.lower()


def _deep_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value
