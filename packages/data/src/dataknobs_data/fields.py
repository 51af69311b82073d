"""Field and FieldType: a named value with a type inferred from the value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = ["Field", "FieldType", "infer_field_type"]


class FieldType(StrEnum):
    """The type of a field's value.

    ``JSON`` covers lists and dicts; ``None`` infers as ``JSON`` too (null is a
    JSON value) unless a type is given.
    """

    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    DATE = "date"
    BINARY = "binary"
    JSON = "json"


_TYPE_BY_PYTHON: dict[type, FieldType] = {
    str: FieldType.STRING,
    bool: FieldType.BOOLEAN,
    int: FieldType.INTEGER,
    float: FieldType.FLOAT,
    Decimal: FieldType.DECIMAL,
    dt.datetime: FieldType.DATETIME,
    dt.date: FieldType.DATE,
    bytes: FieldType.BINARY,
    list: FieldType.JSON,
    dict: FieldType.JSON,
    type(None): FieldType.JSON,
}


def infer_field_type(value: Any) -> FieldType:
    """Infer the :class:`FieldType` of a value.

    Example:
        >>> infer_field_type(37), infer_field_type(True), infer_field_type(["x"])
        (<FieldType.INTEGER: 'integer'>, <FieldType.BOOLEAN: 'boolean'>, <FieldType.JSON: 'json'>)
    """
    found = _TYPE_BY_PYTHON.get(type(value))
    if found is not None:
        return found
    for python_type, field_type in _TYPE_BY_PYTHON.items():
        if python_type is not type(None) and isinstance(value, python_type):
            return field_type
    return FieldType.JSON


@dataclass
class Field:
    """A named value; ``type`` is inferred from ``value`` unless given.

    Example:
        >>> Field("age", 37)
        Field(name='age', value=37, type=<FieldType.INTEGER: 'integer'>)
    """

    name: str
    value: Any = None
    type: FieldType = field(default=None)  # type: ignore[assignment]
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.type is None:
            self.type = infer_field_type(self.value)
        elif not isinstance(self.type, FieldType):
            self.type = FieldType(self.type)
