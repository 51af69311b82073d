"""I/O-free rules of the Elasticsearch backend: patterns, DSL, document layout, options, URLs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from dataknobs_data import ConfigurationError, Filter, Record, SerializationError
from dataknobs_data.backends.elasticsearch import ElasticsearchDatabase, ElasticsearchOptions
from dataknobs_data.backends.elasticsearch.dsl import MATCH_ALL, can_translate, translate
from dataknobs_data.backends.elasticsearch.patterns import like_to_wildcard, regex_to_lucene
from dataknobs_data.backends.elasticsearch.storage import (
    MAX_KEY_BYTES,
    doc_id,
    document,
    field_name,
    token,
)
from dataknobs_data.query.evaluate import portable_regex
from dataknobs_data.urls import parse_database_url
from dataknobs_data.values.keys import sort_key

# -- LIKE -> wildcard -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("like", "wildcard"),
    [
        ("abc", "abc"),
        ("a%b_c", "a*b?c"),
        ("100\\%", "100%"),
        ("a\\_b", "a_b"),
        ("star*q?", "star\\*q\\?"),
        ("back\\\\slash", "back\\\\slash"),
        ("trailing\\", "trailing\\\\"),
        ("", ""),
    ],
)
def test_like_becomes_a_wildcard_with_lucene_metacharacters_escaped(
    like: str, wildcard: str
) -> None:
    assert like_to_wildcard(like) == wildcard


# -- portable regex -> Lucene regexp ---------------------------------------------------


def _lucene_to_python(lucene: str) -> re.Pattern[str]:
    """Read a generated Lucene regexp back as a Python full-match pattern (for checking)."""
    out = []
    i = 0
    while i < len(lucene):
        ch = lucene[i]
        if ch == "\\":
            out.append(re.escape(lucene[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return re.compile("".join(out), re.DOTALL)


REGEX_CASES = [
    ("ab", ["xaby", "ab"], ["a", "ba"]),
    ("^ab", ["abx"], ["xab"]),
    ("ab$", ["xab"], ["abx", "ab\n"]),
    ("^a|b$", ["ax", "xb"], ["xa", "bx"]),
    ("a.c", ["a\nc", "abc"], ["ac"]),
    ("[a-c]+x", ["bbx"], ["dx"]),
    ("[^a]", ["b", "\n"], ["aaa", ""]),
    ('x@y&z~<>#"', ['x@y&z~<>#"'], ["xy"]),
    ("\\.\\*", [".*"], ["ab"]),
    ("colou?r", ["color", "colour"], ["colr"]),
    ("(ab)+$", ["xabab"], ["aba"]),
    ("a+?b", ["aab"], ["b"]),
    ("[]a]", ["]"], ["b"]),
    ("[a\\-z]", ["-"], ["b"]),
    ("", ["", "x"], []),
]


@pytest.mark.parametrize(("pattern", "hits", "misses"), REGEX_CASES)
def test_regex_translation_matches_what_the_evaluator_matches(
    pattern: str, hits: list[str], misses: list[str]
) -> None:
    lucene = regex_to_lucene(pattern)
    assert lucene is not None
    full = _lucene_to_python(lucene)
    reference = portable_regex(pattern)
    for text in hits + misses:
        expected = reference.search(text) is not None
        assert (full.fullmatch(text) is not None) == expected, (pattern, lucene, text)
        assert expected == (text in hits)


@pytest.mark.parametrize("pattern", ["a(^b)", "a^b", "(a$)b", "a$b", "a*+", "(x|^y)"])
def test_regex_without_a_lucene_form_is_not_pushed(pattern: str) -> None:
    assert regex_to_lucene(pattern) is None
    assert not can_translate(Filter("f", "regex", pattern))
    assert not can_translate(Filter("f", "not_regex", pattern))


def test_regex_escapes_lucene_only_operators() -> None:
    assert regex_to_lucene("a@b") == "(.*a\\@b.*)"


# -- DSL --------------------------------------------------------------------------------


def test_no_filter_is_match_all() -> None:
    assert translate(None).query == MATCH_ALL


def test_equality_of_a_scalar_is_a_term_on_the_sort_key() -> None:
    assert translate(Filter("age", "==", 30)).query == {"term": {"f.age.s": sort_key(30)}}


def test_equal_numbers_of_different_types_share_one_term() -> None:
    assert (
        translate(Filter("n", "==", 1)).query == translate(Filter("n", "==", Decimal("1.0"))).query
    )


def test_equality_with_none_is_no_key_at_all() -> None:
    assert translate(Filter("x", "==", None)).query == {
        "bool": {"must_not": [{"exists": {"field": "f.x.s"}}]}
    }


def test_equality_of_a_container_uses_the_hash_token() -> None:
    query = translate(Filter("tags", "==", ["a"])).query
    assert query == {"term": {"f.tags.e": token(["a"])}}


def test_negative_operators_are_must_not_of_the_positive_form() -> None:
    positive = translate(Filter("city", "==", "Oslo")).query
    assert translate(Filter("city", "!=", "Oslo")).query == {"bool": {"must_not": [positive]}}
    assert translate(~Filter("city", "==", "Oslo")).query == {"bool": {"must_not": [positive]}}


def test_ranges_stay_within_the_operand_kind() -> None:
    query = translate(Filter("age", ">", 3)).query
    assert query == {"range": {"f.age.s": {"gt": sort_key(3), "lt": "3"}}}
    lt = translate(Filter("name", "<", "m")).query["bool"]["should"][0]
    assert lt == {"range": {"f.name.s": {"gte": "3", "lt": "3m"}}}


def test_number_and_date_ranges_never_depend_on_truncated_keys() -> None:
    import datetime as dt

    for condition in (Filter("n", ">=", 1), Filter("d", "between", [dt.date(2020, 1, 1)] * 2)):
        assert translate(condition).lossy_paths == ()


def test_numbers_too_long_to_index_are_refused_at_write_time() -> None:
    with pytest.raises(SerializationError, match="digits"):
        document(Record({"n": Decimal("1." + "3" * 40_000)}, id="r"))


def test_pattern_filters_admit_documents_with_truncated_keys() -> None:
    translation = translate(Filter("body", "like", "%x%"))
    assert translation.lossy_paths == ("body",)
    assert {"term": {"lossy": "body"}} in translation.query["bool"]["should"]


def test_complement_of_a_lossy_filter_excludes_lossy_candidates_from_certainty() -> None:
    query = translate(Filter("body", "not_like", "%x%")).query
    assert query == {
        "bool": {
            "must_not": [
                {
                    "bool": {
                        "filter": [{"wildcard": {"f.body.s": {"value": "3*x*"}}}],
                        "must_not": [{"term": {"lossy": "body"}}],
                    }
                }
            ]
        }
    }


def test_in_with_none_also_matches_missing() -> None:
    query = translate(Filter("x", "in", [1, None])).query
    assert {"bool": {"must_not": [{"exists": {"field": "f.x.s"}}]}} in query["bool"]["should"]


def test_empty_in_matches_nothing_and_empty_not_in_everything() -> None:
    assert translate(Filter("x", "in", [])).query == {"match_none": {}}
    assert translate(Filter("x", "not_in", [])).query == MATCH_ALL


def test_ilike_uses_the_lowercase_key_and_lowercases_the_pattern() -> None:
    query = translate(Filter("name", "ilike", "AD%")).query["bool"]["should"][0]
    assert query == {"wildcard": {"f.name.l": {"value": "ad*"}}}


def test_contains_uses_element_tokens() -> None:
    assert translate(Filter("tags", "contains", 2)).query == {"term": {"f.tags.c": sort_key(2)}}


# -- documents ----------------------------------------------------------------------------


def test_field_names_are_dot_free_and_injective() -> None:
    names = {field_name(p) for p in ["a.b", "a-2e-b", "a", "a.", "", "ä", "a_b"]}
    assert len(names) == 7
    assert all("." not in name for name in names)


def test_document_indexes_nested_paths_but_not_list_items_or_dotted_names() -> None:
    doc = document(Record({"a": {"b": 1, "c.d": 2}, "l": [{"x": 1}], "e.f": 3}, id="r"))
    assert set(doc["f"]) == {"a", "a-2e-b", "l"}
    assert doc["id"] == "r"
    assert "lossy" not in doc


def test_document_source_is_tagged_json_text() -> None:
    doc = document(Record({"n": 2**70, "d": Decimal("1.10")}, id="r", metadata={"m": 1}))
    assert doc["src"] == '{"n":1180591620717411303424,"d":{"$decimal":"1.10"}}'
    assert doc["meta"] == '{"m":1}'


def test_keys_too_long_for_a_term_are_truncated_and_marked_lossy() -> None:
    value = "é" * 20_000
    doc = document(Record({"body": value}, id="r"))
    keys = doc["f"]["body"]
    assert doc["lossy"] == ["body"]
    assert MAX_KEY_BYTES < len(keys["s"].encode()) <= 32766
    assert keys["e"] == token(value) and keys["e"].startswith("#")


def test_long_ids_get_a_hashed_doc_id() -> None:
    assert doc_id("short") == "short"
    long_id = "x" * 600
    assert doc_id(long_id) != long_id and len(doc_id(long_id)) < 100
    assert doc_id(doc_id(long_id)) != doc_id(long_id)


# -- options, repr, URLs -----------------------------------------------------------------


def test_unknown_option_is_named() -> None:
    with pytest.raises(ConfigurationError, match="indx"):
        ElasticsearchDatabase(indx="x")


def test_invalid_index_name_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="index"):
        ElasticsearchDatabase(index="Upper")


def test_secrets_never_appear_in_repr() -> None:
    db = ElasticsearchDatabase(
        hosts=["http://ada:hunter2@h:9200"], api_key="sekret-key", basic_auth=("ada", "pw-42")
    )
    text = repr(db)
    for secret in ("hunter2", "sekret-key", "pw-42"):
        assert secret not in text


def test_a_single_host_string_is_accepted() -> None:
    assert ElasticsearchOptions(hosts="http://h:9200").hosts == ("http://h:9200",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "elasticsearch+http://localhost:9200/people",
            {"hosts": ["http://localhost:9200"], "index": "people"},
        ),
        (
            "elasticsearch+https://ada:s%40cret@es.example/logs?refresh=false&request_timeout=5",
            {
                "hosts": ["https://es.example"],
                "index": "logs",
                "basic_auth": ("ada", "s@cret"),
                "refresh": False,
                "request_timeout": 5.0,
            },
        ),
    ],
)
def test_url_schemes(url: str, expected: dict[str, Any]) -> None:
    assert parse_database_url(url) == ("elasticsearch", expected)
    ElasticsearchOptions(**expected)


@pytest.mark.parametrize(
    "condition",
    [
        Filter("s", ">", "x" * 9000),
        Filter("s", "between", ["a", "x" * 9000]),
        Filter("s", "like", "%" * 9000),
        Filter("s", "not_regex", "a" * 9000),
    ],
)
def test_operands_too_long_for_a_keyword_term_run_in_python(condition: Filter) -> None:
    assert not can_translate(condition)


def test_long_equality_operands_are_pushed_as_hash_tokens() -> None:
    long_value = "😀" * 9000  # 36,000 bytes of UTF-8
    assert can_translate(Filter("s", "==", long_value))
    assert translate(Filter("s", "==", long_value)).query == {"term": {"f.s.e": token(long_value)}}


def test_booleans_and_equal_ints_get_different_keys() -> None:
    keys = [document(Record({"v": v}, id="r"))["f"]["v"]["s"] for v in (1, True, 0, False, 1)]
    assert keys == [sort_key(1), sort_key(True), sort_key(0), sort_key(False), sort_key(1)]
    assert len(set(keys)) == 4


def test_plain_and_tagged_sources_decode_to_the_same_record() -> None:
    from dataknobs_data.backends.elasticsearch.storage import decode_source

    for data in ({"a": 1, "b": "x"}, {"$date": "x"}, {"d": Decimal("1.5")}, {"l": [b"x"]}):
        record = Record(data, id="r")
        assert decode_source(document(record)) == record
