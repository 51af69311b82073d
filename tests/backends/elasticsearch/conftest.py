"""Fresh indexes on the session's Elasticsearch, deleted after each test."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from dataknobs_data.backends.elasticsearch import ElasticsearchDatabase


@pytest.fixture
def raw_es(elasticsearch_url: str) -> Iterator[Elasticsearch]:
    """A plain client on the test server."""
    with Elasticsearch(elasticsearch_url, request_timeout=60) as client:
        yield client


@pytest.fixture
def make_options(elasticsearch_url: str, raw_es: Elasticsearch) -> Iterator[Callable[..., Any]]:
    """Options for a fresh index (deleted after the test); keywords override."""
    created: list[str] = []

    def make(**overrides: Any) -> dict[str, Any]:
        index = f"dk-test-{uuid.uuid4().hex[:12]}"
        created.append(index)
        return {"hosts": [elasticsearch_url], "index": index, "replicas": 0, **overrides}

    yield make
    for index in created:
        raw_es.options(ignore_status=404).indices.delete(index=index)


@pytest.fixture
def es_db(make_options: Callable[..., Any]) -> Iterator[ElasticsearchDatabase]:
    """A connected ElasticsearchDatabase on a fresh index."""
    with ElasticsearchDatabase(**make_options()) as db:
        yield db
