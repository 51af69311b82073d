"""Classes for construction tests, importable as ``config_testkit.<Name>``."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest

from dataknobs_config import ConfigurableBase

TESTKIT = "config_testkit"


@dataclass
class StoreOptions:
    host: str = "localhost"
    port: int = 5432
    password: str | None = None


class Store(ConfigurableBase):
    """A class with from_config (through ConfigurableBase)."""

    options_class = StoreOptions

    def __init__(self, host: str, port: int, password: str | None) -> None:
        self.host, self.port, self.password = host, port, password


class Plain:
    """A class without from_config: built with keyword arguments."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class Job:
    """Refers to other items."""

    def __init__(self, source: Any, target: Any, note: str = "") -> None:
        self.source, self.target, self.note = source, target, note


class Picky:
    """Rejects a value, echoing it (as careless code does)."""

    def __init__(self, password: str) -> None:
        raise ValueError(f"bad password {password}")


class PlainFactory:
    """A factory object with create()."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def create(self, **kwargs: Any) -> Plain:
        self.calls.append(kwargs)
        return Plain(made_by="create", **kwargs)


def make_plain(**kwargs: Any) -> Plain:
    return Plain(made_by="callable", **kwargs)


@pytest.fixture(autouse=True)
def testkit(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType(TESTKIT)
    for obj in (Store, StoreOptions, Plain, Job, Picky, PlainFactory, make_plain):
        setattr(module, obj.__name__, obj)
    module.shared_factory = PlainFactory()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, TESTKIT, module)
    return module


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DATAKNOBS_* variable from the caller's shell leaks into a test."""
    import os

    for name in list(os.environ):
        if name.upper().startswith("DATAKNOBS_"):
            monkeypatch.delenv(name)
