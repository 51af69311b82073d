"""A third-party backend installed from tests/plugins, found through its entry points."""

from __future__ import annotations

import asyncio
from importlib.metadata import distribution, entry_points
from pathlib import Path

import pytest

from dataknobs_config import Config
from dataknobs_data import (
    AsyncDatabase,
    BackendNotAvailableError,
    ConfigurationError,
    Database,
    DatabaseFactory,
    Record,
    database_factory,
)
from dataknobs_data.backends.memory import MemoryDatabase
from dataknobs_data.factory import ENTRY_POINT_GROUP

pytestmark = pytest.mark.usefixtures("demo_plugin")


def test_the_plugin_is_installed_with_its_entry_points(plugin_site: tuple[Path, str]) -> None:
    assert distribution("dataknobs-plugin-demo").version == "0.1.0"
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert names >= {"demo", "demo-spec", "demo-needs-extra", "memory"}
    assert plugin_site[1] in {"uv", "dist-info"}


def test_available_lists_plugins_with_the_builtins() -> None:
    assert set(database_factory.available()) >= {
        "memory",
        "sqlite",
        "demo",
        "demo-spec",
        "demo-needs-extra",
    }


def test_plugin_backend_is_built_by_name_and_works() -> None:
    db = database_factory.create(backend="demo", table="people")
    assert type(db).__name__ == "DemoDatabase"
    assert db.options.table == "people"
    with db:
        rid = db.create(Record({"name": "Ada"}))
        assert db.read(rid)["name"] == "Ada"


def test_plugin_async_face_comes_from_its_async_class() -> None:
    db = AsyncDatabase.from_backend("demo", {"port": 7})
    assert type(db).__name__ == "AsyncDemoDatabase"

    async def use() -> int:
        async with db:
            await db.create(Record({"n": 1}))
            return await db.count()

    assert asyncio.run(use()) == 1


def test_plugin_entry_point_may_name_a_backend_spec() -> None:
    assert type(Database.from_backend("demo-spec")).__name__ == "DemoDatabase"
    assert type(AsyncDatabase.from_backend("demo-spec")).__name__ == "AsyncDemoDatabase"


def test_plugin_with_a_missing_dependency_gives_its_own_install_hint() -> None:
    with pytest.raises(BackendNotAvailableError) as excinfo:
        database_factory.create(backend="demo-needs-extra")
    assert str(excinfo.value) == (
        "backend 'demo-needs-extra' needs the package 'dataknobs_demo_accelerator', which is "
        "not installed; install it with: pip install 'dataknobs-plugin-demo[fast]'"
    )


def test_a_plugin_cannot_take_over_a_builtin_name() -> None:
    assert type(database_factory.create(backend="memory")) is MemoryDatabase


def test_plugin_options_are_validated_with_suggestions() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        database_factory.create(backend="demo", tabel="people")
    assert str(excinfo.value) == (
        "unknown option 'tabel' for DemoDatabase; did you mean 'table'? "
        "Valid options: table, port, label, token"
    )


def test_plugin_secret_options_stay_hidden() -> None:
    db = database_factory.create(backend="demo", token="s3cr3t-token")
    assert "s3cr3t-token" not in repr(db)
    with pytest.raises(ConfigurationError) as excinfo:
        database_factory.create(backend="demo", token=123456789)
    assert "123456789" not in str(excinfo.value)


def test_a_new_factory_finds_plugins_without_a_refresh() -> None:
    assert "demo" in DatabaseFactory().available()
    assert "demo" not in DatabaseFactory(plugins=False).available()


def test_a_registered_name_wins_over_a_plugin() -> None:
    factory = DatabaseFactory()
    factory.register("demo", MemoryDatabase)
    assert type(factory.create(backend="demo")) is MemoryDatabase
    factory.refresh_plugins()  # registrations survive a refresh
    assert type(factory.create(backend="demo")) is MemoryDatabase


def test_refresh_forgets_an_uninstalled_plugin(demo_plugin: Path) -> None:
    import sys

    factory = DatabaseFactory()
    assert "demo" in factory.available()
    sys.path.remove(str(demo_plugin))
    try:
        factory.refresh_plugins()
        assert "demo" not in factory.available()
        with pytest.raises(ConfigurationError, match="unknown backend 'demo'"):
            factory.create(backend="demo")
    finally:
        sys.path.insert(0, str(demo_plugin))


# -- built from YAML ----------------------------------------------------------------------

DEMO_YAML = """\
databases:
  - name: primary
    factory: database
    backend: demo
    table: ${DEMO_TABLE:people}
    port: ${DEMO_PORT:6543}
    token: ${DEMO_TOKEN:dev-token}
  - name: by-class
    class: dataknobs_plugin_demo.DemoDatabase
    label: class form
"""


@pytest.fixture
def demo_yaml(tmp_path: Path) -> Path:
    file = tmp_path / "config.yaml"
    file.write_text(DEMO_YAML, encoding="utf-8")
    return file


def test_plugin_backend_is_built_from_yaml_with_factory_database(demo_yaml: Path) -> None:
    config = Config(demo_yaml)
    db = config.get_instance("databases", "primary")
    assert type(db).__name__ == "DemoDatabase"
    assert (db.options.table, db.options.port, db.options.token) == ("people", 6543, "dev-token")
    with db:
        rid = db.create(Record({"name": "Ada", "age": 36}, id="ada"))
        assert db.read(rid) == Record({"name": "Ada", "age": 36}, id="ada")
    assert config.get_instance("databases", "primary") is db


def test_plugin_backend_is_built_from_yaml_by_class(demo_yaml: Path) -> None:
    db = Config(demo_yaml).get_instance("databases", "by-class")
    assert type(db).__name__ == "DemoDatabase"
    assert db.options.label == "class form"


def test_yaml_substitutions_and_overrides_reach_the_plugin(
    demo_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_PORT", "7000")
    monkeypatch.setenv("DEMO_TOKEN", "12345")  # a secret stays a string
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__TABLE", "staff")
    db = Config(demo_yaml).get_instance("databases", "primary")
    assert (db.options.table, db.options.port, db.options.token) == ("staff", 7000, "12345")


def test_misspelt_plugin_option_in_yaml_names_file_key_path_and_fix(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(
        "databases:\n  - name: primary\n    factory: database\n    backend: demo\n"
        "    tabel: people\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value) == (
        f"{file}: databases[primary]: unknown option 'tabel' for DemoDatabase; "
        "did you mean 'table'? Valid options: table, port, label, token"
    )
