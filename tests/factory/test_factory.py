"""DatabaseFactory: creation by name, aliases, registration, and what goes wrong loudly."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

import dataknobs_common
from dataknobs_data import (
    AsyncDatabase,
    BackendNotAvailableError,
    BackendSpec,
    ConfigurationError,
    Database,
    DatabaseFactory,
    Record,
    database_factory,
)
from dataknobs_data.backends.memory import AsyncMemoryDatabase, MemoryDatabase

BUILTINS = {"memory", "file", "sqlite", "postgres", "elasticsearch", "s3"}


@dataclass(frozen=True)
class ShelfOptions:
    table: str = "records"
    port: int = 5432
    password: str | None = None


class AsyncShelfDatabase(AsyncMemoryDatabase):
    options_class = ShelfOptions


class ShelfDatabase(MemoryDatabase):
    """A custom backend with options, registered by class."""

    options_class = ShelfOptions
    async_class = AsyncShelfDatabase


@pytest.fixture
def factory() -> DatabaseFactory:
    made = DatabaseFactory(plugins=False)
    made.register("shelf", ShelfDatabase, aliases=["bookcase"])
    return made


# -- create / create_async / from_backend -------------------------------------------------


def test_create_builds_the_named_backend_ready_for_use() -> None:
    db = database_factory.create(backend="memory")
    assert type(db) is MemoryDatabase
    with db:
        rid = db.create(Record({"name": "Ada"}))
        assert db.read(rid) == Record({"name": "Ada"}, id=rid)


def test_create_async_builds_the_async_face() -> None:
    db = database_factory.create_async(backend="memory")
    assert type(db) is AsyncMemoryDatabase

    async def use() -> int:
        async with db:
            await db.create(Record({"n": 1}))
            return await db.count()

    assert asyncio.run(use()) == 1


def test_database_from_backend_builds_the_sync_face() -> None:
    db = Database.from_backend("memory")
    assert type(db) is MemoryDatabase
    assert type(Database.from_backend("memory", {})) is MemoryDatabase


def test_async_database_from_backend_builds_the_async_face() -> None:
    db = AsyncDatabase.from_backend("memory", None)
    assert type(db) is AsyncMemoryDatabase


def test_from_backend_uses_the_global_factory_and_its_registrations() -> None:
    database_factory.register("shelf-test", ShelfDatabase)
    try:
        db = Database.from_backend("shelf-test", {"table": "people", "port": 6543})
        assert type(db) is ShelfDatabase
        assert db.options == ShelfOptions(table="people", port=6543)
        adb = AsyncDatabase.from_backend("shelf-test", {"table": "people"})
        assert type(adb) is AsyncShelfDatabase
    finally:
        database_factory.unregister("shelf-test")
    with pytest.raises(ConfigurationError, match="unknown backend 'shelf-test'"):
        Database.from_backend("shelf-test")


def test_create_passes_options_to_the_backend(factory: DatabaseFactory) -> None:
    db = factory.create(backend="shelf", table="people", port=6543)
    assert db.options == ShelfOptions(table="people", port=6543)


def test_from_url_builds_a_backend() -> None:
    assert type(database_factory.from_url("memory://")) is MemoryDatabase


# -- names: available, aliases ------------------------------------------------------------


def test_available_lists_every_builtin_whether_installed_or_not() -> None:
    assert set(database_factory.available()) >= BUILTINS
    assert database_factory.available() == sorted(database_factory.available())


def test_available_includes_registered_backends_but_not_aliases(
    factory: DatabaseFactory,
) -> None:
    assert "shelf" in factory.available()
    assert "bookcase" not in factory.available()
    assert "postgresql" not in factory.available()


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("postgresql", "postgres"),
        ("pg", "postgres"),
        ("es", "elasticsearch"),
        ("sqlite3", "sqlite"),
        ("Memory", "memory"),
        ("POSTGRESQL", "postgres"),
    ],
)
def test_aliases_and_capitalisation_select_the_canonical_backend(alias: str, name: str) -> None:
    assert database_factory.spec(alias).name == name


def test_alias_builds_the_same_class(factory: DatabaseFactory) -> None:
    assert type(factory.create(backend="bookcase")) is ShelfDatabase
    assert type(factory.create(backend="MEMORY")) is MemoryDatabase


# -- unknown backends: an error, never memory ---------------------------------------------


def test_unknown_backend_is_a_configuration_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        database_factory.create(backend="mongo")
    message = str(excinfo.value)
    assert message.startswith("unknown backend 'mongo'")
    assert "Known backends: elasticsearch, file, memory, postgres, s3, sqlite" in message
    assert "dataknobs_data.backends" in message  # how a third-party backend joins


def test_unknown_backend_is_also_the_common_configuration_error() -> None:
    with pytest.raises(dataknobs_common.ConfigurationError):
        Database.from_backend("mongo")


def test_unknown_backend_suggests_the_closest_name() -> None:
    with pytest.raises(ConfigurationError, match="did you mean 'postgres'\\?"):
        database_factory.create(backend="postgress")
    with pytest.raises(ConfigurationError, match="did you mean 'sqlite'\\?"):
        database_factory.create(backend="sqlit")


def test_unknown_backend_async_is_the_same_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown backend 'nosuch'"):
        AsyncDatabase.from_backend("nosuch")


@pytest.mark.parametrize("backend", [None, ""])
def test_missing_backend_name_is_an_error_not_memory(backend: str | None) -> None:
    with pytest.raises(ConfigurationError, match="no backend given; name one with backend="):
        database_factory.create(backend=backend)


def test_backend_name_must_be_a_string() -> None:
    with pytest.raises(ConfigurationError, match="must be given by name"):
        database_factory.create(backend=42)  # type: ignore[arg-type]


# -- options are validated by the backend's options dataclass ----------------------------


def test_misspelt_option_names_the_key_and_suggests_the_closest(
    factory: DatabaseFactory,
) -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        factory.create(backend="shelf", tabel="people")
    assert str(excinfo.value) == (
        "unknown option 'tabel' for ShelfDatabase; did you mean 'table'? "
        "Valid options: table, port, password"
    )


def test_misspelt_option_of_the_async_face_is_the_same_error(factory: DatabaseFactory) -> None:
    with pytest.raises(ConfigurationError, match=r"unknown option 'prot' .*did you mean 'port'"):
        factory.create_async(backend="shelf", prot=1)


def test_option_of_the_wrong_type_says_what_was_expected(factory: DatabaseFactory) -> None:
    with pytest.raises(ConfigurationError, match="expected int, got str 'five'"):
        factory.create(backend="shelf", port="five")


def test_option_errors_never_show_a_password(factory: DatabaseFactory) -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        factory.create(backend="shelf", password=12345678, tabel="x")
    assert "12345678" not in str(excinfo.value)
    assert "value hidden" in str(excinfo.value)
    db = factory.create(backend="shelf", password="hunter2")
    assert "hunter2" not in repr(db)


def test_option_for_a_backend_without_options_says_it_takes_none() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        database_factory.create(backend="memory", path="x.db")
    assert str(excinfo.value) == (
        "unknown option 'path' for MemoryDatabase. Valid options: none (it takes no options)"
    )


# -- backends whose dependencies are missing ----------------------------------------------

NEEDY_MODULE = """
    import dataknobs_no_such_dependency_xyz
    from dataknobs_data.backends.memory import MemoryDatabase

    class NeedyDatabase(MemoryDatabase):
        pass
"""


def test_missing_dependency_is_backend_not_available_with_the_extra_to_install(
    factory: DatabaseFactory, make_module
) -> None:
    make_module("dk_needy_backend", NEEDY_MODULE)
    factory.register("needy", "dk_needy_backend:NeedyDatabase", extra="postgres")
    with pytest.raises(BackendNotAvailableError) as excinfo:
        factory.create(backend="needy")
    assert str(excinfo.value) == (
        "backend 'needy' needs the package 'dataknobs_no_such_dependency_xyz', which is not "
        "installed; install it with: pip install 'dataknobs-data[postgres]'"
    )
    assert isinstance(excinfo.value, ConfigurationError)


def test_missing_dependency_hint_uses_a_plugins_requirement(
    factory: DatabaseFactory, make_module
) -> None:
    make_module("dk_needy_backend", NEEDY_MODULE)
    factory.register("needy", "dk_needy_backend.NeedyDatabase", install="dk-needy[fast]")
    with pytest.raises(BackendNotAvailableError, match=r"pip install 'dk-needy\[fast\]'"):
        factory.create_async(backend="needy")


def test_missing_dependency_without_extra_names_the_module_to_install(
    factory: DatabaseFactory, make_module
) -> None:
    make_module("dk_needy_backend", NEEDY_MODULE)
    factory.register("needy", "dk_needy_backend:NeedyDatabase")
    with pytest.raises(BackendNotAvailableError, match="pip install dataknobs_no_such_dep"):
        factory.create(backend="needy")


def test_dependency_of_the_wrong_version_is_backend_not_available(
    factory: DatabaseFactory, make_module
) -> None:
    make_module("dk_old_dependency", "VERSION = 1\n")
    make_module("dk_versioned_backend", "from dk_old_dependency import NEW_API\n")
    factory.register("versioned", "dk_versioned_backend:X", extra="s3")
    with pytest.raises(BackendNotAvailableError) as excinfo:
        factory.create(backend="versioned")
    assert "cannot import name 'NEW_API'" in str(excinfo.value)
    assert "pip install 'dataknobs-data[s3]'" in str(excinfo.value)


def test_registration_pointing_at_a_missing_module_is_a_configuration_error(
    factory: DatabaseFactory,
) -> None:
    factory.register("ghost", "dk_no_such_module_at_all:GhostDatabase")
    with pytest.raises(ConfigurationError) as excinfo:
        factory.create(backend="ghost")
    assert not isinstance(excinfo.value, BackendNotAvailableError)
    assert str(excinfo.value) == (
        "backend 'ghost' (registered) is registered at 'dk_no_such_module_at_all:GhostDatabase', "
        "but the module 'dk_no_such_module_at_all' does not exist; check the path, or "
        "reinstall the package that provides it"
    )


def test_registration_pointing_at_a_missing_class_names_it(
    factory: DatabaseFactory, make_module
) -> None:
    make_module("dk_empty_backend", "X = 1\n")
    factory.register("empty", "dk_empty_backend:EmptyDatabase")
    with pytest.raises(ConfigurationError, match="has no attribute 'EmptyDatabase'"):
        factory.create(backend="empty")


def test_registration_of_something_that_is_not_a_database_is_an_error(
    factory: DatabaseFactory, make_module
) -> None:
    make_module("dk_not_a_backend", "class Thing:\n    pass\n")
    factory.register("thing", "dk_not_a_backend:Thing")
    with pytest.raises(ConfigurationError, match="which is not a Database subclass"):
        factory.create(backend="thing")
    factory.register("swapped", MemoryDatabase, "dk_not_a_backend:Thing")
    with pytest.raises(ConfigurationError, match="which is not a AsyncDatabase subclass"):
        factory.create_async(backend="swapped")


# -- register -----------------------------------------------------------------------------


def test_register_a_custom_class_defined_anywhere(factory: DatabaseFactory) -> None:
    class LocalDatabase(MemoryDatabase):
        pass

    factory.register("local", LocalDatabase, AsyncMemoryDatabase)
    assert type(factory.create(backend="local")) is LocalDatabase
    assert type(factory.create_async(backend="local")) is AsyncMemoryDatabase


def test_register_by_path_imports_lazily(factory: DatabaseFactory, make_module) -> None:
    factory.register("later", "dk_later_backend:LaterDatabase")  # the module does not exist yet
    make_module(
        "dk_later_backend",
        "from dataknobs_data.backends.memory import MemoryDatabase\n"
        "class LaterDatabase(MemoryDatabase):\n    pass\n",
    )
    assert type(factory.create(backend="later")).__name__ == "LaterDatabase"


def test_register_replaces_a_backend_and_its_aliases(factory: DatabaseFactory) -> None:
    factory.register("memory", ShelfDatabase)
    assert type(factory.create(backend="memory")) is ShelfDatabase
    factory.register("shelf", MemoryDatabase)
    with pytest.raises(ConfigurationError, match="unknown backend 'bookcase'"):
        factory.create(backend="bookcase")
    assert type(database_factory.create(backend="memory")) is MemoryDatabase  # untouched


def test_unregister_forgets_a_backend(factory: DatabaseFactory) -> None:
    factory.unregister("bookcase")  # by alias
    assert "shelf" not in factory.available()
    with pytest.raises(ConfigurationError, match="no backend has that name"):
        factory.unregister("shelf")


def test_register_rejects_an_empty_name(factory: DatabaseFactory) -> None:
    with pytest.raises(ConfigurationError, match="non-empty string"):
        factory.register(" ", MemoryDatabase)


def test_async_face_comes_from_async_class_when_no_path_is_registered(
    factory: DatabaseFactory,
) -> None:
    assert factory.backend_class("shelf", asynchronous=True) is AsyncShelfDatabase


def test_backend_without_an_async_face_says_so(factory: DatabaseFactory) -> None:
    class SyncOnlyDatabase(MemoryDatabase):
        pass

    factory.register("synconly", SyncOnlyDatabase)
    assert type(factory.create(backend="synconly")) is SyncOnlyDatabase
    with pytest.raises(ConfigurationError, match="'synconly' has no asynchronous face"):
        factory.create_async(backend="synconly")


def test_a_factory_without_builtins_knows_only_what_is_registered() -> None:
    bare = DatabaseFactory(builtins=False, plugins=False)
    assert bare.available() == []
    with pytest.raises(ConfigurationError, match="unknown backend 'memory'"):
        bare.create(backend="memory")


def test_backend_spec_install_hints() -> None:
    assert BackendSpec("x", "m:C", extra="file").install_hint("pyarrow") == (
        "pip install 'dataknobs-data[file]'"
    )
    assert BackendSpec("x", "m:C", install="x-db>=2").install_hint(None) == "pip install 'x-db>=2'"
    assert BackendSpec("x", "m:C").install_hint("yaml.loader") == "pip install yaml"
