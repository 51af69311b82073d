"""dataknobs demo: the tour runs with no server and shows every section."""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import Result

Run = Callable[..., Result]

SECTIONS = [
    "dataknobs demo",
    "Database",
    "A record read back",
    "Query 1:",
    "Query 2:",
    "Query 3:",
    "Query 4:",
    "Counts:",
    "Export to Parquet",
    "Summary",
    "Next, try",
]
PER_QUERY = ["$ dataknobs query", "db.explain(query)", "native (", "python (residual)", "matching"]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    from typer.testing import CliRunner

    from dataknobs_data.cli.app import app

    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--path", str(folder), "--records", "400"])
    return result, folder


def test_demo_succeeds(demo_run: tuple[Result, Path]) -> None:
    result, _ = demo_run
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_demo_prints_every_section_in_order(demo_run: tuple[Result, Path]) -> None:
    out = demo_run[0].stdout
    positions = [out.find(section) for section in SECTIONS]
    assert -1 not in positions, [s for s, p in zip(SECTIONS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_each_query_shows_command_plan_and_results(demo_run: tuple[Result, Path]) -> None:
    out = demo_run[0].stdout
    bounds = [out.index(f"Query {n}:") for n in range(1, 5)] + [out.index("Counts:")]
    for start, end in itertools.pairwise(bounds):
        block = out[start:end]
        assert all(marker in block for marker in PER_QUERY), block


def test_demo_shows_the_record_count_and_value_types(demo_run: tuple[Result, Path]) -> None:
    out = demo_run[0].stdout
    assert "400" in out
    for type_name in ("Decimal", "date", "datetime (UTC)", "dict", "list[str]", "bool"):
        assert type_name in out


def test_demo_prints_each_query_as_a_runnable_command(demo_run: tuple[Result, Path]) -> None:
    commands = [line for line in demo_run[0].stdout.splitlines() if line.startswith("$ dataknobs")]
    assert len(commands) == 4
    assert all("--where" in command for command in commands)


def test_demo_exports_a_parquet_file_others_can_read(demo_run: tuple[Result, Path]) -> None:
    _, folder = demo_run
    table = pq.read_table(folder / "people.parquet")
    assert table.num_rows == 400
    assert {"name", "age", "address", "tags", "balance"} <= set(table.column_names)


def test_demo_can_run_again_in_the_same_folder(run: Run, demo_run: tuple[Result, Path]) -> None:
    _, folder = demo_run
    result = run("demo", "--path", str(folder), "--records", "100")
    assert result.exit_code == 0, result.output
    assert pq.read_metadata(folder / "people.parquet").num_rows == 100


def test_next_commands_all_work(run: Run, demo_run: tuple[Result, Path]) -> None:
    out = demo_run[0].stdout
    tail = out[out.index("Next, try") :]
    commands = [line.strip()[2:] for line in tail.splitlines() if line.strip().startswith("$ ")]
    assert len(commands) >= 4
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "dataknobs"
        result = run(*args[1:])
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.strip(), command
