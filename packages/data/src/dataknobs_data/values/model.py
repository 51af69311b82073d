"""Kinds of values and the rules of equality that every backend follows.

The value model (API.md §1): None, bool, int, float (finite), str, bytes,
Decimal (finite), date, datetime, and lists and dicts (str keys) of these,
nested to any depth. :func:`prepare_value` is the single write-time gate:
it rejects anything else with a clear error and, when asked, copies mutable
containers so stored state never aliases the caller's objects.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dataknobs_data.errors import ValidationError

__all__ = [
    "Kind",
    "check_value",
    "copy_value",
    "kind_of",
    "prepare_value",
    "to_utc_instant",
    "values_equal",
]


class Kind(StrEnum):
    """The comparable kind of a value; operators only compare values of one kind."""

    NULL = "null"
    BOOLEAN = "boolean"
    NUMBER = "number"
    STRING = "string"
    DATE = "date"
    DATETIME = "datetime"
    BINARY = "binary"
    LIST = "list"
    DICT = "dict"


_KIND_BY_TYPE: dict[type, Kind] = {
    type(None): Kind.NULL,
    bool: Kind.BOOLEAN,
    int: Kind.NUMBER,
    float: Kind.NUMBER,
    Decimal: Kind.NUMBER,
    str: Kind.STRING,
    dt.date: Kind.DATE,
    dt.datetime: Kind.DATETIME,
    bytes: Kind.BINARY,
    list: Kind.LIST,
    dict: Kind.DICT,
}

# Immutable leaf types whose values can be shared without copying.
_SCALARS = frozenset({type(None), bool, int, str, bytes, dt.date})


def kind_of(value: Any) -> Kind:
    """Return the :class:`Kind` of a value of the model.

    Example:
        >>> kind_of(True), kind_of(1.5), kind_of("x")
        (<Kind.BOOLEAN: 'boolean'>, <Kind.NUMBER: 'number'>, <Kind.STRING: 'string'>)
    """
    kind = _KIND_BY_TYPE.get(type(value))
    if kind is None:
        kind = _kind_of_subclass(value)
    return kind


def _kind_of_subclass(value: Any) -> Kind:
    # Subclasses (e.g. IntEnum, pandas Timestamp) are accepted by their base type.
    if isinstance(value, bool):
        return Kind.BOOLEAN
    if isinstance(value, int | float | Decimal):
        return Kind.NUMBER
    if isinstance(value, str):
        return Kind.STRING
    if isinstance(value, dt.datetime):
        return Kind.DATETIME
    if isinstance(value, dt.date):
        return Kind.DATE
    if isinstance(value, bytes | bytearray | memoryview):
        return Kind.BINARY
    if isinstance(value, list | tuple):
        return Kind.LIST
    if isinstance(value, dict):
        return Kind.DICT
    raise ValidationError(
        f"value of type {type(value).__name__} is not in the value model "
        "(None, bool, int, float, str, bytes, Decimal, date, datetime, list, dict); "
        "convert it before storing"
    )


def prepare_value(value: Any, path: str, copy: bool) -> Any:
    """Check ``value`` against the value model and return it, copied if ``copy``.

    Args:
        value: The value to check.
        path: Where the value sits (``"address.city"``), for the error message.
        copy: Copy lists and dicts so the result shares no mutable state.

    Raises:
        ValidationError: The value (or something nested in it) is outside the model.
    """
    tp = type(value)
    if tp in _SCALARS:
        return value
    if tp is float:
        if not math.isfinite(value):
            raise ValidationError(
                f"field {path!r}: {value!r} is not storable; only finite floats are "
                "(store None, or a string, instead)"
            )
        return value
    if tp is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise ValidationError(
                    f"field {path!r}: dict keys must be strings, got {type(key).__name__} "
                    f"key {key!r}"
                )
            out[key] = prepare_value(item, f"{path}.{key}", copy)
        return out if copy else value
    if tp is list:
        items = [prepare_value(item, f"{path}[{i}]", copy) for i, item in enumerate(value)]
        return items if copy else value
    if tp is dt.datetime:
        # Aware datetimes keep their instant and are stored in UTC (API.md §1).
        return value if value.tzinfo is None else value.astimezone(dt.UTC)
    if tp is Decimal:
        if not value.is_finite():
            raise ValidationError(
                f"field {path!r}: Decimal {value} is not storable; only finite Decimals are"
            )
        return value
    return _prepare_other(value, path, copy)


def _prepare_other(value: Any, path: str, copy: bool) -> Any:
    if isinstance(value, tuple):
        return prepare_value(list(value), path, copy)
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    try:
        kind = kind_of(value)
    except ValidationError as exc:
        raise ValidationError(f"field {path!r}: {exc}") from None
    # A subclass of a model type: store it as its base type so it reads back identically.
    converters: dict[Kind, Any] = {
        Kind.BOOLEAN: bool,
        Kind.STRING: str,
        Kind.LIST: list,
        Kind.DICT: dict,
    }
    if kind is Kind.NUMBER:
        base = int if isinstance(value, int) else float if isinstance(value, float) else Decimal
        return prepare_value(base(value), path, copy)
    if kind is Kind.DATETIME:
        v = value
        base_dt = dt.datetime(
            v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo
        )
        return prepare_value(base_dt, path, copy)
    if kind is Kind.DATE:
        return dt.date(value.year, value.month, value.day)
    return prepare_value(converters[kind](value), path, copy)


def check_value(value: Any, path: str = "value") -> None:
    """Raise :class:`ValidationError` if ``value`` is outside the value model."""
    prepare_value(value, path, copy=False)


def copy_value(value: Any) -> Any:
    """Copy lists and dicts recursively; leaves are immutable and shared."""
    tp = type(value)
    if tp is dict:
        return {k: copy_value(v) for k, v in value.items()}
    if tp is list:
        return [copy_value(v) for v in value]
    return value


def to_utc_instant(value: dt.datetime) -> dt.datetime:
    """Return an aware UTC datetime; naive datetimes are read as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def values_equal(a: Any, b: Any) -> bool:
    """Equality of the query language (API.md §2).

    Numbers compare by exact value (``1 == 1.0``), bool is not a number, lists
    and dicts compare element by element, datetimes compare as instants (a
    naive datetime is read as UTC), and values of different kinds are unequal.

    Example:
        >>> values_equal(1, 1.0), values_equal(True, 1), values_equal([1], [1.0])
        (True, False, True)
    """
    ka, kb = kind_of(a), kind_of(b)
    if ka is not kb:
        return False
    if ka is Kind.LIST:
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    if ka is Kind.DICT:
        return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)
    if ka is Kind.DATETIME:
        return bool(to_utc_instant(a) == to_utc_instant(b))
    if ka is Kind.NUMBER and a != a:  # pragma: no cover - NaN never enters the model
        return False
    return bool(a == b)
