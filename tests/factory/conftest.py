"""Fixtures of the factory tests: the demo plugin installed, and throw-away backend modules."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dataknobs_data import database_factory
from tests.plugins.install import DEMO_PLUGIN, install_plugin

SERVICE_VARIABLES = ("DATAKNOBS_TEST_", "DATAKNOBS_REQUIRE_")
"""Variables of tests.services (which servers to use), kept."""


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """dataknobs-plugin-demo installed into a folder of its own, once per session."""
    site = tmp_path_factory.mktemp("plugin-site")
    how = install_plugin(DEMO_PLUGIN, site)
    return site, how


def _forget_module(prefix: str) -> None:
    for name in [m for m in sys.modules if m == prefix or m.startswith(prefix + ".")]:
        del sys.modules[name]


@pytest.fixture
def demo_plugin(plugin_site: tuple[Path, str]) -> Iterator[Path]:
    """The plugin is on sys.path, and the global factory reads entry points afresh."""
    site, _ = plugin_site
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    database_factory.refresh_plugins()
    try:
        yield site
    finally:
        sys.path.remove(str(site))
        importlib.invalidate_caches()
        _forget_module("dataknobs_plugin_demo")
        database_factory.refresh_plugins()


ModuleWriter = Callable[[str, str], None]


@pytest.fixture
def make_module(tmp_path: Path) -> Iterator[ModuleWriter]:
    """Write a module (name, source) into a folder on sys.path; all forgotten afterwards."""
    folder = tmp_path / "modules"
    folder.mkdir()
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    written_before = set(sys.modules)

    def write(name: str, source: str) -> None:
        (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        importlib.invalidate_caches()

    try:
        yield write
    finally:
        sys.path.remove(str(folder))
        for name in set(sys.modules) - written_before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(folder)):
                del sys.modules[name]
        importlib.invalidate_caches()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DATAKNOBS_* variable from the caller's shell leaks into a test."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith("DATAKNOBS_") and not upper.startswith(SERVICE_VARIABLES):
            monkeypatch.delenv(name)
