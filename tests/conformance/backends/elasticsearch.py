"""The Elasticsearch backend against the session's real Elasticsearch (tests.services)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.harness import BackendCase, CaseContext


def _drop_index(url: str, index: str) -> None:
    from elasticsearch import Elasticsearch

    with Elasticsearch(url, request_timeout=30) as es:
        es.options(ignore_status=404).indices.delete(index=index)


def _options(ctx: CaseContext) -> dict[str, Any]:
    url = ctx.fixture("elasticsearch_url")
    ctx.request.addfinalizer(lambda: _drop_index(url, ctx.unique))
    return {"hosts": [url], "index": ctx.unique, "replicas": 0}


CASES = [
    BackendCase(
        name="elasticsearch",
        backend="elasticsearch",
        options=_options,
        faces=("sync", "async"),
        gaps={},
        marks=(pytest.mark.services,),
        differential_examples=40,
    ),
]
