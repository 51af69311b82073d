"""The command line's query mini-language: ``--where``, ``--sort`` and ``--select``.

A where clause is ``field OP value``:

- ``field`` is a field name; a dotted path (``address.city``) reaches into nested dicts.
- ``OP`` is any operator name the query language accepts: ``==``, ``!=``, ``>``, ``>=``,
  ``<``, ``<=``, ``in``, ``not_in``, ``between``, ``like``, ``ilike``, ``regex``,
  ``starts_with``, ``contains``, ``exists``, ``not_exists``, and the other ``not_`` forms.
  Symbols may touch their operands (``age>=30``).
- ``value`` is read as JSON when it parses (``30``, ``1.5``, ``true``, ``null``,
  ``"quoted text"``, ``[1, 2]``). Otherwise: ``'single quotes'`` hold a string;
  an unquoted ISO date or datetime (``2024-05-01``, ``2024-05-01T12:00:00Z``) is a
  date or datetime; for ``in``/``not_in``/``between``/``not_between`` a comma list
  (``a,b,c``) is a list whose items are read the same way; anything else is the
  text itself (``name == Ada Lovelace``). ``exists`` and ``not_exists`` take no value.

Several ``--where`` clauses are combined with AND.

Example:
    >>> parse_where("address.city == Oslo")
    Filter(field='address.city', operator=<Operator.EQ: '=='>, value='Oslo')
    >>> parse_where("age between 18,30").value
    (18, 30)
    >>> format_filter(parse_where("signed_up >= 2024-05-01"))
    'signed_up >= 2024-05-01'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dataknobs_data.errors import QueryError
from dataknobs_data.query import And, Filter, Not, Operator, Or, Query, SortOrder
from dataknobs_data.query.filters import Expression
from dataknobs_data.query.operators import parse_operator

__all__ = [
    "build_query",
    "format_expression",
    "format_filter",
    "format_sort",
    "parse_select",
    "parse_sort",
    "parse_value",
    "parse_where",
]

_SYMBOL = re.compile(r"(==|!=|<>|>=|<=|=|>|<)")
_FIELD_END = re.compile(r"\s|==|!=|<>|>=|<=|=|>|<")
_NO_VALUE = frozenset({Operator.EXISTS, Operator.NOT_EXISTS})
_LIST_OPS = frozenset({Operator.IN, Operator.NOT_IN, Operator.BETWEEN, Operator.NOT_BETWEEN})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_JSON_NATIVE = (type(None), bool, int, float, str)


def parse_where(text: str) -> Filter:
    """Parse one ``field OP value`` clause into a :class:`Filter`.

    Raises:
        QueryError: The clause has no field or operator, an unknown operator, a
            value where none belongs (or none where one is needed), or a value
            of the wrong shape for its operator.
    """
    clause = text.strip()
    end = _FIELD_END.search(clause)
    if not clause or end is None or end.start() == 0:
        raise QueryError(
            f"cannot read the where clause {text!r}; write it as 'field OP value', "
            "e.g. 'age >= 30' or 'address.city == Oslo'"
        )
    field = clause[: end.start()]
    rest = clause[end.start() :].lstrip()
    operator, raw_value = _split_operator(rest, text)
    if operator in _NO_VALUE:
        if raw_value:
            raise QueryError(
                f"{operator.value!r} takes no value, but the where clause {text!r} "
                f"has {raw_value!r}; write '{field} {operator.value}'"
            )
        return Filter(field, operator)
    if not raw_value:
        raise QueryError(
            f"the where clause {text!r} has no value after {operator.value!r}; "
            f"write e.g. '{field} {operator.value} 30'"
        )
    value = parse_value(raw_value, as_list=operator in _LIST_OPS)
    if operator in (Operator.IN, Operator.NOT_IN) and not isinstance(value, list):
        value = [value]
    try:
        return Filter(field, operator, value)
    except QueryError as exc:
        raise QueryError(f"in the where clause {text!r}: {exc}") from None


def _split_operator(rest: str, text: str) -> tuple[Operator, str]:
    symbol = _SYMBOL.match(rest)
    if symbol:
        return parse_operator(symbol.group(1)), rest[symbol.end() :].strip()
    words = rest.split(None, 2)
    # Two-word spellings first ("not in", "is null"), then one word.
    if len(words) >= 2:
        try:
            operator = parse_operator(f"{words[0]} {words[1]}")
        except QueryError:
            pass
        else:
            return operator, words[2].strip() if len(words) > 2 else ""
    if not words:
        raise QueryError(f"the where clause {text!r} has no operator; e.g. 'age >= 30'")
    try:
        operator = parse_operator(words[0])
    except QueryError:
        raise QueryError(
            f"unknown operator {words[0]!r} in the where clause {text!r}; use one of "
            + ", ".join(sorted({o.value for o in Operator}))
        ) from None
    return operator, rest[len(words[0]) :].strip()


def parse_value(raw: str, *, as_list: bool = False) -> Any:
    """Read a where-clause value: JSON, a quoted string, a date, a comma list or text.

    Example:
        >>> parse_value("30"), parse_value('"30"'), parse_value("'it''s'"), parse_value("Oslo")
        (30, '30', "it's", 'Oslo')
        >>> parse_value("a, 2", as_list=True)
        ['a', 2]
    """
    text = raw.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    if as_list and "," in text:
        return [_scalar(item) for item in text.split(",")]
    return _scalar(text)


def _scalar(raw: str) -> Any:
    text = raw.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if _DATETIME.fullmatch(text):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    return text


def parse_sort(specs: Iterable[str]) -> list[tuple[str, SortOrder]]:
    """Read ``--sort`` values: ``-age`` descending, ``name`` or ``+name`` ascending.

    ``age:desc`` and ``age:asc`` are accepted too, and a value may hold several
    keys separated by commas (``-age,name``).

    Example:
        >>> parse_sort(["-age,name"])
        [('age', <SortOrder.DESC: 'desc'>), ('name', <SortOrder.ASC: 'asc'>)]
    """
    keys: list[tuple[str, SortOrder]] = []
    for spec in specs:
        for part in spec.split(","):
            key = part.strip()
            order = SortOrder.ASC
            if key.startswith("-"):
                key, order = key[1:], SortOrder.DESC
            elif key.startswith("+"):
                key = key[1:]
            elif ":" in key:
                key, _, direction = key.rpartition(":")
                try:
                    order = SortOrder(direction.strip().lower())
                except ValueError:
                    raise QueryError(
                        f"unknown sort direction {direction!r} in {spec!r}; use asc or desc"
                    ) from None
            key = key.strip()
            if not key:
                raise QueryError(f"cannot read the sort key {spec!r}; write e.g. -age or name")
            keys.append((key, order))
    return keys


def parse_select(specs: Iterable[str]) -> list[str]:
    """Read ``--select`` values: field names separated by commas.

    Example:
        >>> parse_select(["name,age", "address.city"])
        ['name', 'age', 'address.city']
    """
    names = [name.strip() for spec in specs for name in spec.split(",")]
    if any(not name for name in names):
        raise QueryError(f"empty field name in --select {list(specs)!r}; write e.g. name,age")
    return names


def build_query(
    where: Iterable[str] = (),
    sort: Iterable[str] = (),
    limit: int | None = None,
    offset: int = 0,
    select: Iterable[str] = (),
) -> Query:
    """Build a :class:`Query` from command-line option values.

    Example:
        >>> build_query(["age >= 30"], ["-age"], limit=10).to_dict()["sort"]
        [{'field': 'age', 'order': 'desc'}]
    """
    query = Query()
    for clause in where:
        query = query.where(parse_where(clause))
    for key, order in parse_sort(sort):
        query = query.sort(key, order)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    names = parse_select(select)
    if names:
        query = query.select(*names)
    return query


# -- back to text -----------------------------------------------------------------


def format_filter(condition: Filter) -> str:
    """Render a filter as a where clause that :func:`parse_where` reads back."""
    if condition.operator in _NO_VALUE:
        return f"{condition.field} {condition.operator.value}"
    return f"{condition.field} {condition.operator.value} {_format_value(condition.value)}"


def format_expression(expression: Expression | None) -> str:
    """Render any filter expression for display (AND, OR, NOT spelt out)."""
    if expression is None:
        return "-"
    if isinstance(expression, Filter):
        return format_filter(expression)
    if isinstance(expression, And):
        return " AND ".join(_grouped(c) for c in expression.children)
    if isinstance(expression, Or):
        return " OR ".join(_grouped(c) for c in expression.children)
    assert isinstance(expression, Not)
    return f"NOT {_grouped(expression.child)}"


def _grouped(expression: Expression) -> str:
    text = format_expression(expression)
    return text if isinstance(expression, Filter | Not) else f"({text})"


def format_sort(query: Query) -> list[str]:
    """The ``--sort`` values that reproduce ``query``'s sort keys."""
    return [("-" if spec.order is SortOrder.DESC else "") + spec.field for spec in query.sort_specs]


def _is_bare(text: str) -> bool:
    return bool(text) and text == text.strip() and text[0] not in "'\"[{" and "," not in text


def _format_value(value: Any) -> str:
    if isinstance(value, list | tuple) and all(type(v) in _JSON_NATIVE for v in value):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, list | tuple):
        return ",".join(_format_value(v) for v in value)
    if type(value) is str:
        quoted = json.dumps(value, ensure_ascii=False)
        # Bare text reads back the same and is easier to read than JSON escapes.
        return value if "\\" in quoted and _scalar(value) == value and _is_bare(value) else quoted
    if isinstance(value, dt.date | Decimal):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return repr(value)
