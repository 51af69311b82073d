"""Capabilities: what a backend can run natively, as data the planner reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from dataknobs_data.query.operators import Operator

__all__ = ["ALL_OPERATORS", "Capabilities"]

ALL_OPERATORS: frozenset[Operator] = frozenset(Operator)


@dataclass(frozen=True)
class Capabilities:
    """What a backend evaluates natively and the limits it works within.

    Attributes:
        operators: Operators the backend evaluates natively, with the exact
            semantics of API.md §2. Others are evaluated in Python.
        boolean_logic: ``Or`` and ``Not`` are native (``And`` always is).
        nested_paths: Dotted field paths are native in filters and sorts.
        sort: Sorting (missing last, id tie-break) is native.
        paging: Offset and limit are native.
        projection: Returning only some fields is native.
        count: Counting is native (no records are transferred).
        atomic_batches: A batch write is all-or-nothing natively.
        copies_on_write: The store keeps references to Python objects, so
            values must be copied on the way in and out (the memory backend).
        columnar: The store encodes batches column by column: a batch of plain
            values is checked per column and handed over with its columns
            (``PreparedRecords.columns``). Only for stores that do not copy.
        max_batch_size: The largest batch one primitive call should carry.
        indexes: ``create_index(field)`` is supported.
        name: The backend's name, for messages and ``explain``.
    """

    name: str
    operators: frozenset[Operator] = field(default_factory=lambda: ALL_OPERATORS)
    boolean_logic: bool = True
    nested_paths: bool = True
    sort: bool = True
    paging: bool = True
    projection: bool = True
    count: bool = True
    atomic_batches: bool = True
    copies_on_write: bool = False
    columnar: bool = False
    max_batch_size: int = 10_000
    indexes: bool = False
