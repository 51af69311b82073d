"""Every backend built from a YAML file, end to end: written, closed, read back.

The server backends use the real servers of tests/services (skipped when none can be
provisioned, failed under DATAKNOBS_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataknobs_config import Config, ConfigurationError  # the base of every config error
from dataknobs_data import BackendNotAvailableError, Query, Record, database_factory

PEOPLE = [Record({"name": "Ada", "age": 36}, id="ada"), Record({"name": "Bo", "age": 25}, id="bo")]


def write_config(folder: Path, text: str) -> Path:
    file = folder / "config.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def write_then_read_back(config: Config, name: str = "primary") -> Any:
    """Write through the shared instance, close it, read through a fresh one."""
    db = config.get_instance("databases", name)
    assert config.get_instance("databases", name) is db
    with db:
        db.clear()
        assert db.create_batch([r.copy() for r in PEOPLE]) == ["ada", "bo"]
    fresh = config.get_instance("databases", name, fresh=True)
    assert fresh is not db
    with fresh:
        assert fresh.read("ada") == PEOPLE[0]
        assert [r.id for r in fresh.search(Query().filter("age", ">", 30))] == ["ada"]
        assert fresh.count() == 2
        fresh.clear()
    return db


# -- memory -------------------------------------------------------------------------------

MEMORY_YAML = """\
databases:
  - name: primary
    factory: database
    backend: ${DB_BACKEND:memory}
  - name: by-class
    class: dataknobs_data.backends.memory.MemoryDatabase
  - name: by-class-colon
    class: dataknobs_data.backends.memory:MemoryDatabase
  - name: by-factory-path
    factory: dataknobs_data.database_factory
    backend: memory
  - name: async
    factory: dataknobs_data.database_factory.create_async
    backend: memory
"""


@pytest.mark.parametrize("name", ["primary", "by-class", "by-class-colon", "by-factory-path"])
def test_memory_from_yaml(tmp_path: Path, name: str) -> None:
    db = Config(write_config(tmp_path, MEMORY_YAML)).get_instance("databases", name)
    assert type(db).__name__ == "MemoryDatabase"
    with db:
        db.create_batch([r.copy() for r in PEOPLE])
        assert db.read("bo") == PEOPLE[1]


def test_memory_async_face_from_yaml(tmp_path: Path) -> None:
    db = Config(write_config(tmp_path, MEMORY_YAML)).get_instance("databases", "async")
    assert type(db).__name__ == "AsyncMemoryDatabase"

    async def use() -> Record | None:
        async with db:
            await db.create(PEOPLE[0].copy())
            return await db.read("ada")

    assert asyncio.run(use()) == PEOPLE[0]


def test_api_md_explicit_registration_still_works(tmp_path: Path) -> None:
    config = Config(write_config(tmp_path, MEMORY_YAML))
    config.register_factory("database", database_factory)
    assert type(config.get_instance("databases", "primary")).__name__ == "MemoryDatabase"


def test_backend_chosen_by_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_BACKEND", "memroy")
    with pytest.raises(ConfigurationError) as excinfo:
        Config(write_config(tmp_path, MEMORY_YAML)).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(
        f"{tmp_path / 'config.yaml'}: databases[primary]: unknown backend 'memroy'; "
        "did you mean 'memory'? Known backends: "
    )


def test_unknown_backend_in_yaml_is_an_error_never_memory(tmp_path: Path) -> None:
    file = write_config(
        tmp_path, "databases:\n  - name: primary\n    factory: database\n    backend: postgress\n"
    )
    with pytest.raises(ConfigurationError, match="did you mean 'postgres'"):
        Config(file).get_instance("databases", "primary")


def test_missing_backend_key_in_yaml_says_to_add_it(tmp_path: Path) -> None:
    file = write_config(tmp_path, "databases:\n  - name: primary\n    factory: database\n")
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(
        f"{file}: databases[primary]: no backend given; name one with backend=<name> "
        "(in a config file: 'backend: <name>')"
    )


def test_unset_variable_names_the_key_path(tmp_path: Path) -> None:
    file = write_config(
        tmp_path, "databases:\n  - name: primary\n    factory: database\n    backend: ${DK_B}\n"
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(f"{file}: databases[primary].backend: ")
    assert "DK_B" in str(excinfo.value)


def test_option_a_backend_does_not_take_is_named_with_the_file(tmp_path: Path) -> None:
    file = write_config(
        tmp_path,
        "databases:\n  - name: primary\n    factory: database\n    backend: memory\n"
        "    path: ./x.db\n",
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value) == (
        f"{file}: databases[primary]: unknown option 'path' for MemoryDatabase. "
        "Valid options: none (it takes no options)"
    )


def test_missing_optional_dependency_in_yaml_keeps_the_install_hint(
    tmp_path: Path, make_module: Callable[[str, str], None]
) -> None:
    make_module("dk_yaml_needy", "import dataknobs_no_such_dependency_xyz\n")
    database_factory.register("yaml-needy", "dk_yaml_needy:X", extra="postgres")
    try:
        file = write_config(
            tmp_path,
            "databases:\n  - name: primary\n    factory: database\n    backend: yaml-needy\n",
        )
        with pytest.raises(BackendNotAvailableError) as excinfo:
            Config(file).get_instance("databases", "primary")
    finally:
        database_factory.unregister("yaml-needy")
    assert str(excinfo.value) == (
        f"{file}: databases[primary]: backend 'yaml-needy' needs the package "
        "'dataknobs_no_such_dependency_xyz', which is not installed; install it with: "
        "pip install 'dataknobs-data[postgres]'"
    )


# -- sqlite -------------------------------------------------------------------------------

SQLITE_YAML = """\
databases:
  - name: primary
    factory: database
    backend: sqlite
    path: ./data/app.db            # relative to this file's folder
    table: ${TABLE:people}
  - name: by-class
    class: dataknobs_data.backends.sqlite.SQLiteDatabase
    path: ":memory:"
"""


def test_sqlite_from_yaml_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path.parent)  # relative paths must not follow the working directory
    (tmp_path / "data").mkdir()
    db = write_then_read_back(Config(write_config(tmp_path, SQLITE_YAML)))
    assert type(db).__name__ == "SQLiteDatabase"
    assert Path(db.options.path) == tmp_path / "data" / "app.db"
    assert db.options.table == "people"


def test_sqlite_table_overridden_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("DATAKNOBS_DATABASES__PRIMARY__TABLE", "staff")
    config = Config(write_config(tmp_path, SQLITE_YAML))
    db = config.get_instance("databases", "primary")
    assert db.options.table == "staff"
    with db:
        db.create(PEOPLE[0].copy())
    with sqlite3.connect(tmp_path / "data" / "app.db") as raw:
        tables = {row[0] for row in raw.execute("select name from sqlite_master")}
    assert "staff" in tables
    assert "people" not in tables


def test_sqlite_by_class_in_memory_from_yaml(tmp_path: Path) -> None:
    db = Config(write_config(tmp_path, SQLITE_YAML)).get_instance("databases", "by-class")
    with db:
        db.create(PEOPLE[1].copy())
        assert db.read("bo") == PEOPLE[1]


def test_sqlite_misspelt_option_in_yaml_names_file_key_and_suggestion(tmp_path: Path) -> None:
    file = write_config(
        tmp_path,
        "databases:\n  - name: primary\n    factory: database\n    backend: sqlite\n"
        "    path: app.db\n    tabel: people\n",
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(
        f"{file}: databases[primary]: unknown option 'tabel' for SQLiteDatabase; "
        "did you mean 'table'? Valid options: path, table"
    )


# -- file ---------------------------------------------------------------------------------

FILE_YAML = """\
databases:
  - name: primary
    factory: database
    backend: file
    path: ./data/people.jsonl.gz   # jsonl, gzip: both from the extension
  - name: archive
    class: dataknobs_data.backends.file.FileDatabase
    path: ./archive.parquet
  - name: csv
    factory: database
    backend: file
    path: ./people.txt
    format: csv
    compression: zstd
"""


@pytest.mark.parametrize(
    ("name", "relative"),
    [("primary", "data/people.jsonl.gz"), ("archive", "archive.parquet"), ("csv", "people.txt")],
)
def test_file_from_yaml_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, relative: str
) -> None:
    monkeypatch.chdir(tmp_path.parent)
    config = Config(write_config(tmp_path, FILE_YAML))
    db = write_then_read_back(config, name)
    assert type(db).__name__ == "FileDatabase"
    assert Path(db.options.path) == tmp_path / relative
    assert (tmp_path / relative).exists()


def test_file_misspelt_option_in_yaml_names_file_key_and_suggestion(tmp_path: Path) -> None:
    file = write_config(
        tmp_path,
        "databases:\n  - name: primary\n    factory: database\n    backend: file\n"
        "    path: people.jsonl\n    compresion: gzip\n",
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(
        f"{file}: databases[primary]: unknown option 'compresion' for FileDatabase; "
        "did you mean 'compression'? Valid options: path, format, compression"
    )


def test_file_bad_format_in_yaml_lists_the_choices(tmp_path: Path) -> None:
    file = write_config(
        tmp_path,
        "databases:\n  - name: primary\n    factory: database\n    backend: file\n"
        "    path: people.x\n    format: jsonn\n",
    )
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("databases", "primary")
    assert str(excinfo.value).startswith(f"{file}: databases[primary].format: ")
    assert "jsonl" in str(excinfo.value)


# -- server backends (real servers from tests/services) -----------------------------------

POSTGRES_YAML = """\
databases:
  - name: primary
    factory: database
    backend: ${DB_BACKEND:postgresql}
    host: ${PG_HOST:localhost}
    port: ${PG_PORT:5432}          # typed: the int
    database: ${PG_DATABASE}
    user: ${PG_USER}
    password: ${PG_PASSWORD}
    table: ${PG_TABLE:records}
"""


@pytest.mark.services
def test_postgres_from_yaml_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_info: Any
) -> None:
    for key, value in postgres_info.options().items():
        monkeypatch.setenv(f"PG_{key.upper()}", str(value))
    monkeypatch.setenv("PG_TABLE", f"yaml_{uuid.uuid4().hex[:8]}")
    db = write_then_read_back(Config(write_config(tmp_path, POSTGRES_YAML)))
    assert type(db).__name__ == "PostgresDatabase"
    assert db.options.port == postgres_info.port
    assert postgres_info.password not in repr(db)


ELASTICSEARCH_YAML = """\
databases:
  - name: primary
    factory: database
    backend: es
    hosts: ["${ES_URL:http://localhost:9200}"]
    index: ${ES_INDEX:records}
"""


@pytest.mark.services
def test_elasticsearch_from_yaml_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elasticsearch_url: str
) -> None:
    monkeypatch.setenv("ES_URL", elasticsearch_url)
    monkeypatch.setenv("ES_INDEX", f"yaml-{uuid.uuid4().hex[:8]}")
    db = write_then_read_back(Config(write_config(tmp_path, ELASTICSEARCH_YAML)))
    assert type(db).__name__ == "ElasticsearchDatabase"


S3_YAML = """\
databases:
  - name: primary
    factory: database
    backend: s3
    bucket: ${S3_BUCKET}
    prefix: people/
    endpoint_url: ${S3_ENDPOINT}
    region: ${S3_REGION:us-east-1}
    aws_access_key_id: ${S3_KEY}
    aws_secret_access_key: ${S3_SECRET}
    create_bucket: ${S3_CREATE:true}   # typed: the bool
"""


@pytest.mark.services
def test_s3_from_yaml_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_server: Any
) -> None:
    monkeypatch.setenv("S3_BUCKET", f"yaml-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("S3_ENDPOINT", s3_server.endpoint_url)
    monkeypatch.setenv("S3_REGION", s3_server.region)
    monkeypatch.setenv("S3_KEY", s3_server.access_key)
    monkeypatch.setenv("S3_SECRET", s3_server.secret_key)
    db = write_then_read_back(Config(write_config(tmp_path, S3_YAML)))
    assert type(db).__name__ == "S3Database"
    assert db.options.create_bucket is True
    assert s3_server.secret_key not in repr(db)
