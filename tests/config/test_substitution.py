from pathlib import Path

import pytest

from dataknobs_config import Config, ConfigurationError


def item(value: object, key: str = "value") -> object:
    return Config({"s": [{"name": "a", key: value}]}).get("s", "a")[key]


def test_variable_is_substituted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DK_HOST", "db.example.org")
    assert item("${DK_HOST}") == "db.example.org"


def test_default_is_used_when_variable_is_unset() -> None:
    assert item("${DK_UNSET_HOST:localhost}") == "localhost"


def test_set_variable_wins_over_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DK_HOST", "db1")
    assert item("${DK_HOST:localhost}") == "db1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${DK_UNSET:5432}", 5432),
        ("${DK_UNSET:-7}", -7),
        ("${DK_UNSET:2.5}", 2.5),
        ("${DK_UNSET:true}", True),
        ("${DK_UNSET:False}", False),
        ("${DK_UNSET:null}", None),
        ("${DK_UNSET:~}", None),
        ("${DK_UNSET:}", ""),
        ("${DK_UNSET:hello}", "hello"),
    ],
)
def test_whole_value_substitution_is_typed_as_yaml_scalar(text: str, expected: object) -> None:
    value = item(text)
    assert value == expected
    assert type(value) is type(expected)


def test_whole_value_from_environment_is_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DK_PORT", "6543")
    assert item("${DK_PORT}") == 6543


@pytest.mark.parametrize("text", ["007", "+5", "1_000", "yes", "off", "2024-01-01", "0x1F"])
def test_non_canonical_numbers_and_yaml11_words_stay_strings(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("DK_VALUE", text)
    assert item("${DK_VALUE}") == text


def test_secret_key_value_stays_a_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DK_PASSWORD", "12345")
    assert item("${DK_PASSWORD}", key="password") == "12345"


def test_substitution_inside_a_larger_string_stays_a_string(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DK_PORT", "5432")
    assert item("host:${DK_PORT}") == "host:5432"
    assert item("${DK_UNSET:a}-${DK_PORT}") == "a-5432"


def test_default_may_contain_colons() -> None:
    assert item("${DK_UNSET:http://localhost:9200}") == "http://localhost:9200"


def test_double_dollar_is_a_literal() -> None:
    assert item("cost $${NOT_A_VAR}") == "cost ${NOT_A_VAR}"


def test_substitution_reaches_nested_mappings_and_lists() -> None:
    assert item({"hosts": ["${DK_UNSET:h1}", "x"], "opts": {"n": "${DK_UNSET:3}"}}) == {
        "hosts": ["h1", "x"],
        "opts": {"n": 3},
    }


def test_unset_variable_without_default_names_file_key_path_and_fix(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text("databases:\n  - name: primary\n    password: ${DK_DB_PASSWORD}\n")
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get("databases", "primary")
    message = str(excinfo.value)
    assert message.startswith(f"{file}: databases[primary].password: ")
    assert "DK_DB_PASSWORD is not set" in message
    assert "set DK_DB_PASSWORD or give a default with ${DK_DB_PASSWORD:value}" in message


def test_unset_variable_in_a_nested_list_names_the_index() -> None:
    with pytest.raises(ConfigurationError, match=r"s\[a\]\.hosts\[1\]: environment variable"):
        item(["ok", "${DK_UNSET}"], key="hosts")


def test_unset_variable_is_fine_when_a_later_source_replaces_the_value() -> None:
    config = Config(
        {"s": [{"name": "a", "password": "${DK_UNSET}"}]},
        {"s": [{"name": "a", "password": "given"}]},
    )
    assert config.get("s", "a")["password"] == "given"


def test_unset_variable_only_fails_the_item_that_uses_it() -> None:
    config = Config({"s": [{"name": "a", "x": "${DK_UNSET}"}, {"name": "b", "x": 1}]})
    assert config.get("s", "b")["x"] == 1


def test_malformed_substitution_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match=r"s\[a\]\.value: malformed substitution"):
        item("${1BAD}")


def test_explicit_environ_replaces_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DK_HOST", "from-os")
    config = Config({"s": [{"name": "a", "h": "${DK_HOST}"}]}, environ={"DK_HOST": "given"})
    assert config.get("s", "a")["h"] == "given"
