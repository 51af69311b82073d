import json
from pathlib import Path

import pytest

from dataknobs_config import Config, ConfigurationError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_file_is_read(tmp_path: Path) -> None:
    file = write(tmp_path / "config.yaml", "databases:\n  - name: primary\n    host: db1\n")
    assert Config(file).get("databases", "primary") == {"name": "primary", "host": "db1"}


def test_json_file_is_read(tmp_path: Path) -> None:
    file = tmp_path / "config.json"
    file.write_text(json.dumps({"databases": [{"name": "primary", "port": 1}]}))
    assert Config(str(file)).get("databases", "primary") == {"name": "primary", "port": 1}


def test_dict_source_is_read() -> None:
    config = Config({"databases": [{"name": "primary", "host": "h"}]})
    assert config.get("databases", "primary")["host"] == "h"


def test_later_source_merges_keys_over_item_with_same_name(tmp_path: Path) -> None:
    file = write(tmp_path / "c.yaml", "databases:\n  - name: primary\n    host: a\n    port: 1\n")
    config = Config(file, {"databases": [{"name": "primary", "port": 2}]})
    assert config.get("databases", "primary") == {"name": "primary", "host": "a", "port": 2}


def test_later_source_appends_new_names() -> None:
    config = Config({"databases": [{"name": "a"}, {"name": "b"}]}, {"databases": [{"name": "c"}]})
    assert config.get_names("databases") == ["a", "b", "c"]


def test_sources_may_be_given_as_a_list() -> None:
    config = Config([{"s": [{"name": "a", "x": 1}]}, {"s": [{"name": "a", "x": 2}]}])
    assert config.get("s", "a")["x"] == 2


def test_nested_mappings_merge_and_lists_are_replaced() -> None:
    config = Config(
        {"s": [{"name": "a", "opts": {"x": 1, "y": 1}, "hosts": ["h1", "h2"]}]},
        {"s": [{"name": "a", "opts": {"y": 2}, "hosts": ["h3"]}]},
    )
    assert config.get("s", "a") == {"name": "a", "opts": {"x": 1, "y": 2}, "hosts": ["h3"]}


def test_section_written_as_mapping_of_name_to_item_is_normalised() -> None:
    config = Config({"databases": {"primary": {"host": "h"}, "empty": None}})
    assert config.get_names("databases") == ["primary", "empty"]
    assert config.get("databases", "primary") == {"name": "primary", "host": "h"}
    assert config.get("databases", "empty") == {"name": "empty"}


def test_sections_lists_every_section_in_order() -> None:
    config = Config({"b": [], "a": []}, {"c": {}, "b": []})
    assert config.sections() == ["b", "a", "c"]


def test_get_returns_a_copy_that_does_not_change_the_config() -> None:
    config = Config({"s": [{"name": "a", "opts": {"x": 1}}]})
    config.get("s", "a")["opts"]["x"] = 99
    assert config.get("s", "a")["opts"]["x"] == 1


def test_unknown_section_suggests_closest() -> None:
    config = Config({"databases": [{"name": "a"}]})
    with pytest.raises(ConfigurationError, match=r"'databses'.*did you mean 'databases'"):
        config.get("databses", "a")


def test_unknown_item_suggests_closest_and_lists_names() -> None:
    config = Config({"databases": [{"name": "primary"}]})
    with pytest.raises(
        ConfigurationError, match=r"'primry'.*did you mean 'primary'.*Names: primary"
    ):
        config.get("databases", "primry")


def test_item_without_name_is_an_error_naming_file_and_position(tmp_path: Path) -> None:
    file = write(tmp_path / "c.yaml", "databases:\n  - host: a\n")
    with pytest.raises(
        ConfigurationError, match=r"c\.yaml: databases\[0\]: every item needs a 'name'"
    ):
        Config(file)


def test_duplicate_name_within_a_source_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="used twice"):
        Config({"s": [{"name": "a"}, {"name": "a"}]})


def test_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"nope\.yaml: configuration file not found"):
        Config(tmp_path / "nope.yaml")


def test_invalid_yaml_is_an_error_naming_the_file(tmp_path: Path) -> None:
    file = write(tmp_path / "bad.yaml", "databases: [\n")
    with pytest.raises(ConfigurationError, match=r"bad\.yaml: not valid YAML"):
        Config(file)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    file = write(tmp_path / "list.yaml", "- a\n- b\n")
    with pytest.raises(ConfigurationError, match="top level must be a mapping"):
        Config(file)


def test_empty_file_is_an_empty_config(tmp_path: Path) -> None:
    assert Config(write(tmp_path / "empty.yaml", "")).sections() == []
