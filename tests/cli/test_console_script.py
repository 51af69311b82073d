"""The installed ``dataknobs`` console script, run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def dataknobs() -> str:
    found = shutil.which("dataknobs") or str(Path(sys.executable).with_name("dataknobs"))
    assert Path(found).exists(), "the dataknobs console script is not installed"
    return found


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DATAKNOBS_DEBUG", None)
    return subprocess.run(
        [script, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_console_script_counts(dataknobs: str) -> None:
    result = run(dataknobs, "count", "memory://")
    assert (result.returncode, result.stdout, result.stderr) == (0, "0\n", "")


def test_console_script_error_is_one_line_without_traceback(dataknobs: str) -> None:
    result = run(dataknobs, "query", "memory://", "--where", "age ~ 3")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")


def test_python_dash_m_runs_the_same_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dataknobs_data.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("dataknobs ")
