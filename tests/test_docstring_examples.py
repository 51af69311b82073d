"""Every docstring example of the three packages runs and stays true (one test per module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import dataknobs_common
import dataknobs_config
import dataknobs_data


def _modules(package: ModuleType) -> list[str]:
    """The package and every module below it (``__main__`` runs a program: left out)."""
    prefix = package.__name__ + "."
    walked = (m.name for m in pkgutil.walk_packages(package.__path__, prefix))
    return [package.__name__, *sorted(n for n in walked if not n.endswith(".__main__"))]


CONFIG_MODULES = _modules(dataknobs_config)
MODULES = [*_modules(dataknobs_common), *CONFIG_MODULES, *_modules(dataknobs_data)]
# The config package's examples were written with free line wrapping.
_CONFIG_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# The CLI helpers document themselves by example: each must keep some.
MUST_HAVE_EXAMPLES = frozenset(
    {
        "dataknobs_data.cli.where",
        "dataknobs_data.cli.render",
        "dataknobs_data.cli.targets",
        "dataknobs_data.cli.progress",
        "dataknobs_data.cli.sample",
    }
)


def _run(module_name: str) -> doctest.TestResults:
    flags = _CONFIG_FLAGS if module_name in CONFIG_MODULES else doctest.ELLIPSIS
    return doctest.testmod(importlib.import_module(module_name), optionflags=flags)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    result = _run(module_name)
    assert result.failed == 0
    if module_name in MUST_HAVE_EXAMPLES:
        assert result.attempted > 0


def test_every_module_named_as_needing_examples_exists() -> None:
    assert set(MODULES) >= MUST_HAVE_EXAMPLES


def test_the_config_package_keeps_its_examples() -> None:
    attempted = sum(_run(name).attempted for name in CONFIG_MODULES if name != "dataknobs_config")
    assert attempted >= 20
