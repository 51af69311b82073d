"""A backend's search and count agree with the shared evaluator on random data and queries."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataknobs_data import Query, Record
from dataknobs_data.query.evaluate import compile_expression, sort_records

from .strategies import datasets, queries


def reference(records: list[Record], query: Query) -> list[str]:
    predicate = compile_expression(query.where_clause)
    hits = [r for r in records if predicate(r.data)]
    sort_records(hits, query.sort_specs)
    end = None if query.limit_value is None else query.offset_value + query.limit_value
    return [r.id for r in hits[query.offset_value : end]]  # type: ignore[misc]


def test_search_and_count_agree_with_the_reference_evaluator(db: Any, backend_case: Any) -> None:
    case, _face = backend_case

    @settings(
        max_examples=case.differential_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(dataset=datasets(), query_list=st.lists(queries(), min_size=1, max_size=4))
    def check(dataset: list[Record], query_list: list[Query]) -> None:
        db.clear()
        if dataset:
            db.create_batch(dataset)
        for query in query_list:
            expected = reference(dataset, query)
            got = [r.id for r in db.search(query)]
            if query.sort_specs:
                assert got == expected, f"{query.to_dict()}"
            else:
                assert sorted(got) == sorted(expected), f"{query.to_dict()}"
            assert db.count(query) == len(reference(dataset, query.without_paging())), (
                f"count {query.to_dict()}"
            )

    check()
