import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataknobs_config import Config, ConfigurableBase, ConfigurationError

SECRET = "pw-that-must-not-leak"


def test_from_config_validates_and_passes_fields_as_keyword_arguments(
    testkit: types.ModuleType,
) -> None:
    store = testkit.Store.from_config({"host": "db", "port": 1})
    assert (store.host, store.port, store.password) == ("db", 1, None)


def test_from_config_rejects_unknown_option_with_suggestion(testkit: types.ModuleType) -> None:
    with pytest.raises(ConfigurationError, match="unknown option 'prot' for Store; did you mean"):
        testkit.Store.from_config({"prot": 1})


def test_options_class_gets_a_redacting_repr(testkit: types.ModuleType) -> None:
    assert SECRET not in repr(testkit.StoreOptions(password=SECRET))


def test_options_class_must_be_a_dataclass() -> None:
    with pytest.raises(TypeError, match=r"Bad\.options_class must be a dataclass"):

        class Bad(ConfigurableBase):
            options_class = dict


def test_subclass_without_options_class_cannot_be_built_from_config() -> None:
    class Bare(ConfigurableBase):
        pass

    with pytest.raises(TypeError, match="must set options_class"):
        Bare.from_config({})


def test_init_false_fields_are_not_passed() -> None:
    @dataclass
    class Opts:
        size: int = 1

    class Sized(ConfigurableBase):
        options_class = Opts

        def __init__(self, size: int) -> None:
            self.size = size

    assert Sized.from_config({"size": 3}).size == 3


def test_error_inside_config_names_file_and_item(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(
        "databases:\n  - name: primary\n    class: config_testkit.Store\n    hots: db\n"
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(
        f"{file}: databases[primary]: unknown option 'hots' for Store; did you mean 'host'? "
        "Valid options: host, port, password"
    )


def test_wrong_type_inside_config_names_the_full_key_path(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(
        "databases:\n  - name: primary\n    class: config_testkit.Store\n"
        "    port: ${DK_PORT:five}\n"
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value) == (
        f"{file}: databases[primary].port: wrong type for option 'port' of Store: "
        "expected int, got str 'five'"
    )


def test_secret_never_appears_in_a_config_error(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(
        "databases:\n  - name: primary\n    class: config_testkit.Store\n"
        f"    password: [{SECRET}]\n"
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert SECRET not in str(excinfo.value)
    assert "databases[primary].password" in str(excinfo.value)


def test_errors_from_merged_sources_name_every_file(tmp_path: Path) -> None:
    base, local = tmp_path / "base.yaml", tmp_path / "local.yaml"
    base.write_text("databases:\n  - name: primary\n    class: config_testkit.Store\n")
    local.write_text("databases:\n  - name: primary\n    hots: x\n")
    with pytest.raises(ConfigurationError) as excinfo:
        Config(base, local).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(f"{base} + {local}: databases[primary]: ")


def test_api_md_example_builds_with_a_registered_factory(
    tmp_path: Path, testkit: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(
        "databases:\n"
        "  - name: primary\n"
        "    factory: database\n"
        "    backend: ${DB_BACKEND:postgres}\n"
        "    host: ${DB_HOST:localhost}\n"
        "    port: ${DB_PORT:5432}\n"
    )
    monkeypatch.setenv("DB_HOST", "db.internal")
    config = Config(file)
    config.register_factory("database", testkit.PlainFactory())
    db = config.get_instance("databases", "primary")
    assert db.kwargs == {
        "made_by": "create",
        "backend": "postgres",
        "host": "db.internal",
        "port": 5432,
    }
    assert config.get_instance("databases", "primary") is db
