"""Every user error ends with one red line on stderr, exit code 1 and no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
ErrorLine = Callable[[Result], str]


def test_bad_where_clause(run: Run, error_line: ErrorLine) -> None:
    line = error_line(run("query", "people://", "--where", "age resembles 30"))
    assert "unknown operator 'resembles'" in line


def test_where_clause_without_operator(run: Run, error_line: ErrorLine) -> None:
    assert "field OP value" in error_line(run("count", "people://", "--where", "age"))


def test_wrong_value_shape_for_an_operator(run: Run, error_line: ErrorLine) -> None:
    line = error_line(run("count", "people://", "--where", "age between 1"))
    assert "age between 1" in line


def test_unknown_url_scheme(run: Run, error_line: ErrorLine) -> None:
    line = error_line(run("count", "nosuch://host/db"))
    assert "unknown database URL scheme" in line


def test_unknown_backend_in_a_config(run: Run, error_line: ErrorLine, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("databases:\n  - name: x\n    factory: database\n    backend: nosuch\n")
    assert "nosuch" in error_line(run("count", f"{config}#databases.x"))


def test_missing_config_item(run: Run, error_line: ErrorLine, config_file: Path) -> None:
    line = error_line(run("count", f"{config_file}#databases.primry"))
    assert "primary" in line  # the suggestion


def test_missing_config_file(run: Run, error_line: ErrorLine, tmp_path: Path) -> None:
    line = error_line(run("count", f"{tmp_path}/nope.yaml#databases.primary"))
    assert "configuration file not found" in line


def test_malformed_config_reference(run: Run, error_line: ErrorLine, config_file: Path) -> None:
    assert "section.name" in error_line(run("count", f"{config_file}#primary"))


def test_config_file_without_a_reference(
    run: Run, error_line: ErrorLine, config_file: Path
) -> None:
    assert "#databases.primary" in error_line(run("count", str(config_file)))


@pytest.mark.parametrize("name", ["missing.db", "missing.jsonl", "missing.parquet"])
def test_missing_database_file_is_an_error_not_an_empty_result(
    run: Run, error_line: ErrorLine, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    assert "no such file" in error_line(run("query", str(path)))
    assert not path.exists()


def test_unrecognised_path(run: Run, error_line: ErrorLine) -> None:
    assert "cannot tell what kind of database" in error_line(run("count", "people.xyz"))


def test_unknown_option(run: Run, error_line: ErrorLine) -> None:
    line = error_line(run("query", "people://", "--bogus"))
    assert "--bogus" in line and "dataknobs query --help" in line


def test_missing_argument(run: Run, error_line: ErrorLine) -> None:
    assert "DB" in error_line(run("count"))


def test_unknown_command(run: Run, error_line: ErrorLine) -> None:
    assert "frobnicate" in error_line(run("frobnicate"))


def test_bad_format(run: Run, error_line: ErrorLine) -> None:
    assert "xml" in error_line(run("query", "people://", "--format", "xml"))


def test_negative_limit(run: Run, error_line: ErrorLine) -> None:
    assert "--limit" in error_line(run("query", "people://", "--limit", "-1"))


def test_password_never_printed(run: Run, error_line: ErrorLine) -> None:
    result = run("count", "nosuch://ada:hunter2@db.example:5432/app")
    error_line(result)
    assert "hunter2" not in result.output


def test_password_hidden_even_when_a_backend_echoes_it(run: Run, error_line: ErrorLine) -> None:
    # The message of a failing backend may quote what it was given.
    result = run("count", "people://ada:s3cr%40t@host/x", "--where", "x == s3cr@t", "--where", "q")
    line = error_line(result)
    assert "s3cr@t" not in line and "s3cr%40t" not in line


def test_no_arguments_shows_help(run: Run) -> None:
    result = run()
    assert result.exit_code == 0
    assert "demo" in result.stdout and "query" in result.stdout


def test_help_exits_zero(run: Run) -> None:
    result = run("query", "--help")
    assert result.exit_code == 0
    assert "--where" in result.stdout


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("dataknobs ")
