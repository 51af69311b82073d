"""DB arguments: URLs, config references and plain paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataknobs_data import ConfigurationError
from dataknobs_data.cli.targets import open_database, parse_ref, secrets_of


def test_url_is_kept_as_given() -> None:
    ref = parse_ref("postgresql://ada:pw@db/app")
    assert ref.url == "postgresql://ada:pw@db/app"
    assert ref.display == "postgresql://ada:***@db/app"


def test_config_reference_splits_at_the_last_hash_and_first_dot(tmp_path: Path) -> None:
    ref = parse_ref("conf#v1/config.yaml#databases.my.db")
    assert (str(ref.config_path), ref.section, ref.name) == (
        "conf#v1/config.yaml",
        "databases",
        "my.db",
    )


@pytest.mark.parametrize(
    ("path", "backend"),
    [
        ("app.db", "sqlite"),
        ("x/app.sqlite3", "sqlite"),
        ("people.jsonl", "file"),
        ("people.JSON", "file"),
        ("people.csv.gz", "file"),
        ("people.parquet", "file"),
        ("people.jsonl.zst", "file"),
    ],
)
def test_plain_path_backend_follows_the_extension(path: str, backend: str) -> None:
    assert parse_ref(path).backend == backend


@pytest.mark.parametrize("text", ["", "  ", "people.xyz", "config.yaml", "c.yaml#databases"])
def test_unusable_reference_is_a_configuration_error(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_ref(text)


def test_secrets_of_finds_the_url_password() -> None:
    assert secrets_of("postgresql://ada:pw@db/app") == ["pw"]
    assert secrets_of("memory://") == []
    assert secrets_of("config.yaml#a.b") == []


def test_open_memory_url() -> None:
    assert type(open_database("memory://")).__name__ == "MemoryDatabase"


def test_open_config_reference(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("databases:\n  - name: m\n    factory: database\n    backend: memory\n")
    assert type(open_database(f"{config}#databases.m")).__name__ == "MemoryDatabase"


def test_config_item_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("things:\n  - name: p\n    class: pathlib.PurePosixPath\n")
    with pytest.raises(ConfigurationError, match="not a synchronous dataknobs Database"):
        open_database(f"{config}#things.p")


def test_secret_query_options_are_hidden_in_the_display() -> None:
    ref = parse_ref("elasticsearch+http://es:9200/people?api_key=abc%2Fdef&refresh=true")
    assert "abc" not in ref.display and "refresh=true" in ref.display
    assert secrets_of(ref.text) == ["abc%2Fdef", "abc/def"]
