"""The planner: which part of a query a backend runs natively, which part Python runs.

A query's filter is split at its top-level AND: each conjunct that the backend
can evaluate (operators in its capabilities, Or/Not if supported, dotted paths
if supported, and the backend's own ``can_push`` check) goes to the backend;
the rest form a residual that the shared evaluator applies. Sorting, paging
and projection are pushed only when no residual remains and the backend can
do them, so results are identical either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or, conjuncts
from dataknobs_data.query.query import Query, SortSpec

__all__ = ["NativeQuery", "QueryPlan", "plan_query"]


@dataclass(frozen=True)
class NativeQuery:
    """The part of a query a backend executes itself.

    ``sort``, ``offset``, ``limit`` and ``projection`` are set only when the
    backend is to apply them; otherwise the core applies them in Python.
    """

    where: Expression | None = None
    sort: tuple[SortSpec, ...] = ()
    offset: int = 0
    limit: int | None = None
    projection: tuple[str, ...] | None = None


@dataclass(frozen=True)
class QueryPlan:
    """The split of one query, as ``db.explain(query)`` reports it.

    Attributes:
        backend: The backend's name.
        native: What the backend runs.
        residual: The filter evaluated in Python after the backend's results (None: nothing).
        python_sort: Sort keys applied in Python (empty: none, or native).
        python_paging: Offset/limit applied in Python.
        python_projection: Projection applied in Python.
        native_text: The backend's rendering of ``native`` (SQL, DSL, ...), if it has one.
    """

    backend: str
    native: NativeQuery
    residual: Expression | None
    python_sort: tuple[SortSpec, ...]
    python_offset: int
    python_limit: int | None
    python_projection: tuple[str, ...] | None
    native_text: str | None = None

    @property
    def fully_native(self) -> bool:
        """Everything runs in the backend."""
        return (
            self.residual is None
            and not self.python_sort
            and not self.python_offset
            and self.python_limit is None
            and self.python_projection is None
        )

    def __str__(self) -> str:
        lines = [f"backend: {self.backend}"]
        lines.append(f"native filter: {_describe(self.native.where)}")
        if self.native_text:
            lines.append(f"native query: {self.native_text}")
        lines.append(f"python filter (residual): {_describe(self.residual)}")
        where = "native" if self.native.sort else "python" if self.python_sort else "-"
        lines.append(f"sort: {where}")
        paging = (
            "native"
            if (self.native.offset or self.native.limit is not None)
            else ("python" if (self.python_offset or self.python_limit is not None) else "-")
        )
        lines.append(f"paging: {paging}")
        return "\n".join(lines)


def _describe(expr: Expression | None) -> str:
    if expr is None:
        return "none"
    if isinstance(expr, Filter):
        value = (
            ""
            if expr.value is None and expr.operator.value.endswith("exists")
            else (f" {expr.value!r}")
        )
        return f"{expr.field} {expr.operator.value}{value}"
    if isinstance(expr, And):
        return "(" + " AND ".join(_describe(c) for c in expr.children) + ")"
    if isinstance(expr, Or):
        return "(" + " OR ".join(_describe(c) for c in expr.children) + ")"
    return f"NOT {_describe(expr.child)}"


def _pushable(expr: Expression, caps: Capabilities, can_push: Callable[[Filter], bool]) -> bool:
    if isinstance(expr, Filter):
        if "." in expr.field and not caps.nested_paths:
            return False
        return expr.operator in caps.operators and can_push(expr)
    if isinstance(expr, And):
        return all(_pushable(c, caps, can_push) for c in expr.children)
    if not caps.boolean_logic:
        return False
    if isinstance(expr, Or):
        return all(_pushable(c, caps, can_push) for c in expr.children)
    assert isinstance(expr, Not)
    return _pushable(expr.child, caps, can_push)


def _join(parts: list[Expression]) -> Expression | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def plan_query(
    query: Query,
    caps: Capabilities,
    can_push: Callable[[Filter], bool] = lambda f: True,
    *,
    paging: bool = True,
) -> QueryPlan:
    """Split ``query`` for a backend with capabilities ``caps``.

    Args:
        query: The query.
        caps: The backend's capabilities.
        can_push: The backend's per-filter check (e.g. a value it cannot
            compare natively); consulted after ``caps.operators``.
        paging: Whether offset/limit apply (``count`` plans without them).
    """
    native_parts: list[Expression] = []
    residual_parts: list[Expression] = []
    for part in conjuncts(query.where_clause):
        (native_parts if _pushable(part, caps, can_push) else residual_parts).append(part)
    residual = _join(residual_parts)
    sort_native = residual is None and (
        not query.sort_specs
        or (caps.sort and (caps.nested_paths or all("." not in s.field for s in query.sort_specs)))
    )
    offset = query.offset_value if paging else 0
    limit = query.limit_value if paging else None
    paging_native = sort_native and caps.paging
    # A Python sort needs the sort fields, so projection waits for it.
    projection_native = sort_native and caps.projection
    native = NativeQuery(
        where=_join(native_parts),
        sort=query.sort_specs if sort_native else (),
        offset=offset if paging_native else 0,
        limit=limit if paging_native else None,
        projection=query.projection if projection_native else None,
    )
    return QueryPlan(
        backend=caps.name,
        native=native,
        residual=residual,
        python_sort=() if sort_native else query.sort_specs,
        python_offset=0 if paging_native else offset,
        python_limit=None if paging_native else limit,
        python_projection=None if projection_native else query.projection,
    )
