"""Object keys: any id maps to a safe key and back."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from dataknobs_data.backends.s3.keys import MAX_NAME, KeyCodec, escape_id, unescape_name

SAFE = set(string.ascii_letters + string.digits + "-_")


@given(st.text(min_size=1))
def test_every_id_escapes_to_a_safe_name_and_back(record_id: str) -> None:
    name = escape_id(record_id)
    assert set(name) <= SAFE
    assert unescape_name(name) == record_id


def test_lone_surrogates_round_trip() -> None:
    assert unescape_name(escape_id("a\ud800b")) == "a\ud800b"


def test_path_like_ids_never_make_path_segments() -> None:
    codec = KeyCodec("data")
    for record_id in ["/", "..", ".", "a/../b", "a/b/", "%2F", "~x", "_2f"]:
        key = codec.key(record_id)
        name = key[len("data/") : -len(".json")]
        assert "/" not in name and "." not in name
        assert codec.record_id(key) == record_id


def test_distinct_ids_have_distinct_keys() -> None:
    codec = KeyCodec("")
    ids = ["a", "A", "a_61", "_61", "a/b", "a_2fb", "é", "e\u0301", "x" * 500, "x" * 501]
    assert len({codec.key(i) for i in ids}) == len(ids)


def test_long_ids_use_a_hashed_name_within_the_limit() -> None:
    codec = KeyCodec("p")
    key = codec.key("é" * 1000)
    assert len(key) <= len("p/") + MAX_NAME + len(".json")
    assert codec.is_record_key(key)
    assert codec.record_id(key) is None  # the body names the id


def test_prefix_is_a_folder_whatever_the_slashes() -> None:
    assert KeyCodec("a/b").prefix == KeyCodec("/a/b/").prefix == "a/b/"
    assert KeyCodec("").prefix == ""


def test_only_record_objects_count_as_records() -> None:
    codec = KeyCodec("p")
    assert codec.is_record_key(codec.key("x"))
    assert not codec.is_record_key("p/readme.txt")
    assert not codec.is_record_key("p/.dataknobs-probe-1")
    assert not codec.is_record_key("q/x.json")
    assert not codec.is_record_key("p/bad_zz.json")
