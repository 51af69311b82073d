"""The commands on real embedded databases: SQLite and the file backend (jsonl, parquet)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from dataknobs_data import database_factory
from dataknobs_data.cli.sample import people

Run = Callable[..., Result]
ErrorLine = Callable[[Result], str]
PEOPLE = 250


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The sample people in a SQLite database, a JSONL file and a Parquet file."""
    folder = tmp_path_factory.mktemp("files")
    paths = {
        "sqlite": folder / "people.db",
        "jsonl": folder / "people.jsonl",
        "parquet": folder / "people.parquet",
    }
    for backend, path in (
        ("sqlite", paths["sqlite"]),
        ("file", paths["jsonl"]),
        ("file", paths["parquet"]),
    ):
        with database_factory.create(backend=backend, path=str(path)) as db:
            db.create_batch(people(PEOPLE))
    return {
        "sqlite path": str(paths["sqlite"]),
        "sqlite url": f"sqlite:///{paths['sqlite']}",
        "jsonl path": str(paths["jsonl"]),
        "jsonl url": f"file://{paths['jsonl']}",
        "parquet path": str(paths["parquet"]),
    }


KINDS = ["sqlite path", "sqlite url", "jsonl path", "jsonl url", "parquet path"]


def ids(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["_id"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize("kind", KINDS)
def test_count(run: Run, files: dict[str, str], kind: str) -> None:
    assert run("count", files[kind]).stdout == f"{PEOPLE}\n"


@pytest.mark.parametrize("kind", KINDS)
def test_query_matches_the_memory_reference(run: Run, files: dict[str, str], kind: str) -> None:
    args = [
        "--where",
        "age >= 30",
        "--where",
        "address.city in Oslo,Paris",
        "--sort=-age",
        "--sort",
        "name",
        "--limit",
        "20",
        "--format",
        "json",
    ]
    expected = ids(run("query", "people://", *args))
    # people:// holds 300 people; the files hold the first 250 of the same sequence.
    reference = [i for i in expected if int(i[1:]) <= PEOPLE]
    got = ids(run("query", files[kind], *args))
    assert got[: len(reference)] == reference


@pytest.mark.parametrize("kind", KINDS)
def test_explain(run: Run, files: dict[str, str], kind: str) -> None:
    result = run("explain", files[kind], "--where", "tags contains vip", "--sort", "name")
    assert result.exit_code == 0, result.output
    assert "filter" in result.stdout and "tags contains" in result.stdout


def test_explain_shows_the_full_sql_of_sqlite(run: Run, files: dict[str, str]) -> None:
    result = run("explain", files["sqlite path"], "--where", "age > 3")
    assert "native query: SELECT" in result.stdout
    assert "…" not in result.stdout


def test_copy_sqlite_to_jsonl_to_parquet_keeps_every_record(
    run: Run, files: dict[str, str], tmp_path: Path
) -> None:
    jsonl, parquet = tmp_path / "copy.jsonl", tmp_path / "copy.parquet"
    first = run("copy", files["sqlite path"], str(jsonl), "--batch-size", "64")
    assert first.exit_code == 0, first.output
    second = run("copy", str(jsonl), f"file://{parquet}")
    assert second.exit_code == 0, second.output
    args = ["--sort", "name", "--format", "json"]
    original = json.loads(run("query", files["sqlite path"], *args).stdout)
    assert json.loads(run("query", str(parquet), *args).stdout) == original
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == PEOPLE


def test_copy_where_into_sqlite(run: Run, files: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "vip.db"
    result = run("copy", files["jsonl path"], str(target), "--where", "tags contains vip")
    assert result.exit_code == 0, result.output
    expected = run("count", files["jsonl path"], "--where", "tags contains vip").stdout
    assert run("count", str(target)).stdout == expected


def test_copy_again_reports_duplicates(run: Run, files: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "twice.jsonl"
    assert run("copy", files["sqlite path"], str(target), "-w", "active == false").exit_code == 0
    again = run("copy", files["sqlite path"], str(target), "-w", "active == false")
    assert again.exit_code == 1
    assert "DuplicateRecordError" in again.stdout
    assert "Traceback" not in again.output


def test_config_reference_to_a_sqlite_file(run: Run, files: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    db = Path(files["sqlite path"])
    config.write_text(
        "databases:\n"
        "  - name: primary\n"
        "    factory: database\n"
        "    backend: sqlite\n"
        f"    path: {db.name}\n",  # relative to the config file's folder
        encoding="utf-8",
    )
    (tmp_path / db.name).write_bytes(db.read_bytes())
    assert run("count", f"{config}#databases.primary").stdout == f"{PEOPLE}\n"


def test_corrupt_file_is_one_error_line(run: Run, error_line: ErrorLine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"_id": "a", "n": 1}\n{"_id": "b", "n": \n', encoding="utf-8")
    error_line(run("count", str(bad)))
    assert bad.read_text(encoding="utf-8").startswith('{"_id": "a"')


def test_not_a_sqlite_file_is_one_error_line(
    run: Run, error_line: ErrorLine, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    error_line(run("query", str(bad)))
