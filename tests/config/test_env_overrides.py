import pytest

from dataknobs_config import Config, ConfigurationError


def config() -> Config:
    return Config(
        {
            "databases": [
                {"name": "primary", "host": "a", "port": 1, "opts": {"timeout": 5}},
                {"name": "primary-db", "host": "b"},
            ]
        }
    )


def test_env_override_replaces_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__HOST", "db9")
    assert config().get("databases", "primary")["host"] == "db9"


@pytest.mark.parametrize(
    ("raw", "expected"), [("6543", 6543), ("1.5", 1.5), ("true", True), ("null", None), ("x", "x")]
)
def test_env_override_is_typed_as_yaml_scalar(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: object
) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__PORT", raw)
    value = config().get("databases", "primary")["port"]
    assert value == expected
    assert type(value) is type(expected)


def test_env_override_of_secret_key_stays_a_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__PASSWORD", "0042")
    assert config().get("databases", "primary")["password"] == "0042"


def test_env_override_reaches_nested_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__OPTS__TIMEOUT", "30")
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__OPTS__RETRIES", "3")
    assert config().get("databases", "primary")["opts"] == {"timeout": 30, "retries": 3}


def test_env_override_matches_case_insensitively(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("dataknobs_Databases__Primary__Host", "db7")
    assert config().get("databases", "primary")["host"] == "db7"


def test_env_override_matches_dashes_as_underscores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY_DB__HOST", "db8")
    assert config().get("databases", "primary-db")["host"] == "db8"
    assert config().get("databases", "primary")["host"] == "a"


def test_env_override_adds_a_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__TABLE", "events")
    assert config().get("databases", "primary")["table"] == "events"


def test_env_override_replaces_an_unset_substitution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_S__A__PASSWORD", "pw")
    assert Config({"s": [{"name": "a", "password": "${DK_UNSET}"}]}).get("s", "a") == {
        "name": "a",
        "password": "pw",
    }


def test_env_override_for_unknown_item_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__OTHER__HOST", "x")
    assert config().get_names("databases") == ["primary", "primary-db"]


def test_env_override_into_a_scalar_is_an_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__HOST__X", "1")
    with pytest.raises(ConfigurationError, match="DATAKNOBS_DATABASES__PRIMARY__HOST__X"):
        config().get("databases", "primary")


def test_env_override_is_read_at_get_time(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config()
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__PORT", "2")
    assert cfg.get("databases", "primary")["port"] == 2
