"""The examples in the docstrings of dataknobs_config run and stay true."""

import doctest
import importlib
import pkgutil

import pytest

import dataknobs_config

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(dataknobs_config.__path__, prefix="dataknobs_config.")
)


@pytest.mark.parametrize("module_name", ["dataknobs_config", *MODULES])
def test_docstring_examples_pass(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_docstring_examples_exist() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(name)).attempted for name in MODULES)
    assert attempted >= 20
