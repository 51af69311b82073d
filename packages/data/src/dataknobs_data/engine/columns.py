"""A batch of records laid out column by column, built once and shared.

Columnar stores (parquet) encode a batch one column at a time, and checking a
batch of plain values column by column (one ``set(map(type, ...))`` per column)
is cheaper than record by record; :func:`dataknobs_data.engine.ops.prepare_records`
builds the columns for such stores and hands them over with the records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, eq, itemgetter
from typing import Any

from dataknobs_data.records import Record

__all__ = ["Columns", "columnize"]

_data_of = attrgetter("_data")
_id_of = attrgetter("id")


@dataclass
class Columns:
    """Records turned column-wise: field names in order, values per field.

    Attributes:
        records: The records, in order.
        ids: Their ids, in order.
        names: Every field name of the batch, in first-seen order.
        values: Per field, one value per record (None where a record lacks it).
        key_orders: The distinct field-name tuples of the records, in first-seen order.
    """

    records: Sequence[Record]
    ids: Sequence[str | None]
    names: list[str]
    values: dict[str, list[Any]]
    key_orders: list[tuple[str, ...]]
    _types: dict[str, set[type]] = field(default_factory=dict)

    def types(self, name: str) -> set[type]:
        """The types of field ``name``'s values (NoneType where a record lacks it)."""
        found = self._types.get(name)
        if found is None:
            found = self._types[name] = set(map(type, self.values[name]))
        return found


def columnize(
    records: Sequence[Record], first: Sequence[str] = (), ids: Sequence[str | None] | None = None
) -> Columns:
    """The columns of ``records``; the names in ``first`` lead, in that order.

    ``ids`` are the records' ids when the caller has them already.
    """
    datas = list(map(_data_of, records))
    first_keys = list(datas[0]) if datas else []
    if all(map(eq, map(list, datas), repeat(first_keys))):
        # One field order for all (the common case), found without hashing each record's:
        # list() of a dict is the cheapest copy of its keys.
        key_orders = [tuple(first_keys)] if datas else []
    else:
        key_orders = list(dict.fromkeys(map(tuple, datas)))
    names: dict[str, None] = dict.fromkeys(first)
    for keys in key_orders:
        names.update(dict.fromkeys(keys))
    values: dict[str, list[Any]] = {}
    uniform = key_orders[0] if len(key_orders) == 1 else ()
    for name in names:
        if name in uniform:
            values[name] = list(map(itemgetter(name), datas))
        else:
            values[name] = [d.get(name) for d in datas]
    if ids is None:
        ids = list(map(_id_of, records))
    return Columns(records, ids, list(names), values, key_orders)
