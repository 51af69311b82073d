"""dataknobs query / count / explain, in-process, against the seeded ``people://`` backend."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import Result

from dataknobs_data.cli.sample import people

Run = Callable[..., Result]
PEOPLE = list(people(300))


def expected_ids(predicate: Callable[[dict[str, object]], bool]) -> set[str]:
    return {str(r.id) for r in PEOPLE if predicate(r.to_dict())}


def test_count_without_where_counts_everything(run: Run) -> None:
    result = run("count", "people://")
    assert result.exit_code == 0, result.output
    assert result.stdout == "300\n"


def test_count_with_several_where_clauses_ands_them(run: Run) -> None:
    result = run("count", "people://", "--where", "age >= 30", "-w", "address.city == Oslo")
    want = expected_ids(
        lambda d: (
            isinstance(d.get("age"), int)
            and d["age"] >= 30  # type: ignore[operator]
            and d["address"]["city"] == "Oslo"
        )  # type: ignore[index]
    )
    assert result.stdout.strip() == str(len(want))


def test_count_treats_missing_and_null_alike(run: Run) -> None:
    missing = run("count", "people://", "--where", "phone not_exists").stdout
    assert int(missing) == len(expected_ids(lambda d: d.get("phone") is None))


def test_query_json_is_a_json_array_with_ids(run: Run) -> None:
    result = run(
        "query",
        "people://",
        "--where",
        "tags contains vip",
        "--sort=-age",
        "--sort",
        "name",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["_id"] for row in rows} == expected_ids(lambda d: "vip" in d["tags"])  # type: ignore[operator]
    ages = [row["age"] for row in rows if row.get("age") is not None]
    assert ages == sorted(ages, reverse=True)
    assert all(row.get("age") is not None for row in rows[: len(ages)])  # nulls last


def test_query_json_writes_decimals_and_dates_as_exact_text(run: Run) -> None:
    rows = json.loads(run("query", "people://", "--limit", "1", "--format", "json").stdout)
    first = next(r for r in PEOPLE if r.id == rows[0]["_id"])
    assert Decimal(rows[0]["balance"]) == first["balance"]
    assert rows[0]["signed_up"] == first["signed_up"].isoformat()


def test_query_jsonl_has_one_object_per_line(run: Run) -> None:
    result = run("query", "people://", "--sort", "name", "--limit", "7", "-f", "jsonl")
    lines = result.stdout.splitlines()
    assert len(lines) == 7
    names = [json.loads(line)["name"] for line in lines]
    assert names == sorted(names)


def test_query_csv_reads_back_with_the_projection_as_columns(run: Run) -> None:
    result = run(
        "query",
        "people://",
        "--select",
        "name,address.city",
        "--select",
        "tags",
        "--sort",
        "name",
        "--limit",
        "5",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["_id", "name", "address.city", "tags"]
    assert len(rows) == 5
    assert all(isinstance(json.loads(row["tags"]), list) for row in rows)


def test_query_csv_without_select_has_every_field(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("query", "people://", "-f", "csv").stdout)))
    assert len(rows) == 300
    assert {"_id", "name", "age", "address", "phone", "balance"} <= set(rows[0])


def test_offset_and_limit_page_through_a_sorted_result(run: Run) -> None:
    def page(offset: int) -> list[str]:
        out = run(
            "query",
            "people://",
            "--sort",
            "-age",
            "--offset",
            str(offset),
            "-n",
            "10",
            "-f",
            "json",
        ).stdout
        return [row["_id"] for row in json.loads(out)]

    everything = [
        row["_id"]
        for row in json.loads(run("query", "people://", "--sort", "-age", "-f", "json").stdout)
    ]
    assert page(0) + page(10) + page(20) == everything[:30]


def test_empty_result_prints_an_empty_json_array(run: Run) -> None:
    result = run("query", "people://", "--where", "age > 1000", "--format", "json")
    assert json.loads(result.stdout) == []


def test_query_table_shows_the_selected_columns(run: Run) -> None:
    result = run(
        "query",
        "people://",
        "--where",
        "address.city == Oslo",
        "--sort",
        "name",
        "--limit",
        "3",
        "--select",
        "name,age",
    )
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "name" in line)
    assert "id" in header and "age" in header and "email" not in result.stdout
    assert "3 records" in result.stdout


def test_query_table_caps_rows_and_says_how_to_see_more(run: Run) -> None:
    result = run("query", "people://", "--select", "name")
    assert "records 1-50 of 300 shown" in result.stdout.replace("\n", " ")


def test_query_table_shows_null_and_nested_values(run: Run) -> None:
    result = run(
        "query",
        "people://",
        "--where",
        "age == null",
        "--select",
        "name,age,address",
        "--limit",
        "1",
    )
    assert "null" in result.stdout
    assert '{"city":' in result.stdout


def test_explain_shows_native_and_residual_parts(run: Run) -> None:
    result = run(
        "explain",
        "people://",
        "--where",
        "age >= 30",
        "--where",
        r"email regex @example\.org$",
        "--sort",
        "-age",
        "--limit",
        "5",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "native (people)" in out and "python (residual)" in out
    filter_row = next(line for line in out.splitlines() if line.startswith("filter"))
    assert "age >= 30" in filter_row and r"email regex @example\.org$" in filter_row
    sort_row = next(line for line in out.splitlines() if line.startswith("sort"))
    assert sort_row.split()[1:] == ["-", "-age"]  # the residual forces the sort into Python
    assert "Python checks the rest" in out


def test_explain_of_a_fully_native_query_says_so(run: Run) -> None:
    result = run("explain", "people://", "--where", "address.city == Oslo", "--sort", "name")
    assert "runs entirely in people" in result.stdout


def test_query_on_a_config_reference(run: Run, config_file: Path) -> None:
    result = run("count", f"{config_file}#databases.primary", "--where", "active == false")
    assert result.exit_code == 0, result.output
    assert int(result.stdout) == len(expected_ids(lambda d: d["active"] is False))


def test_explain_names_the_database_without_its_password(run: Run) -> None:
    result = run("explain", "people://ada:hunter2@localhost/x")
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output
    assert "people://ada:***@localhost/x" in result.stdout


@pytest.mark.parametrize("fmt", ["JSON", "Csv"])
def test_format_names_are_case_insensitive(run: Run, fmt: str) -> None:
    assert run("query", "people://", "-n", "1", "--format", fmt).exit_code == 0


def test_sort_value_may_start_with_a_dash_after_a_space(run: Run) -> None:
    spaced = run("query", "people://", "--sort", "-age", "-s", "-name", "-n", "5", "-f", "json")
    joined = run("query", "people://", "--sort=-age,-name", "-n", "5", "-f", "json")
    assert spaced.exit_code == 0, spaced.output
    assert json.loads(spaced.stdout) == json.loads(joined.stdout)
