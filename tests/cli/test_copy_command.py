"""dataknobs copy: streaming between databases, with a summary and an honest exit code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Run = Callable[..., Result]
ErrorLine = Callable[[Result], str]


def summary(result: Result) -> dict[str, str]:
    rows = {}
    for line in result.stdout.splitlines():
        key, _, value = line.strip().partition(" ")
        if key in {"from", "to", "read", "written", "failed", "time"}:
            rows[key] = value.strip()
    return rows


def test_copy_reports_read_written_failed(run: Run) -> None:
    result = run("copy", "people://", "memory://")
    assert result.exit_code == 0, result.output
    assert summary(result) | {"time": ""} == {
        "from": "people://",
        "to": "memory://",
        "read": "300",
        "written": "300",
        "failed": "0",
        "time": "",
    }


def test_copy_with_where_copies_only_matches(run: Run) -> None:
    expected = run("count", "people://", "--where", "tags contains vip").stdout.strip()
    result = run(
        "copy", "people://", "memory://", "--where", "tags contains vip", "--batch-size", "7"
    )
    assert result.exit_code == 0, result.output
    assert summary(result)["written"] == expected


def test_copy_into_a_config_reference(run: Run, config_file: Path) -> None:
    result = run("copy", "people://", f"{config_file}#databases.scratch", "-w", "age < 40")
    assert result.exit_code == 0, result.output
    assert int(summary(result)["written"]) > 0


def test_copy_names_failed_records_and_exits_one(run: Run) -> None:
    # Both sides are seeded with the same ids, so every record is a duplicate.
    result = run("copy", "people://a", "people://b", "--where", "address.city == Oslo")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    rows = summary(result)
    assert rows["written"] == "0" and rows["failed"] == rows["read"] != "0"
    assert "DuplicateRecordError" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "records were not copied" in result.stderr


def test_copy_onto_itself_is_refused(run: Run, error_line: ErrorLine) -> None:
    assert "same database" in error_line(run("copy", "people://", "people://"))


def test_copy_batch_size_must_be_positive(run: Run, error_line: ErrorLine) -> None:
    assert "--batch-size" in error_line(run("copy", "people://", "memory://", "--batch-size", "0"))
