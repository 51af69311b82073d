"""``factory: database`` works without register_factory: a lazy default, replaceable."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from dataknobs_config import Config, ConfigurationError
from dataknobs_config._construction import DEFAULT_FACTORIES


def database_item(**extra: object) -> Config:
    return Config({"databases": [{"name": "primary", "factory": "database", **extra}]})


def test_factory_database_needs_no_registration() -> None:
    db = database_item(backend="memory").get_instance("databases", "primary")
    assert type(db).__name__ == "MemoryDatabase"


def test_factory_database_is_the_dataknobs_data_database_factory() -> None:
    from dataknobs_config._importing import import_object
    from dataknobs_data import database_factory

    assert DEFAULT_FACTORIES["database"][0] == "dataknobs_data.factory:database_factory"
    assert import_object(DEFAULT_FACTORIES["database"][0]) is database_factory


def test_a_registered_database_factory_wins_over_the_default(testkit: types.ModuleType) -> None:
    config = database_item(backend="memory")
    config.register_factory("database", testkit.PlainFactory())
    assert config.get_instance("databases", "primary").kwargs == {
        "made_by": "create",
        "backend": "memory",
    }


def test_default_factory_from_a_yaml_file(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(
        "databases:\n  - name: primary\n    factory: database\n    backend: ${DB_BACKEND:memory}\n"
    )
    assert type(Config(file).get_instance("databases", "primary")).__name__ == "MemoryDatabase"


def test_default_factory_whose_package_is_missing_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "dataknobs_data", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "dataknobs_data.factory", raising=False)
    with pytest.raises(ConfigurationError) as excinfo:
        database_item(backend="memory").get_instance("databases", "primary")
    message = str(excinfo.value)
    assert message.startswith(
        "databases[primary].factory: factory 'database' comes from dataknobs-data, "
        "which cannot be imported ("
    )
    assert message.endswith(
        "install it with: pip install dataknobs-data, or call "
        "config.register_factory('database', factory)"
    )


def test_unknown_factory_name_lists_the_default_ones() -> None:
    config = Config({"databases": [{"name": "primary", "factory": "databse"}]})
    with pytest.raises(ConfigurationError) as excinfo:
        config.get_instance("databases", "primary")
    assert "Did you mean 'database'?" in str(excinfo.value)
    assert "Registered: database;" in str(excinfo.value)
