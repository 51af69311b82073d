"""The package's exports, factory wiring and docstring examples."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dataknobs_data.backends.elasticsearch as elasticsearch
from dataknobs_data import database_factory


def test_exports() -> None:
    assert set(elasticsearch.__all__) == {
        "AsyncElasticsearchDatabase",
        "ElasticsearchDatabase",
        "ElasticsearchOptions",
    }


def test_the_factory_builds_both_faces() -> None:
    assert database_factory.backend_class("elasticsearch") is elasticsearch.ElasticsearchDatabase
    cls = database_factory.backend_class("elasticsearch", asynchronous=True)
    assert cls is elasticsearch.AsyncElasticsearchDatabase


SUBMODULES = pkgutil.iter_modules(elasticsearch.__path__, "dataknobs_data.backends.elasticsearch.")
MODULES = ["dataknobs_data.backends.elasticsearch", *sorted(m.name for m in SUBMODULES)]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    result = doctest.testmod(importlib.import_module(module_name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
