"""Query -> SQL: filters, sorts and paging as psycopg ``sql`` objects plus parameters.

I/O-free and shared by both faces. Values are always parameters; field names become
quoted string literals inside ``data -> 'name'`` (literals rather than parameters so that
expression indexes match). Every positive predicate is TRUE only for a match (FALSE or
NULL otherwise), and every complement is ``(...) IS NOT TRUE``, so missing and null
values fall on the negative side exactly as in :mod:`dataknobs_data.query.evaluate`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from psycopg import sql

from dataknobs_data.backends.postgres import patterns
from dataknobs_data.backends.postgres.storage import (
    encode_scalar,
    escape_key,
    escape_text,
    numeric_fits,
)
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator
from dataknobs_data.query.query import SortOrder, SortSpec
from dataknobs_data.values.keys import equality_key
from dataknobs_data.values.model import Kind, kind_of, to_utc_instant

__all__ = ["Translator", "can_push"]

_C = sql.SQL(' COLLATE "C"')
_NUMBER_TYPES = (int, float, Decimal)
# Upper bound (exclusive) of each dk_key kind prefix.
_NEXT_PREFIX = {"1": "2", "3": "4", "4": "5", "5": "6", "6": "7"}
# Kinds with exactly one stored form per value: equality compares stored forms (indexed).
_CANONICAL = frozenset({Kind.STRING, Kind.BOOLEAN, Kind.DATE, Kind.BINARY})
# A string starting so (or "true"/"false") could be the ->> text of a non-string value.
_NON_STRING_STARTS = "{[-0123456789"


def _values_of(f: Filter) -> list[Any]:
    op = f.positive.operator
    if op in (Operator.IN, Operator.BETWEEN):
        return list(f.value)
    return [f.value]


def can_push(f: Filter) -> bool:
    """Whether PostgreSQL evaluates ``f`` exactly (numbers must fit numeric)."""
    for value in _values_of(f):
        if type(value) in _NUMBER_TYPES and not numeric_fits(value):
            return False
    return True


def scalar_key(value: Any) -> str | None:
    """The ``dk_key`` text of a non-number scalar, or None for numbers and containers."""
    kind = kind_of(value)
    if kind is Kind.STRING:
        return "3" + escape_text(str(value))
    if kind is Kind.BOOLEAN:
        return "11" if value else "10"
    if kind is Kind.DATE:
        return "4" + str(value.isoformat())
    if kind is Kind.DATETIME:
        instant = to_utc_instant(value).replace(tzinfo=None)
        return "5" + instant.isoformat(timespec="microseconds")
    if kind is Kind.BINARY:
        return "6" + bytes(value).hex()
    return None


def text_form(value: Any) -> tuple[str, str | None] | None:
    """How ``data ->> 'f'`` reads ``value``'s stored form, and the jsonb type to check.

    Comparing that text is exact and faster than comparing jsonb values. The type is
    None when no value of another type reads as the same text (most strings). None
    when the stored form is not a plain text (strings holding U+0000 or U+0001).
    """
    kind = kind_of(value)
    if kind is Kind.STRING:
        text = str(value)
        if "\x00" in text or "\x01" in text:
            return None
        ambiguous = text in ("true", "false") or text[:1] in _NON_STRING_STARTS
        return text, ("string" if ambiguous else None)
    if kind is Kind.BOOLEAN:
        return ("true" if value else "false"), "boolean"
    if kind in (Kind.DATE, Kind.BINARY):
        # A one-key object: jsonb prints it as json.dumps does by default.
        return json.dumps(json.loads(encode_scalar(value)), ensure_ascii=False), "object"
    return None


def _number(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


class Translator:
    """Builds SQL for one table; ``ilike_collation`` is the collation ILIKE lowers with."""

    def __init__(self, schema: str, table: str, ilike_collation: str | None = None) -> None:
        self.schema = schema
        self.table = sql.Identifier(schema, table)
        self._s = sql.Identifier(schema)
        self._ilike_collation = ilike_collation

    # -- value expressions -------------------------------------------------------------
    def field(self, name: str) -> sql.Composable:
        """``data -> 'a' -> 'b'`` for the dotted field name ``a.b``.

        Keys are quoted literals, not parameters, so that expression indexes match; their
        ``%`` is doubled because every statement is executed with a parameter sequence.
        """
        return self._path(name, sql.SQL(" -> "))

    def text_field(self, name: str) -> sql.Composable:
        """``data -> 'a' ->> 'b'``: the text of the value :meth:`field` selects."""
        return self._path(name, sql.SQL(" ->> "))

    @staticmethod
    def _path(name: str, last: sql.SQL) -> sql.Composable:
        expr: sql.Composable = sql.SQL("data")
        parts = name.split(".")
        for i, part in enumerate(parts):
            quoted = sql.Literal(escape_key(part)).as_string(None).replace("%", "%%")
            arrow = last if i == len(parts) - 1 else sql.SQL(" -> ")
            expr = sql.SQL("{}{}{}").format(expr, arrow, sql.SQL(quoted))
        return sql.SQL("({})").format(expr)

    def _fn(self, name: str, arg: sql.Composable) -> sql.Composable:
        return sql.SQL("{}.{}({})").format(self._s, sql.Identifier(name), arg)

    def num(self, v: sql.Composable) -> sql.Composable:
        """The exact numeric value of a number, else NULL."""
        return self._fn("dk_num", v)

    def key(self, v: sql.Composable) -> sql.Composable:
        """The collated ``dk_key`` of a non-number scalar, else NULL."""
        return sql.SQL("({}{})").format(self._fn("dk_key", v), _C)

    # -- predicates --------------------------------------------------------------------
    def where(self, expr: Expression, params: list[Any]) -> sql.Composable:
        """The SQL condition for ``expr``; appends its parameters to ``params`` in order."""
        if isinstance(expr, Filter):
            v, text = self.field(expr.field), self.text_field(expr.field)
            positive = self._positive(expr.positive, v, params, text)
            if expr.is_negative:
                return sql.SQL("(({}) IS NOT TRUE)").format(positive)
            return positive
        if isinstance(expr, And | Or):
            joiner = sql.SQL(" AND " if isinstance(expr, And) else " OR ")
            return sql.SQL("({})").format(
                joiner.join([self.where(c, params) for c in expr.children])
            )
        assert isinstance(expr, Not)
        return sql.SQL("(({}) IS NOT TRUE)").format(self.where(expr.child, params))

    def _positive(
        self, f: Filter, v: sql.Composable, params: list[Any], text: sql.Composable
    ) -> sql.Composable:
        op, value = f.operator, f.value
        if op is Operator.EQ:
            return self._equals(v, value, params, text)
        if op is Operator.IN:
            return self._in(v, list(value), params, text)
        if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE):
            return self._compare(v, op, value, params)
        if op is Operator.BETWEEN:
            low, high = value
            return sql.SQL("({} AND {})").format(
                self._compare(v, Operator.GTE, low, params),
                self._compare(v, Operator.LTE, high, params),
            )
        if op in (Operator.LIKE, Operator.ILIKE):
            return self._like(v, value, params, insensitive=op is Operator.ILIKE)
        if op is Operator.REGEX:
            return self._regex(v, value, params)
        if op is Operator.STARTS_WITH:
            params.append("3" + patterns.like_escape(escape_text(value)) + "%")
            return sql.SQL("({} LIKE %s)").format(self.key(v))
        if op is Operator.CONTAINS:
            return self._contains(v, value, params)
        if op is Operator.EXISTS:
            return sql.SQL("(jsonb_typeof({}) <> 'null')").format(v)
        raise AssertionError(f"no SQL for {op}")  # pragma: no cover

    def _is_null(self, v: sql.Composable) -> sql.Composable:
        return sql.SQL("(COALESCE(jsonb_typeof({}), 'null') = 'null')").format(v)

    def _equals(
        self, v: sql.Composable, value: Any, params: list[Any], text: sql.Composable | None
    ) -> sql.Composable:
        """``v`` equals ``value``; ``text`` is ``v`` read as text (``->>``) when ``v`` is a path."""
        if value is None:
            return self._is_null(v)
        if type(value) in _NUMBER_TYPES:
            params.append(_number(value))
            return sql.SQL("({} = %s)").format(self.num(v))
        if kind_of(value) in _CANONICAL:
            form = text_form(value) if text is not None else None
            if form is None:
                params.append(encode_scalar(value))
                return sql.SQL("({} = %s::jsonb)").format(v)
            assert text is not None
            params.append(form[0])
            return self._typed(sql.SQL("({} = %s)").format(text), v, form[1])
        key = scalar_key(value)
        if key is not None:
            params.append(key)
            return sql.SQL("({} = %s)").format(self.key(v))
        params.append(equality_key(value))
        return sql.SQL("({} = %s)").format(self._fn("dk_canon", v))

    @staticmethod
    def _typed(test: sql.Composable, v: sql.Composable, json_type: str | None) -> sql.Composable:
        if json_type is None:
            return test
        return sql.SQL("({} AND jsonb_typeof({}) = {})").format(test, v, sql.Literal(json_type))

    def _in(
        self, v: sql.Composable, values: list[Any], params: list[Any], text: sql.Composable
    ) -> sql.Composable:
        numbers = [_number(x) for x in values if type(x) in _NUMBER_TYPES]
        stored: list[str] = []
        texts: dict[str | None, list[str]] = {}  # jsonb type to check -> texts
        for x in values:
            if kind_of(x) in _CANONICAL:
                form = text_form(x)
                if form is None:
                    stored.append(encode_scalar(x))
                else:
                    texts.setdefault(form[1], []).append(form[0])
        keys = [scalar_key(x) for x in values if kind_of(x) is Kind.DATETIME]
        canon = [equality_key(x) for x in values if kind_of(x) in (Kind.LIST, Kind.DICT)]
        parts: list[sql.Composable] = []
        if any(x is None for x in values):
            parts.append(self._is_null(v))
        if numbers:
            params.append(numbers)
            parts.append(sql.SQL("{} = ANY(%s::numeric[])").format(self.num(v)))
        for json_type, group in texts.items():
            params.append(group)
            parts.append(self._typed(sql.SQL("{} = ANY(%s::text[])").format(text), v, json_type))
        if stored:
            params.append(stored)
            parts.append(sql.SQL("{} = ANY(%s::text[]::jsonb[])").format(v))
        if keys:
            params.append(keys)
            parts.append(sql.SQL("{} = ANY(%s::text[])").format(self.key(v)))
        if canon:
            params.append(canon)
            parts.append(sql.SQL("{} = ANY(%s::text[])").format(self._fn("dk_canon", v)))
        if not parts:
            return sql.SQL("FALSE")
        return sql.SQL("({})").format(sql.SQL(" OR ").join(parts))

    def _compare(
        self, v: sql.Composable, op: Operator, value: Any, params: list[Any]
    ) -> sql.Composable:
        symbol = sql.SQL({Operator.GT: ">", Operator.GTE: ">=", Operator.LT: "<"}.get(op, "<="))
        if type(value) in _NUMBER_TYPES:
            params.append(_number(value))
            return sql.SQL("({} {} %s)").format(self.num(v), symbol)
        text = scalar_key(value)
        assert text is not None
        key = self.key(v)
        # Keys of one kind share their first character: bound the other side by the kind.
        if op in (Operator.GT, Operator.GTE):
            params.extend([text, _NEXT_PREFIX[text[0]]])
            return sql.SQL("({} {} %s AND {} < %s)").format(key, symbol, key)
        params.extend([text, text[0]])
        return sql.SQL("({} {} %s AND {} >= %s)").format(key, symbol, key)

    def _lowered(self, expr: sql.Composable) -> sql.Composable:
        if self._ilike_collation is None:
            return sql.SQL("lower({})").format(expr)
        return sql.SQL("lower(({}) COLLATE {})").format(expr, sql.Identifier(self._ilike_collation))

    def _text_domains(self, v: sql.Composable) -> tuple[sql.Composable, sql.Composable]:
        plain = sql.SQL("(CASE WHEN jsonb_typeof({}) = 'string' THEN {} #>> '{{}}' END)").format(
            v, v
        )
        escaped = sql.SQL("({} ->> '$str')").format(v)
        return plain, escaped

    def _like(
        self, v: sql.Composable, pattern: str, params: list[Any], *, insensitive: bool
    ) -> sql.Composable:
        plain, escaped = self._text_domains(v)
        if insensitive:
            pattern = pattern.lower()
            plain, escaped = self._lowered(plain), self._lowered(escaped)
        parts: list[sql.Composable] = []
        like = patterns.like_plain(pattern)
        if like is not None:
            params.append(like)
            parts.append(sql.SQL("({}{} LIKE %s)").format(plain, _C))
        params.append(patterns.like_escaped_regex(pattern))
        parts.append(sql.SQL("({}{} ~ %s)").format(escaped, _C))
        return sql.SQL("({})").format(sql.SQL(" OR ").join(parts))

    def _regex(self, v: sql.Composable, pattern: str, params: list[Any]) -> sql.Composable:
        plain, escaped = self._text_domains(v)
        params.extend([patterns.regex_plain(pattern), patterns.regex_escaped(pattern)])
        return sql.SQL("(({}{} ~ %s) OR ({}{} ~ %s))").format(plain, _C, escaped, _C)

    def _contains(self, v: sql.Composable, value: Any, params: list[Any]) -> sql.Composable:
        if value is None:
            return sql.SQL("FALSE")
        element = sql.SQL("e.x")
        test = self._equals(element, value, params, None)
        return sql.SQL(
            "(jsonb_typeof({}) = 'array' AND EXISTS "
            "(SELECT 1 FROM jsonb_array_elements({}) AS e(x) WHERE {}))"
        ).format(v, v, test)

    # -- ordering and statements --------------------------------------------------------
    def order_by(self, specs: Sequence[SortSpec]) -> sql.Composable:
        """ORDER BY: kind rank (missing/null last), value within kind, then id."""
        items: list[sql.Composable] = []
        for spec in specs:
            v = self.field(spec.field)
            d = sql.SQL("DESC" if spec.order is SortOrder.DESC else "ASC")
            rank = self._fn("dk_rank", v)
            canon = sql.SQL("(CASE WHEN {} >= 7 THEN {} END){}").format(
                rank, self._fn("dk_canon", v), _C
            )
            items.append(sql.SQL("{} {} NULLS LAST").format(rank, d))
            items.extend(sql.SQL("{} {}").format(e, d) for e in (self.num(v), self.key(v), canon))
        items.append(sql.SQL("id"))
        return sql.SQL(" ORDER BY ") + sql.SQL(", ").join(items)

    def select(
        self,
        native: NativeQuery,
        params: list[Any],
        *,
        columns: str = "id, data, metadata, field_order",
    ) -> sql.Composed:
        """The SELECT of a plan's native part (filter, sort, offset, limit)."""
        query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(columns), self.table)
        if native.where is not None:
            query += sql.SQL(" WHERE ") + self.where(native.where, params)
        query += self.order_by(native.sort)
        if native.offset:
            params.append(native.offset)
            query += sql.SQL(" OFFSET %s")
        if native.limit is not None:
            params.append(native.limit)
            query += sql.SQL(" LIMIT %s")
        return query

    def count(self, native: NativeQuery, params: list[Any]) -> sql.Composed:
        """The statement counting the records that match a plan's filter."""
        query = sql.SQL("SELECT count(*) FROM {}").format(self.table)
        if native.where is not None:
            query += sql.SQL(" WHERE ") + self.where(native.where, params)
        return query
