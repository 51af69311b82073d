"""How records are laid out in Parquet columns, and back.

* ``_id`` (string): the record id.
* One column per field. A field whose values all have one Arrow-exact type
  gets that type (bool, int64, float64, string, binary, date32,
  timestamp[us] for naive and timestamp[us, UTC] for aware datetimes);
  any other field (Decimal, lists, dicts, big ints, mixed types) is a string
  column of tagged JSON text, marked ``dataknobs: json`` in its field metadata.
  A field whose name starts with ``_`` gets one more ``_`` in its column name.
* ``_fields`` (list<string>, only when needed): the record's field names in
  order, for a record holding explicit None values or fields in another order
  than the columns; null otherwise (then the fields are the non-null columns).
* ``_metadata`` (string, only when some record has metadata): tagged JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Any, cast

import pyarrow as pa

from dataknobs_data.codec import dumps, loads
from dataknobs_data.engine.columns import Columns
from dataknobs_data.records import Record

__all__ = [
    "ColumnSpec",
    "conform_batch",
    "decode_batch",
    "encode_records",
    "infer_specs",
    "merge_specs",
    "schema_for",
    "specs_of",
]

ID, FIELDS, METADATA = "_id", "_fields", "_metadata"
RESERVED = frozenset({ID, FIELDS, METADATA})
_JSON_MARK = {b"dataknobs": b"json"}
_SCHEMA_MARK = {b"dataknobs": b'{"layout": "dataknobs-parquet", "version": 1}'}
_INT64 = (-(1 << 63), (1 << 63) - 1)
_NONE = type(None)
_id_of = attrgetter("id")

ARROW_TYPES: dict[str, pa.DataType] = {
    "null": pa.null(),
    "bool": pa.bool_(),
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "bytes": pa.binary(),
    "date": pa.date32(),
    "ts": pa.timestamp("us"),
    "tsz": pa.timestamp("us", tz="UTC"),
    "json": pa.string(),
}
_KIND_OF_TYPE = {bool: "bool", int: "int", float: "float", str: "str", bytes: "bytes"}
_KIND_OF_TYPE[dt.date] = "date"


@dataclass(frozen=True)
class ColumnSpec:
    """One data field's column: its name in the file and how values are stored."""

    field: str
    kind: str

    @property
    def column(self) -> str:
        """The column name (names starting with ``_`` get one more ``_``)."""
        return "_" + self.field if self.field.startswith("_") else self.field

    @property
    def arrow_type(self) -> pa.DataType:
        """The Arrow type of the column."""
        return ARROW_TYPES[self.kind]


def field_of_column(column: str) -> str:
    """Inverse of :attr:`ColumnSpec.column`."""
    return column[1:] if column.startswith("_") else column


def _kind(values: list[Any], types: set[type]) -> str:
    """The kind of a column of ``values`` whose value types are ``types``."""
    has_none = _NONE in types
    types = types - {_NONE}
    if not types:
        return "null"
    if len(types) != 1:
        return "json"
    tp = types.pop()
    if tp is dt.datetime:
        aware = {v.tzinfo is not None for v in values if v is not None}
        return "json" if len(aware) != 1 else ("tsz" if aware.pop() else "ts")
    kind = _KIND_OF_TYPE.get(tp, "json")
    if kind == "int":
        present = [v for v in values if v is not None] if has_none else values
        if not (_INT64[0] <= min(present) and max(present) <= _INT64[1]):
            return "json"
    return kind


def merge_kind(a: str, b: str) -> str:
    """The kind of a column holding values of kinds ``a`` and ``b``."""
    if a == b or b == "null":
        return a
    return b if a == "null" else "json"


def merge_specs(*groups: Sequence[ColumnSpec]) -> list[ColumnSpec]:
    """The columns holding all of ``groups``' columns: fields in first-seen order, kinds merged."""
    kinds: dict[str, str] = {}
    for group in groups:
        for spec in group:
            kinds[spec.field] = merge_kind(kinds.get(spec.field, "null"), spec.kind)
    return [ColumnSpec(name, kind) for name, kind in kinds.items()]


def infer_specs(columns: Columns) -> list[ColumnSpec]:
    """The column of each field of ``columns``, typed by its values (see :func:`merge_specs`)."""
    return [
        ColumnSpec(name, _kind(columns.values[name], columns.types(name))) for name in columns.names
    ]


def specs_of(schema: pa.Schema) -> list[ColumnSpec]:
    """The data columns of a file's schema."""
    specs = []
    for fld in schema:
        if fld.name in RESERVED:
            continue
        meta = fld.metadata or {}
        if meta.get(b"dataknobs") == b"json":
            kind = "json"
        else:
            kind = next((k for k, t in ARROW_TYPES.items() if t == fld.type), "str")
        specs.append(ColumnSpec(field_of_column(fld.name), kind))
    return specs


def schema_for(specs: Sequence[ColumnSpec], with_fields: bool, with_metadata: bool) -> pa.Schema:
    """The Arrow schema written for ``specs``."""
    fields: list[Any] = [pa.field(ID, pa.string(), nullable=False)]
    for spec in specs:
        meta = _JSON_MARK if spec.kind == "json" else None
        fields.append(pa.field(spec.column, spec.arrow_type, metadata=meta))
    if with_fields:
        fields.append(pa.field(FIELDS, pa.list_(pa.string())))
    if with_metadata:
        fields.append(pa.field(METADATA, pa.string()))
    return pa.schema(fields, metadata=cast(Any, _SCHEMA_MARK))


def needs_field_list(columns: Columns, specs: Sequence[ColumnSpec]) -> list[bool] | None:
    """Per record: do its fields differ from "the non-null columns, in column order"?

    None when no record needs its field list (the common case, found column-wise).
    """
    position = {spec.field: i for i, spec in enumerate(specs)}
    ordered = {}
    for keys in columns.key_orders:
        places = [position[k] for k in keys]
        ordered[keys] = places == sorted(places)
    uniform = len(columns.key_orders) == 1
    if all(ordered.values()) and (
        not columns.records
        or (uniform and not any(_NONE in columns.types(k) for k in columns.key_orders[0]))
    ):
        return None
    return [not ordered[tuple(r.data)] or None in r.data.values() for r in columns.records]


def encode_records(columns: Columns, schema: pa.Schema) -> pa.RecordBatch:
    """Records as one batch of ``schema`` (from :func:`schema_for` over these records)."""
    specs = specs_of(schema)
    records = columns.records
    arrays: list[Any] = [pa.array(columns.ids, pa.string())]
    for spec in specs:
        values = columns.values.get(spec.field) or [None] * len(records)
        if spec.kind == "json":
            values = [None if v is None else dumps(v) for v in values]
        arrays.append(pa.array(values, spec.arrow_type))
    if FIELDS in schema.names:
        flags = needs_field_list(columns, specs) or [False] * len(records)
        lists = [list(r.data) if flag else None for r, flag in zip(records, flags, strict=True)]
        arrays.append(pa.array(lists, pa.list_(pa.string())))
    if METADATA in schema.names:
        arrays.append(pa.array([dumps(r.metadata) if r.metadata else None for r in records]))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def decode_column(array: Any, kind: str) -> list[Any]:
    """Python values of one data column."""
    if kind == "json":
        return [None if v is None else loads(v) for v in array.to_pylist()]
    if kind == "tsz":
        naive = array.cast(pa.timestamp("us")).to_pylist()
        return [None if v is None else v.replace(tzinfo=dt.UTC) for v in naive]
    values: list[Any] = array.to_pylist()
    return values


def _listed(batch: pa.RecordBatch | pa.Table, name: str) -> list[Any] | None:
    """The values of reserved column ``name``, or None when it is absent or all null."""
    if name not in batch.schema.names:
        return None
    column = batch.column(name)
    return None if column.null_count == len(column) else column.to_pylist()


def decode_batch(batch: pa.RecordBatch | pa.Table, specs: Sequence[ColumnSpec]) -> list[Record]:
    """Records of a batch (any subset of the data columns may be present)."""
    names = set(batch.schema.names)
    present = [s for s in specs if s.column in names]
    fields = [s.field for s in present]
    arrays = [batch.column(s.column) for s in present]
    columns = [decode_column(array, s.kind) for array, s in zip(arrays, present, strict=True)]
    ids = batch.column(ID).to_pylist()
    lists = _listed(batch, FIELDS)
    metas = _listed(batch, METADATA)
    rows = zip(*columns, strict=True) if columns else repeat((), len(ids))
    trusted = Record._trusted
    if lists is None and metas is None and not any(a.null_count for a in arrays):
        # Every record has every field, in column order: rows become dicts at C speed.
        datas = map(dict, map(zip, repeat(fields), rows))
        return list(map(trusted, datas, ids, repeat(None)))
    records = []
    by_field = dict(zip(fields, columns, strict=True))
    for i, row in enumerate(rows):
        listed = lists[i] if lists is not None else None
        if listed is None:
            data = {f: v for f, v in zip(fields, row, strict=True) if v is not None}
        else:
            data = {f: by_field[f][i] if f in by_field else None for f in listed}
        meta = metas[i] if metas is not None else None
        records.append(trusted(data, ids[i], loads(meta) if meta else None))
    return records


def conform_batch(
    batch: pa.RecordBatch, old: Sequence[ColumnSpec], schema: pa.Schema
) -> pa.RecordBatch:
    """A batch of an existing file recast to a new ``schema`` (new columns, widened kinds)."""
    n = batch.num_rows
    old_by_field = {spec.field: spec for spec in old}
    arrays: list[Any] = [batch.column(ID)]
    for spec in specs_of(schema):
        before = old_by_field.get(spec.field)
        if before is None or before.kind == "null":
            arrays.append(pa.nulls(n, cast(Any, spec.arrow_type)))
        elif before.kind == spec.kind:
            arrays.append(batch.column(before.column))
        else:  # a typed column that now needs JSON text
            values = decode_column(batch.column(before.column), before.kind)
            arrays.append(pa.array([None if v is None else dumps(v) for v in values], pa.string()))
    for name in (FIELDS, METADATA):
        if name in schema.names:
            present = name in batch.schema.names
            arrays.append(batch.column(name) if present else pa.nulls(n, schema.field(name).type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
