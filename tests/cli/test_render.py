"""Output formats: plain JSON values, CSV cells, tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from rich.console import Console

from dataknobs_data import Record
from dataknobs_data.cli.render import OutputFormat, plain_value, records_table, write_records

RECORDS = [
    Record({"name": "Ada", "price": Decimal("9.90"), "at": dt.date(2024, 5, 1)}, id="a"),
    Record({"name": "Bo", "blob": b"\x00\xff", "nested": {"k": [1, None]}, "n": None}, id="b"),
    Record({"id": "field-called-id", "ok": True, "f": -0.0}, id="c"),
]


def render(fmt: OutputFormat, projection: list[str] | None = None) -> str:
    out = io.StringIO()
    assert write_records(iter(RECORDS), fmt, out, projection) == len(RECORDS)
    return out.getvalue()


def test_json_output_loads_and_keeps_ids_apart_from_fields() -> None:
    rows = json.loads(render(OutputFormat.JSON))
    assert [row["_id"] for row in rows] == ["a", "b", "c"]
    assert rows[0] == {"_id": "a", "name": "Ada", "price": "9.90", "at": "2024-05-01"}
    assert rows[1]["blob"] == "AP8=" and rows[1]["nested"] == {"k": [1, None]}
    assert rows[2]["id"] == "field-called-id"


def test_jsonl_output_is_one_object_per_line() -> None:
    lines = render(OutputFormat.JSONL).splitlines()
    assert [json.loads(line)["_id"] for line in lines] == ["a", "b", "c"]


def test_csv_output_has_the_union_of_fields_in_first_seen_order() -> None:
    rows = list(csv.reader(io.StringIO(render(OutputFormat.CSV))))
    assert rows[0] == ["_id", "name", "price", "at", "blob", "nested", "n", "id", "ok", "f"]
    assert rows[1][:4] == ["a", "Ada", "9.90", "2024-05-01"]
    assert rows[2][5] == '{"k":[1,null]}'
    assert rows[3][-2:] == ["true", "-0.0"]


def test_csv_projection_reads_dotted_paths() -> None:
    rows = list(csv.reader(io.StringIO(render(OutputFormat.CSV, ["nested.k", "name"]))))
    assert rows[0] == ["_id", "nested.k", "name"]
    assert rows[2] == ["b", "[1,null]", "Bo"]


def test_plain_value_of_an_aware_datetime_keeps_its_offset() -> None:
    at = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    assert plain_value([at]) == ["2024-05-01T12:00:00+00:00"]


def test_table_escapes_markup_in_values_and_names() -> None:
    console = Console(file=io.StringIO(), width=120)
    console.print(records_table([Record({"[bold]x": "[red]y[/red]"}, id="r")]))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[bold]x" in text and "[red]y[/red]" in text
