"""``${VAR}`` and ``${VAR:default}`` substitution in configuration strings.

Rules (also in the :class:`~dataknobs_config.Config` docstring):

- A string that is wholly one substitution is typed as a YAML scalar
  (:func:`~dataknobs_config._scalars.parse_scalar`): ``${PORT:5432}`` is the int
  5432, ``${FLAG:true}`` the bool True, ``${X:null}`` None, ``${X:}`` the empty
  string. Values of secret keys (``password``, ``api_key``...) always stay strings.
- Substitutions inside a larger string are pasted in as text.
- ``$${`` is a literal ``${``.
- An unset variable without a default does not fail at once: it becomes an
  :class:`Unresolved` marker, so a later source or an environment override may
  still replace the value. Reading an item that keeps a marker raises the error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dataknobs_common import ConfigurationError, is_secret_key
from dataknobs_config._location import join_key, prefix
from dataknobs_config._scalars import parse_scalar

__all__ = ["Unresolved", "find_unresolved", "substitute"]

_TOKEN = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}|\$\{")


class Unresolved:
    """Marks a value whose variable is unset; carries the error to raise when it is read."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"Unresolved({self.message!r})"


def substitute(
    value: Any,
    environ: Mapping[str, str],
    *,
    source: str | None,
    key_path: str,
    key: str | None = None,
) -> Any:
    """Return ``value`` with every substitution done, recursively through dicts and lists.

    Example:
        >>> env = {"HOST": "db1"}
        >>> substitute({"host": "${HOST}", "port": "${PORT:5432}", "url": "pg://${HOST}:${PORT:1}"},
        ...            env, source=None, key_path="databases[primary]")
        {'host': 'db1', 'port': 5432, 'url': 'pg://db1:1'}

    """
    if isinstance(value, str):
        return _substitute_text(value, environ, source=source, key_path=key_path, key=key)
    if isinstance(value, Mapping):
        return {
            k: substitute(
                v, environ, source=source, key_path=join_key(key_path, str(k)), key=str(k)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            substitute(v, environ, source=source, key_path=join_key(key_path, i), key=key)
            for i, v in enumerate(value)
        ]
    return value


def find_unresolved(value: Any) -> Unresolved | None:
    """Return the first :class:`Unresolved` marker left in ``value``, if any."""
    if isinstance(value, Unresolved):
        return value
    children = value.values() if isinstance(value, Mapping) else value
    if isinstance(value, Mapping | list):
        for child in children:
            found = find_unresolved(child)
            if found is not None:
                return found
    return None


def _substitute_text(
    text: str, environ: Mapping[str, str], *, source: str | None, key_path: str, key: str | None
) -> Any:
    if "${" not in text:
        return text
    whole = _TOKEN.fullmatch(text)
    if whole is not None and whole.group(1) is not None:
        resolved = _lookup(whole, environ, source=source, key_path=key_path)
        if isinstance(resolved, Unresolved) or (key is not None and is_secret_key(key)):
            return resolved
        return parse_scalar(resolved)

    parts: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        parts.append(text[position : match.start()])
        position = match.end()
        if match.group(0) == "$${":
            parts.append("${")
            continue
        resolved = _lookup(match, environ, source=source, key_path=key_path)
        if isinstance(resolved, Unresolved):
            return resolved
        parts.append(resolved)
    parts.append(text[position:])
    return "".join(parts)


def _lookup(
    match: re.Match[str], environ: Mapping[str, str], *, source: str | None, key_path: str
) -> str | Unresolved:
    variable, default = match.group(1), match.group(2)
    if variable is None:
        raise ConfigurationError(
            f"{prefix(source, key_path)}malformed substitution (a '${{' not followed by a "
            "valid variable name and '}'): write "
            "${VAR} or ${VAR:default} (VAR: letters, digits and _), or $${ for a literal ${"
        )
    if variable in environ:
        return environ[variable]
    if default is not None:
        return default
    return Unresolved(
        f"{prefix(source, key_path)}environment variable {variable} is not set and "
        f"${{{variable}}} has no default; set {variable} or give a default with "
        f"${{{variable}:value}}"
    )
