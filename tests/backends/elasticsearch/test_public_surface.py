"""The package's exports and factory wiring."""

from __future__ import annotations

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
