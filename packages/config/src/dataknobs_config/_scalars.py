"""Typing a text value the way YAML types a plain scalar.

Whole-value substitutions (``port: ${DB_PORT:5432}``) and environment overrides
arrive as text; they are typed with the YAML 1.2 *core* schema, restricted so
that nothing is lost: ``true``/``false`` become bools, canonical decimal numbers
become ints and floats, ``null``/``~`` become None, anything else stays text.
YAML 1.1 surprises are avoided on purpose: ``yes``/``no``/``on``/``off`` and
dates stay strings, and so do numbers that would not print back the same
(``007``, ``+5``, ``1_000``), so an id or a PIN is never altered.
"""

from __future__ import annotations

import math
import re

__all__ = ["parse_scalar"]

_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)")
_SPECIAL_FLOATS = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = {"null", "Null", "NULL", "~"}


def parse_scalar(text: str) -> str | int | float | bool | None:
    """Type ``text`` as a YAML 1.2 core-schema scalar; the empty string stays ``""``.

    Example:
        >>> [parse_scalar(t) for t in ["5432", "2.5", "true", "null", "", "007", "yes", "a b"]]
        [5432, 2.5, True, None, '', '007', 'yes', 'a b']

    """
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _NULLS:
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    return text
