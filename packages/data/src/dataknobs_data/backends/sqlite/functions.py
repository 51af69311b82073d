"""SQL functions that SQLite lacks, registered on every connection.

All are deterministic (usable in indexes and constant-folded per statement)
and are called only where native SQL cannot be exact: rows holding Decimals,
integers beyond 64 bits or strings containing U+0000, Unicode-aware
``lower()`` for ILIKE, the portable regex, and sort keys of binary, list and
dict values. Each takes JSON text written by :mod:`dataknobs_data.codec` and
returns NULL for a value of another kind; unreadable data raises, so a
corrupt row is an error rather than a silently wrong answer.
"""

from __future__ import annotations

import decimal
import json
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dataknobs_data import codec
from dataknobs_data.query.evaluate import compile_expression, field_getter, portable_regex
from dataknobs_data.query.filters import Filter
from dataknobs_data.values.keys import number_key, sort_key

__all__ = ["match_spec", "register_functions"]

_VALUE = "v"


def match_spec(operator: str, operand: Any) -> str:
    """The text :func:`dk_match` reads: the operator and its tagged-JSON operand."""
    return json.dumps([operator, codec.encode_json_value(operand)], separators=(",", ":"))


@lru_cache(maxsize=512)
def _compiled(spec: str) -> Callable[[dict[str, Any]], bool]:
    operator, operand = json.loads(spec)
    return compile_expression(Filter(_VALUE, operator, codec.decode_json_value(operand)))


def dk_match(value_json: str | None, spec: str) -> int | None:
    """Evaluate one filter (``spec``) on a value given as JSON text, with the shared evaluator."""
    if value_json is None:
        return 0
    return int(_compiled(spec)({_VALUE: codec.loads(value_json)}))


def regexp(pattern: str | None, value: Any) -> int | None:
    """``value REGEXP pattern``: an unanchored search of the portable subset."""
    if type(value) is not str or pattern is None:
        return None
    return int(portable_regex(pattern).search(value) is not None)


def dk_lower(value: Any) -> str | None:
    """Python's full Unicode ``str.lower`` (SQLite's ``lower`` folds ASCII only)."""
    return value.lower() if type(value) is str else None


def dk_text(value_json: str | None) -> str | None:
    """The exact string of a JSON string (``json_extract`` stops at U+0000)."""
    if value_json is None:
        return None
    value = json.loads(value_json)
    return value if type(value) is str else None


def _number(value_json: str | None) -> int | float | Decimal | None:
    if value_json is None:
        return None
    value = codec.loads(value_json)
    return value if type(value) in (int, float, Decimal) else None


def _float(value: int | float | Decimal) -> float:
    try:
        return float(value)
    except OverflowError:
        return float(Decimal(value))


def dk_approx(value_json: str | None) -> float | None:
    """The nearest float of a number SQLite cannot hold exactly (big int, Decimal)."""
    value = _number(value_json)
    return None if value is None else _float(value)


def dk_residual(value_json: str | None) -> str | None:
    """``number_key(value - dk_approx(value))``: orders numbers that share one float.

    Rows sort by ``(approx, residual)``; exactly representable numbers have
    residual ``number_key(0)``. An approximation of ±inf (a huge Decimal)
    contains only such values, which are then ordered by their own key.
    """
    value = _number(value_json)
    if value is None:
        return None
    approx = _float(value)
    if approx in (float("inf"), float("-inf")):
        return number_key(value)
    exact = Decimal(value)
    near = Decimal(approx)
    exponent = min(int(exact.as_tuple().exponent), int(near.as_tuple().exponent))
    digits = max(exact.adjusted(), near.adjusted()) - exponent + 3
    context = decimal.Context(prec=max(digits, 28), Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    return number_key(context.subtract(exact, near))


def dk_sortkey(value_json: str | None) -> str | None:
    """The shared ``sort_key`` of a value given as JSON text (NULL for null)."""
    if value_json is None:
        return None
    value = codec.loads(value_json)
    return None if value is None else sort_key(value)


def dk_field_sortkey(data_json: str | None, field: str) -> str | None:
    """The ``sort_key`` of ``field`` (dotted) in a whole record's data, for odd field names."""
    if data_json is None:
        return None
    from dataknobs_data.backends.sqlite.storage import decode_data

    value = field_getter(field)(decode_data(data_json))
    return None if value is None else sort_key(value)


_FUNCTIONS: list[tuple[str, int, Callable[..., Any]]] = [
    ("regexp", 2, regexp),
    ("dk_match", 2, dk_match),
    ("dk_lower", 1, dk_lower),
    ("dk_text", 1, dk_text),
    ("dk_approx", 1, dk_approx),
    ("dk_residual", 1, dk_residual),
    ("dk_sortkey", 1, dk_sortkey),
    ("dk_field_sortkey", 2, dk_field_sortkey),
]


def register_functions(connection: sqlite3.Connection) -> None:
    """Register every function of this module on ``connection``."""
    for name, arity, function in _FUNCTIONS:
        connection.create_function(name, arity, function, deterministic=True)
