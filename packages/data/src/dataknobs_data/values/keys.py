"""Order- and equality-preserving string keys for values of the model.

Backends that cannot compare mixed Python values natively (SQL columns,
Elasticsearch keyword fields, Parquet statistics) store these keys and compare
them as plain strings:

* :func:`number_key` maps any finite int, float or Decimal to a string whose
  lexicographic (code point) order is the exact numeric order, and equal
  numbers (``1``, ``1.0``, ``Decimal("1.00")``) to the same string.
* :func:`sort_key` orders values of every kind: first by kind (boolean,
  number, string, date, datetime, binary, list, dict), then by value.
* :func:`equality_key` is equal for two values exactly when
  :func:`~dataknobs_data.values.model.values_equal` says they are equal.

The rationale and the layout of the number encoding are in
docs/design/value-keys.md.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from dataknobs_data.errors import ValidationError
from dataknobs_data.values.model import Kind, kind_of, to_utc_instant

__all__ = ["KIND_PREFIX", "equality_key", "number_key", "sort_key"]

# One character per kind; their order is the cross-kind sort order.
KIND_PREFIX: dict[Kind, str] = {
    Kind.BOOLEAN: "1",
    Kind.NUMBER: "2",
    Kind.STRING: "3",
    Kind.DATE: "4",
    Kind.DATETIME: "5",
    Kind.BINARY: "6",
    Kind.LIST: "7",
    Kind.DICT: "8",
}

_EXP_BIAS = 500_000
_EXP_LIMIT = 499_999
_COMPLEMENT = str.maketrans("0123456789", "9876543210")


def number_key(value: int | float | Decimal) -> str:
    """Encode a finite number so string order equals numeric order.

    Layout: a sign class (``0`` negative, ``1`` zero, ``2`` positive), then
    for non-zero values the decimal exponent biased to six digits and the
    significant digits without trailing zeros; negative values complement
    both and end with ``~`` so that shorter digit strings sort after longer ones.

    Example:
        >>> number_key(1) == number_key(1.0) == number_key(Decimal("1.00"))
        True
        >>> sorted([3, -2.5, 0, 10, Decimal("-10")], key=number_key)
        [Decimal('-10'), -2.5, 0, 3, 10]
    """
    dec = value if isinstance(value, Decimal) else Decimal(value)
    if not dec:
        return "1"
    sign, digits_tuple, exponent = dec.as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digits_tuple)).rstrip("0")
    # value = 0.d1d2d3... x 10**adjusted_exp with d1 != 0
    adjusted = exponent + len(digits_tuple)
    if not -_EXP_LIMIT <= adjusted <= _EXP_LIMIT:
        raise ValidationError(
            f"number {value!r} is out of the storable range (decimal exponent beyond ±{_EXP_LIMIT})"
        )
    if sign == 0:
        return f"2{adjusted + _EXP_BIAS:06d}{digits}"
    return f"0{_EXP_BIAS - adjusted:06d}{digits.translate(_COMPLEMENT)}~"


def _datetime_text(value: dt.datetime) -> str:
    # isoformat, not strftime: glibc's %Y does not zero-pad years below 1000,
    # which would break the order of the keys.
    return to_utc_instant(value).replace(tzinfo=None).isoformat(timespec="microseconds")


def sort_key(value: Any) -> str:
    """Return a string whose order is the sort order of the query language.

    Values are ordered by kind first, then by value within the kind; ``None``
    has no key (missing and null sort last, which callers handle).

    Example:
        >>> sorted(["b", 2, True, "a", 1.5], key=sort_key)
        [True, 1.5, 2, 'a', 'b']
    """
    kind = kind_of(value)
    prefix = KIND_PREFIX.get(kind)
    if prefix is None:
        raise ValidationError("None has no sort key; missing and null values sort last")
    if kind is Kind.NUMBER:
        return prefix + number_key(value)
    if kind is Kind.STRING:
        return prefix + value  # type: ignore[no-any-return]
    if kind is Kind.BOOLEAN:
        return prefix + ("1" if value else "0")
    if kind is Kind.DATE:
        return prefix + value.isoformat()  # type: ignore[no-any-return]
    if kind is Kind.DATETIME:
        return prefix + _datetime_text(value)
    if kind is Kind.BINARY:
        return prefix + bytes(value).hex()
    return prefix + equality_key(value)


def equality_key(value: Any) -> str:
    """Return a canonical string: equal keys if and only if the values are equal.

    Example:
        >>> equality_key([1, {"a": 2.0}]) == equality_key([1.0, {"a": 2}])
        True
        >>> equality_key(True) == equality_key(1)
        False
    """
    return json.dumps(_canonical(value), separators=(",", ":"), ensure_ascii=False)


def _canonical(value: Any) -> Any:
    kind = kind_of(value)
    if kind is Kind.NULL:
        return None
    if kind is Kind.LIST:
        return [_canonical(v) for v in value]
    if kind is Kind.DICT:
        return {"d": sorted([k, _canonical(v)] for k, v in value.items())}
    return sort_key(value)
