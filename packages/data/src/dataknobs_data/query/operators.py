"""Operator: the comparison operators of the query language, and how names parse."""

from __future__ import annotations

from enum import StrEnum

from dataknobs_data.errors import QueryError

__all__ = ["NEGATION", "Operator", "parse_operator"]


class Operator(StrEnum):
    """A comparison operator; each is also accepted as its string (``">="``).

    ``NOT_NULL`` is another name for ``EXISTS`` and ``IS_NULL`` for ``NOT_EXISTS``.
    """

    EQ = "=="
    NE = "!="
    GT = ">"
    GTE = ">="
    LT = "<"
    LTE = "<="
    IN = "in"
    NOT_IN = "not_in"
    BETWEEN = "between"
    NOT_BETWEEN = "not_between"
    LIKE = "like"
    NOT_LIKE = "not_like"
    ILIKE = "ilike"
    NOT_ILIKE = "not_ilike"
    REGEX = "regex"
    NOT_REGEX = "not_regex"
    STARTS_WITH = "starts_with"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"
    EXISTS = "exists"
    NOT_EXISTS = "not_exists"
    NOT_NULL = "exists"  # alias of EXISTS
    IS_NULL = "not_exists"  # alias of NOT_EXISTS


# Each negative operator and the positive operator it is the exact complement of.
NEGATION: dict[Operator, Operator] = {
    Operator.NE: Operator.EQ,
    Operator.NOT_IN: Operator.IN,
    Operator.NOT_BETWEEN: Operator.BETWEEN,
    Operator.NOT_LIKE: Operator.LIKE,
    Operator.NOT_ILIKE: Operator.ILIKE,
    Operator.NOT_REGEX: Operator.REGEX,
    Operator.NOT_CONTAINS: Operator.CONTAINS,
    Operator.NOT_EXISTS: Operator.EXISTS,
}

_ALIASES: dict[str, Operator] = {
    "=": Operator.EQ,
    "eq": Operator.EQ,
    "<>": Operator.NE,
    "ne": Operator.NE,
    "gt": Operator.GT,
    "gte": Operator.GTE,
    "ge": Operator.GTE,
    "lt": Operator.LT,
    "lte": Operator.LTE,
    "le": Operator.LTE,
    "not in": Operator.NOT_IN,
    "not between": Operator.NOT_BETWEEN,
    "not like": Operator.NOT_LIKE,
    "not ilike": Operator.NOT_ILIKE,
    "not_null": Operator.EXISTS,
    "not null": Operator.EXISTS,
    "is_null": Operator.NOT_EXISTS,
    "is null": Operator.NOT_EXISTS,
    "startswith": Operator.STARTS_WITH,
}


def parse_operator(op: Operator | str) -> Operator:
    """Return the :class:`Operator` for an operator or its string form.

    Accepts the symbol (``">="``), the value (``"not_in"``) and the member name
    in any case (``"GTE"``). Anything else is a :class:`QueryError`; it is
    never read as equality.

    Example:
        >>> parse_operator(">="), parse_operator("not_in"), parse_operator("IS_NULL")
        (<Operator.GTE: '>='>, <Operator.NOT_IN: 'not_in'>, <Operator.NOT_EXISTS: 'not_exists'>)
    """
    if isinstance(op, Operator):
        return op
    if isinstance(op, str):
        text = op.strip()
        try:
            return Operator(text)
        except ValueError:
            pass
        lowered = text.lower()
        found = _ALIASES.get(lowered) or Operator.__members__.get(text.upper())
        if found is None:
            try:
                found = Operator(lowered)
            except ValueError:
                found = None
        if found is not None:
            return found
    valid = ", ".join(sorted({o.value for o in Operator}))
    raise QueryError(f"unknown operator {op!r}; valid operators: {valid}")
