"""Filter expressions to and from JSON-serialisable dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataknobs_data.codec import decode_json_value, encode_json_value
from dataknobs_data.errors import QueryError
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or

__all__ = ["expression_from_dict", "expression_to_dict"]


def expression_to_dict(expr: Expression) -> dict[str, Any]:
    """Describe an expression as plain JSON data (values in the tagged codec)."""
    if isinstance(expr, Filter):
        value = list(expr.value) if isinstance(expr.value, tuple) else expr.value
        return {"field": expr.field, "op": expr.operator.value, "value": encode_json_value(value)}
    if isinstance(expr, And):
        return {"and": [expression_to_dict(c) for c in expr.children]}
    if isinstance(expr, Or):
        return {"or": [expression_to_dict(c) for c in expr.children]}
    return {"not": expression_to_dict(expr.child)}


def expression_from_dict(data: Mapping[str, Any]) -> Expression:
    """Inverse of :func:`expression_to_dict`."""
    if not isinstance(data, Mapping):
        raise QueryError(f"a filter description must be a mapping, got {data!r}")
    if "and" in data:
        return And(expression_from_dict(c) for c in data["and"])
    if "or" in data:
        return Or(expression_from_dict(c) for c in data["or"])
    if "not" in data:
        return Not(expression_from_dict(data["not"]))
    try:
        return Filter(data["field"], data["op"], decode_json_value(data.get("value")))
    except KeyError as exc:
        raise QueryError(f"a filter description needs 'field' and 'op': {dict(data)!r}") from exc
