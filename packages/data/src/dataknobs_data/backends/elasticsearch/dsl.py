"""Filters and sorts as Elasticsearch query DSL, with the semantics of ``query/evaluate.py``.

Every operator works on the keys of :mod:`.storage`:

=====================  =====================================================
EQ, IN                 ``term``/``terms`` on the sort key (scalars) or the
                       hash token ``e`` (containers, very long values);
                       ``None`` is "no key" (missing == null)
GT, GTE, LT, LTE,      ``range`` on the sort key, bounded to the operand's
BETWEEN                kind prefix (numbers ``2...``, strings ``3...``, ...)
LIKE / STARTS_WITH     ``wildcard`` / ``prefix`` on the sort key behind ``3``
ILIKE                  ``wildcard`` on the lowercase key ``l``
REGEX                  ``regexp`` (flags NONE) on the sort key behind ``3``
CONTAINS               ``term`` on the element tokens ``c``
EXISTS                 ``exists`` on the sort key
negative forms, ``~``  ``bool.must_not`` of the positive form, so missing
                       and null values are included
=====================  =====================================================

Keys longer than a keyword term are truncated (``lossy`` paths, see
:mod:`.storage`). Filters whose answer a truncated key can change (string
ranges, patterns; and sorts) are translated twice: ``definite`` excludes documents lossy on the
path, ``possible`` includes them. Queries send ``possible`` and ask, in the
same request, how many lossy documents matched; when that is not zero the
backend re-evaluates in Python (see :attr:`Translation.lossy_paths`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dataknobs_data.backends.elasticsearch.patterns import like_to_wildcard, regex_to_lucene
from dataknobs_data.backends.elasticsearch.storage import ID_FIELD, LOSSY_FIELD, key_field, token
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator
from dataknobs_data.query.query import SortOrder, SortSpec
from dataknobs_data.values.keys import KIND_PREFIX, sort_key
from dataknobs_data.values.model import Kind, kind_of

__all__ = [
    "MATCH_ALL",
    "Translation",
    "can_translate",
    "sort_clause",
    "translate",
]

MATCH_ALL: dict[str, Any] = {"match_all": {}}
MATCH_NONE: dict[str, Any] = {"match_none": {}}
MAX_TERMS = 65_536  # index.max_terms_count
MAX_PATTERN_CHARS = 8000  # range bounds and patterns stay well within a keyword term
_STRING = KIND_PREFIX[kind_of("")]
_PATTERNS = frozenset({Operator.LIKE, Operator.ILIKE, Operator.REGEX, Operator.STARTS_WITH})
_RANGES = frozenset({Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.BETWEEN})


def _key_sensitive(f: Filter) -> bool:
    """Whether a truncated key can change the filter's answer.

    Only string keys are ever truncated among the kinds that ranges compare
    (numbers too long to index are refused at write time; dates, datetimes and
    booleans have short keys), and a truncated key keeps its kind prefix, so
    ranges over numbers, dates and datetimes are exact on every document.
    """
    if f.operator in _PATTERNS:
        return True
    if f.operator in _RANGES:
        operand = f.value[0] if f.operator is Operator.BETWEEN else f.value
        return kind_of(operand) is Kind.STRING
    return False


@dataclass(frozen=True)
class Translation:
    """A filter as DSL.

    Attributes:
        query: The query to send (``possible``: exact on every document that
            has no truncated key on the paths in ``lossy_paths``).
        lossy_paths: Paths whose truncated keys could change the answer; if a
            matching document is lossy on one of them, evaluate in Python.
    """

    query: dict[str, Any]
    lossy_paths: tuple[str, ...] = ()


@dataclass
class _Pair:
    definite: dict[str, Any]
    possible: dict[str, Any]


@dataclass
class _Context:
    lossy_paths: set[str] = field(default_factory=set)


def can_translate(condition: Filter) -> bool:
    """Whether a filter has an exact DSL form.

    Not: regexes without a Lucene form, and range or pattern operands too long
    for a keyword term (both rare; the planner evaluates them in Python).
    """
    positive = condition.positive
    op, value = positive.operator, positive.value
    if op is Operator.REGEX:
        return len(value) <= MAX_PATTERN_CHARS and regex_to_lucene(value) is not None
    if op in (Operator.LIKE, Operator.ILIKE, Operator.STARTS_WITH):
        return len(value) <= MAX_PATTERN_CHARS
    if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE):
        return len(sort_key(value)) <= MAX_PATTERN_CHARS
    if op is Operator.BETWEEN:
        return all(len(sort_key(v)) <= MAX_PATTERN_CHARS for v in value)
    return True


def translate(expr: Expression | None) -> Translation:
    """Translate a filter expression (None: every document).

    Example:
        >>> from dataknobs_data import Filter
        >>> translate(Filter("n", "==", 1)).query
        {'term': {'f.n.s': '225000011'}}
    """
    if expr is None:
        return Translation(MATCH_ALL)
    ctx = _Context()
    pair = _expression(expr, ctx)
    return Translation(pair.possible, tuple(sorted(ctx.lossy_paths)))


def _expression(expr: Expression, ctx: _Context) -> _Pair:
    if isinstance(expr, Filter):
        if expr.is_negative:
            return _negate(_positive(expr.positive, ctx))
        return _positive(expr, ctx)
    if isinstance(expr, And):
        pairs = [_expression(c, ctx) for c in expr.children]
        return _Pair(
            _bool(filter=[p.definite for p in pairs]), _bool(filter=[p.possible for p in pairs])
        )
    if isinstance(expr, Or):
        pairs = [_expression(c, ctx) for c in expr.children]
        return _Pair(_any([p.definite for p in pairs]), _any([p.possible for p in pairs]))
    assert isinstance(expr, Not)
    return _negate(_expression(expr.child, ctx))


def _negate(pair: _Pair) -> _Pair:
    # Not(possible) is definite: a document outside the possible set never matches.
    return _Pair(_not(pair.possible), _not(pair.definite))


def _bool(**clauses: list[dict[str, Any]]) -> dict[str, Any]:
    if list(clauses) == ["filter"] and len(clauses["filter"]) == 1:
        return clauses["filter"][0]
    return {"bool": clauses}


def _not(query: dict[str, Any]) -> dict[str, Any]:
    if query == MATCH_ALL:
        return MATCH_NONE
    if query == MATCH_NONE:
        return MATCH_ALL
    return {"bool": {"must_not": [query]}}


def _any(queries: list[dict[str, Any]]) -> dict[str, Any]:
    queries = [q for q in queries if q != MATCH_NONE]
    if not queries:
        return MATCH_NONE
    if len(queries) == 1:
        return queries[0]
    return {"bool": {"should": queries, "minimum_should_match": 1}}


def _positive(f: Filter, ctx: _Context) -> _Pair:
    exact = _exact(f)
    if exact == MATCH_NONE or not _key_sensitive(f):
        return _Pair(exact, exact)
    ctx.lossy_paths.add(f.field)
    lossy = {"term": {LOSSY_FIELD: f.field}}
    return _Pair(
        {"bool": {"filter": [exact], "must_not": [lossy]}},
        {"bool": {"should": [exact, lossy], "minimum_should_match": 1}},
    )


def _exact(f: Filter) -> dict[str, Any]:
    op, value, path = f.operator, f.value, f.field
    s = key_field(path, "s")
    if op is Operator.EQ:
        return _not({"exists": {"field": s}}) if value is None else _equal(path, [value])
    if op is Operator.IN:
        if not value:
            return MATCH_NONE
        found = _equal(path, [v for v in value if v is not None])
        if any(v is None for v in value):
            return _any([found, _not({"exists": {"field": s}})])
        return found
    if op is Operator.EXISTS:
        return {"exists": {"field": s}}
    if op is Operator.CONTAINS:
        if value is None:
            return MATCH_NONE
        return {"term": {key_field(path, "c"): token(value)}}
    if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE):
        return {"range": {s: _range(op, value)}}
    if op is Operator.BETWEEN:
        low, high = value
        if sort_key(low) > sort_key(high):
            return MATCH_NONE
        return {"range": {s: {"gte": sort_key(low), "lte": sort_key(high)}}}
    if op is Operator.STARTS_WITH:
        return {"prefix": {s: {"value": _STRING + value}}}
    if op is Operator.LIKE:
        return {"wildcard": {s: {"value": _STRING + like_to_wildcard(value)}}}
    if op is Operator.ILIKE:
        return {"wildcard": {key_field(path, "l"): {"value": like_to_wildcard(value.lower())}}}
    if op is Operator.REGEX:
        lucene = regex_to_lucene(value)
        if lucene is None:  # pragma: no cover - vetoed by can_translate
            raise AssertionError(f"regex {value!r} has no Lucene form")
        return {"regexp": {s: {"value": _STRING + lucene, "flags": "NONE"}}}
    raise AssertionError(f"no translation for {op}")  # pragma: no cover


def _equal(path: str, values: Sequence[Any]) -> dict[str, Any]:
    tokens = [token(v) for v in values]
    by_field: dict[str, list[str]] = {}
    for tok in tokens:
        by_field.setdefault(key_field(path, "e" if tok.startswith("#") else "s"), []).append(tok)
    clauses = []
    for name, terms in by_field.items():
        unique = sorted(set(terms))
        for start in range(0, len(unique), MAX_TERMS):
            chunk = unique[start : start + MAX_TERMS]
            clauses.append(
                {"term": {name: chunk[0]}} if len(chunk) == 1 else {"terms": {name: chunk}}
            )
    return _any(clauses)


def _range(op: Operator, operand: Any) -> dict[str, str]:
    key = sort_key(operand)
    kind = key[0]
    after_kind = chr(ord(kind) + 1)
    if op is Operator.GT:
        return {"gt": key, "lt": after_kind}
    if op is Operator.GTE:
        return {"gte": key, "lt": after_kind}
    if op is Operator.LT:
        return {"gte": kind, "lt": key}
    return {"gte": kind, "lte": key}


def sort_clause(specs: Sequence[SortSpec]) -> list[Any]:
    """Sort on the sort keys, missing last in both directions, ties by id ascending."""
    clause: list[Any] = [
        {
            key_field(spec.field, "s"): {
                "order": "desc" if spec.order is SortOrder.DESC else "asc",
                "missing": "_last",
                "unmapped_type": "keyword",
            }
        }
        for spec in specs
    ]
    clause.append({ID_FIELD: "asc"})
    return clause


def render(body: dict[str, Any]) -> str:
    """A request body as compact JSON (for ``explain``)."""
    return json.dumps(body, ensure_ascii=False, sort_keys=False)
