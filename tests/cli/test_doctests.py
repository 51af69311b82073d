"""The examples in the CLI modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "dataknobs_data.cli.where",
    "dataknobs_data.cli.render",
    "dataknobs_data.cli.targets",
    "dataknobs_data.cli.progress",
    "dataknobs_data.cli.sample",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
