"""What the sync and async faces share: options, capabilities, planning, explain."""

from __future__ import annotations

from abc import ABC
from collections.abc import Mapping
from typing import Any, ClassVar

from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.options import NoOptions, validate_options
from dataknobs_data.engine.planner import NativeQuery, QueryPlan, plan_query
from dataknobs_data.errors import QueryError
from dataknobs_data.query.filters import Filter
from dataknobs_data.query.query import Query

__all__ = ["DatabaseBase"]


class DatabaseBase(ABC):  # noqa: B024 - abstract primitives live on the two faces
    """State and I/O-free behaviour common to :class:`Database` and :class:`AsyncDatabase`.

    Subclasses set :attr:`options_class` (a dataclass describing their
    options) and :attr:`capabilities`, and implement the primitives.
    """

    options_class: ClassVar[type[Any]] = NoOptions
    backend_name: ClassVar[str] = "base"

    def __init__(self, **options: Any) -> None:
        self.options = validate_options(self.options_class, options, type(self).__name__)
        self._connected = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Any:
        """Build the database from a mapping of options (unknown keys are errors)."""
        return cls(**dict(config))

    @property
    def capabilities(self) -> Capabilities:
        """What this backend runs natively."""
        return Capabilities(name=self.backend_name)

    def _can_push(self, condition: Filter) -> bool:
        """Whether this backend evaluates ``condition`` natively (beyond ``capabilities``)."""
        return True

    def _native_text(self, native: NativeQuery) -> str | None:
        """Render the native part of a plan (SQL, DSL) for ``explain``."""
        return None

    def _plan(self, query: Query | None, *, paging: bool = True) -> QueryPlan:
        if query is None:
            query = Query()
        elif not isinstance(query, Query):
            raise QueryError(f"expected a Query, got {type(query).__name__}")
        return plan_query(query, self.capabilities, self._can_push, paging=paging)

    def explain(self, query: Query | None = None) -> QueryPlan:
        """Report which part of ``query`` runs in the backend and which in Python.

        Example:
            >>> from dataknobs_data import Query
            >>> from dataknobs_data.backends.memory import MemoryDatabase
            >>> plan = MemoryDatabase().explain(Query().filter("age", ">", 3))
            >>> plan.fully_native, plan.residual is None
            (True, True)
        """
        plan = self._plan(query)
        text = self._native_text(plan.native)
        if text is None:
            return plan
        from dataclasses import replace

        return replace(plan, native_text=text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.options!r})"
