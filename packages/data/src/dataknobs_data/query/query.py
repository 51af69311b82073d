"""Query: a filter expression, sort keys, paging and a projection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from dataknobs_data.errors import QueryError
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator

__all__ = ["Query", "SortOrder", "SortSpec"]


class SortOrder(StrEnum):
    """Sort direction."""

    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True)
class SortSpec:
    """One sort key: a field (dotted paths allowed) and a direction."""

    field: str
    order: SortOrder = SortOrder.ASC


@dataclass(frozen=True)
class Query:
    """An immutable query; every builder method returns a new query.

    Example:
        >>> q = (Query().filter("age", ">=", 30).sort("age", "desc").sort("name")
        ...      .offset(20).limit(10).select("name", "age"))
        >>> Query.from_dict(q.to_dict()) == q
        True
    """

    where_clause: Expression | None = None
    sort_specs: tuple[SortSpec, ...] = ()
    offset_value: int = 0
    limit_value: int | None = None
    projection: tuple[str, ...] | None = None

    # -- builders ------------------------------------------------------------
    def filter(self, field: str, operator: Operator | str, value: Any = None) -> Query:
        """Add a condition that must hold (combined with AND)."""
        return self.where(Filter(field, operator, value))

    def where(self, expression: Expression) -> Query:
        """Add a filter expression (combined with AND)."""
        if self.where_clause is None:
            if not isinstance(expression, Filter | And | Or | Not):
                raise QueryError(f"where() takes a Filter expression, got {expression!r}")
            combined: Expression = expression
        else:
            combined = And((self.where_clause, expression))
        return replace(self, where_clause=combined)

    def sort(self, field: str, order: SortOrder | str = SortOrder.ASC) -> Query:
        """Add a sort key after the existing ones."""
        if not isinstance(field, str) or not field:
            raise QueryError(f"sort needs a field name, got {field!r}")
        try:
            direction = SortOrder(order.lower() if isinstance(order, str) else order)
        except ValueError:
            raise QueryError(f"unknown sort order {order!r}; use 'asc' or 'desc'") from None
        return replace(self, sort_specs=(*self.sort_specs, SortSpec(field, direction)))

    def offset(self, n: int) -> Query:
        """Skip the first ``n`` results."""
        if type(n) is not int or n < 0:
            raise QueryError(f"offset must be a non-negative int, got {n!r}")
        return replace(self, offset_value=n)

    def limit(self, n: int | None) -> Query:
        """Return at most ``n`` results (``None`` for no limit)."""
        if n is not None and (type(n) is not int or n < 0):
            raise QueryError(f"limit must be a non-negative int or None, got {n!r}")
        return replace(self, limit_value=n)

    def select(self, *fields: str) -> Query:
        """Return only these fields (the id always comes back)."""
        names = tuple(f for group in fields for f in ([group] if isinstance(group, str) else group))
        for name in names:
            if not isinstance(name, str) or not name:
                raise QueryError(f"select needs field names, got {name!r}")
        return replace(self, projection=names)

    def without_paging(self) -> Query:
        """This query with offset and limit removed (what ``count`` evaluates)."""
        return replace(self, offset_value=0, limit_value=None)

    # -- (de)serialisation ---------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable description; :meth:`from_dict` inverts it."""
        from dataknobs_data.query.serialize import expression_to_dict

        out: dict[str, Any] = {}
        if self.where_clause is not None:
            out["where"] = expression_to_dict(self.where_clause)
        if self.sort_specs:
            out["sort"] = [{"field": s.field, "order": s.order.value} for s in self.sort_specs]
        if self.offset_value:
            out["offset"] = self.offset_value
        if self.limit_value is not None:
            out["limit"] = self.limit_value
        if self.projection is not None:
            out["select"] = list(self.projection)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Query:
        """Build a query from :meth:`to_dict` output."""
        from dataknobs_data.query.serialize import expression_from_dict

        unknown = set(data) - {"where", "sort", "offset", "limit", "select"}
        if unknown:
            raise QueryError(
                f"unknown query keys {sorted(unknown)}; valid: where, sort, offset, limit, select"
            )
        q = cls()
        if data.get("where") is not None:
            q = q.where(expression_from_dict(data["where"]))
        for spec in data.get("sort", ()):
            q = q.sort(spec["field"], spec.get("order", "asc"))
        if data.get("offset"):
            q = q.offset(data["offset"])
        if data.get("limit") is not None:
            q = q.limit(data["limit"])
        if data.get("select") is not None:
            q = q.select(*data["select"])
        return q
