"""Install a plugin project from tests/plugins into a folder that goes on ``sys.path``.

The workspace's pyproject.toml and uv.lock are not touched: the plugin is installed with
``uv pip install --target`` (built by its own pyproject.toml, offline, without
dependencies). Where uv cannot build it (no uv on PATH, no build backend in its cache), the
same result is written by hand: the package plus a ``.dist-info`` folder with METADATA and
entry_points.txt taken from the project's pyproject.toml, which is all
``importlib.metadata`` reads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

__all__ = ["DEMO_PLUGIN", "install_plugin"]

DEMO_PLUGIN = Path(__file__).parent / "dataknobs_plugin_demo"


def install_plugin(project: Path, target: Path) -> str:
    """Install ``project`` into ``target``; return how: ``"uv"`` or ``"dist-info"``."""
    target.mkdir(parents=True, exist_ok=True)
    if _install_with_uv(project, target):
        return "uv"
    _write_dist_info(project, target)
    return "dist-info"


def _install_with_uv(project: Path, target: Path) -> bool:
    uv = shutil.which("uv")
    if uv is None:
        return False
    command = [uv, "pip", "install", "--offline", "--no-deps", "--quiet"]
    command += ["--python", sys.executable, "--target", str(target), str(project)]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and any(target.glob("*.dist-info/entry_points.txt"))


def _write_dist_info(project: Path, target: Path) -> None:
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = meta["name"], meta["version"]
    for package in (project / "src").iterdir():
        if (package / "__init__.py").exists():
            shutil.copytree(package, target / package.name, dirs_exist_ok=True)
    info = target / f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines: list[str] = []
    for group, points in meta.get("entry-points", {}).items():
        lines.append(f"[{group}]")
        lines.extend(f"{key} = {value}" for key, value in points.items())
        lines.append("")
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    (info / "INSTALLER").write_text("dataknobs-tests\n", encoding="utf-8")
