"""Output of records and plans: rich tables for people, JSON/JSONL/CSV for programs.

Machine formats write plain JSON values (Decimal as its exact text, dates and
datetimes in ISO 8601, bytes in base64) and name the record id ``_id`` so it
cannot collide with a field called ``id``.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dataknobs_data.engine.planner import QueryPlan
from dataknobs_data.records import Record

__all__ = [
    "ID_KEY",
    "OutputFormat",
    "close_iterator",
    "column_names",
    "plain_cell",
    "plain_value",
    "plan_table",
    "records_table",
    "stderr_console",
    "stdout_console",
    "write_records",
]

ID_KEY = "_id"
_MISSING = object()
_CELL_WIDTH = 48


class OutputFormat(StrEnum):
    """How ``dataknobs query`` prints its results."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def stdout_console() -> Console:
    """A console on the current standard output (tables, summaries)."""
    return Console(highlight=False)


def stderr_console() -> Console:
    """A console on standard error (errors, progress)."""
    return Console(stderr=True, highlight=False)


# -- values -------------------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """Turn a stored value into plain JSON data (lossless as text, not as type).

    Example:
        >>> import datetime as dt; from decimal import Decimal
        >>> plain_value({"d": dt.date(2024, 5, 1), "p": Decimal("9.90"), "b": b"hi"})
        {'d': '2024-05-01', 'p': '9.90', 'b': 'aGk='}
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def _lookup(record: Record, name: str) -> Any:
    value = record.get_value(name, _MISSING)
    return value


def column_names(records: Iterable[Record], projection: Sequence[str] | None = None) -> list[str]:
    """The columns to show: the projection, else every field in order of first appearance."""
    if projection is not None:
        return list(dict.fromkeys(projection))
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record.field_names))
    return list(names)


def plain_cell(value: Any) -> str:
    """A value as one line of text: what a CSV cell or a table cell holds.

    Example:
        >>> plain_cell(True), plain_cell(None), plain_cell({"a": [1, 2]})
        ('true', '', '{"a":[1,2]}')
    """
    return _text_cell(value)


def _text_cell(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(plain_value(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, float):
        return repr(value)
    plain = plain_value(value)
    return plain if isinstance(plain, str) else str(plain)


# -- machine formats ----------------------------------------------------------------


def write_records(
    records: Iterable[Record],
    fmt: OutputFormat,
    out: TextIO,
    projection: Sequence[str] | None = None,
) -> int:
    """Write records to ``out`` as JSON, JSONL or CSV; return how many were written.

    JSON and JSONL stream. CSV streams when the columns are known (a
    projection); otherwise it reads every record first to find them.
    """
    if fmt is OutputFormat.JSON:
        return _write_json(records, out, projection)
    if fmt is OutputFormat.JSONL:
        count = 0
        for record in records:
            out.write(_json_line(record, projection) + "\n")
            count += 1
        return count
    if fmt is OutputFormat.CSV:
        return _write_csv(records, out, projection)
    raise ValueError(f"write_records does not write {fmt.value!r}")


def _json_object(record: Record, projection: Sequence[str] | None) -> dict[str, Any]:
    obj: dict[str, Any] = {ID_KEY: record.id}
    if projection is None:
        obj.update(plain_value(record.data))
    else:
        for name in projection:
            value = _lookup(record, name)
            if value is not _MISSING:
                obj[name] = plain_value(value)
    return obj


def _json_line(record: Record, projection: Sequence[str] | None) -> str:
    return json.dumps(_json_object(record, projection), ensure_ascii=False)


def _write_json(records: Iterable[Record], out: TextIO, projection: Sequence[str] | None) -> int:
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n  " if count else "\n  ")
        out.write(_json_line(record, projection))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _write_csv(records: Iterable[Record], out: TextIO, projection: Sequence[str] | None) -> int:
    rows: Iterable[Record] = records
    if projection is None:
        rows = list(records)
    columns = column_names(rows, projection)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([ID_KEY, *columns])
    count = 0
    for record in rows:
        writer.writerow([record.id, *(_text_cell(_lookup(record, c)) for c in columns)])
        count += 1
    return count


# -- tables -------------------------------------------------------------------------


def _rich_cell(value: Any) -> Text:
    if value is _MISSING:
        return Text("")
    if value is None:
        return Text("null", style="dim italic")
    text = _text_cell(value)
    if isinstance(value, list | dict) and len(text) > _CELL_WIDTH:
        text = text[: _CELL_WIDTH - 1] + "…"
    if isinstance(value, bool):
        return Text(text, style="magenta")
    if isinstance(value, int | float | Decimal):
        return Text(text, style="cyan")
    if isinstance(value, dt.datetime):
        return Text(value.isoformat(sep=" "), style="green")
    if isinstance(value, dt.date):
        return Text(text, style="green")
    return Text(text)


def _is_numeric_column(records: Sequence[Record], name: str) -> bool:
    seen = False
    for record in records:
        value = _lookup(record, name)
        if value is _MISSING or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return False
        seen = True
    return seen


def records_table(
    records: Sequence[Record],
    projection: Sequence[str] | None = None,
    *,
    title: str | None = None,
    caption: str | None = None,
    show_id: bool = True,
) -> Table:
    """A rich table of records: one row each, one column per field (the id first)."""
    columns = column_names(records, projection)
    table = Table(title=title, caption=caption, header_style="bold", title_justify="left")
    if show_id:
        table.add_column("id", style="dim", no_wrap=True, overflow="ellipsis", max_width=12)
    for name in columns:
        table.add_column(
            Text(name), justify="right" if _is_numeric_column(records, name) else "left"
        )
    for record in records:
        cells = [_rich_cell(_lookup(record, name)) for name in columns]
        if show_id:
            cells.insert(0, Text(str(record.id)))
        table.add_row(*cells)
    return table


def plan_table(plan: QueryPlan, describe: Any) -> Table:
    """A two-column table of what runs in the backend and what runs in Python.

    Args:
        plan: The result of ``db.explain(query)``.
        describe: Renders a filter expression (or None) as text.
    """
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("step", style="bold")
    table.add_column(f"native ({plan.backend})", style="green")
    table.add_column("python (residual)", style="yellow")
    native_filter = describe(plan.native.where) if plan.native.where is not None else "-"
    residual = describe(plan.residual) if plan.residual is not None else "-"
    rows = (
        ("filter", native_filter, residual),
        ("sort", _keys(plan.native.sort), _keys(plan.python_sort)),
        (
            "paging",
            _paging(plan.native.offset, plan.native.limit),
            _paging(plan.python_offset, plan.python_limit),
        ),
        ("projection", _names(plan.native.projection), _names(plan.python_projection)),
    )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _names(names: Sequence[str] | None) -> str:
    return ", ".join(names) if names is not None else "-"


def _keys(specs: Iterable[Any]) -> str:
    text = ", ".join(("-" if s.order.value == "desc" else "") + s.field for s in specs)
    return text or "-"


def _paging(offset: int, limit: int | None) -> str:
    parts = []
    if offset:
        parts.append(f"offset {offset}")
    if limit is not None:
        parts.append(f"limit {limit}")
    return ", ".join(parts) or "-"


def counted(records: Iterable[Record], limit: int) -> tuple[list[Record], bool]:
    """The first ``limit`` records and whether more followed; closes a generator early."""
    taken: list[Record] = []
    more = False
    iterator: Iterator[Record] = iter(records)
    for record in iterator:
        if len(taken) == limit:
            more = True
            break
        taken.append(record)
    close_iterator(iterator)
    return taken, more


def close_iterator(items: Iterable[Any]) -> None:
    """Close a generator now (releasing a backend cursor) rather than at garbage collection.

    Call it before the database closes: a stream abandoned half-way (an error,
    ``| head``) would otherwise be finalised after its connection is gone.
    """
    close = getattr(items, "close", None)
    if close is not None:
        close()
