"""docs/configuration-databases.md stays true: its option tables and its YAML examples."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from dataknobs_config import Config
from dataknobs_data import database_factory

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration-databases.md"
TEXT = DOC.read_text(encoding="utf-8")
BACKENDS = ["memory", "file", "sqlite", "postgres", "elasticsearch", "s3"]
EXAMPLE_ENV = {
    "DB_PASSWORD": "pw",
    "PG_PASSWORD": "pw",
    "REPLICA_DSN": "postgresql://app:pw@localhost:5432/app",
    "ES_PASSWORD": "pw",
    "S3_KEY": "key",
    "S3_SECRET": "secret",
}


def section(backend: str) -> str:
    match = re.search(rf"^### `{backend}`\n(.*?)(?=^##)", TEXT, flags=re.S | re.M)
    assert match, f"docs/configuration-databases.md has no section for {backend}"
    return match.group(1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_option_table_lists_exactly_the_backends_options(backend: str) -> None:
    documented = re.findall(r"^\| `(\w+)` \|", section(backend), flags=re.M)
    options_class = database_factory.backend_class(backend).options_class
    assert documented == [f.name for f in dataclasses.fields(options_class)]


def yaml_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", TEXT, flags=re.S)
    return [block for block in blocks if "databases:" in block]


@pytest.mark.parametrize("example", yaml_examples())
def test_yaml_example_builds(example: str, tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text(example, encoding="utf-8")
    config = Config(file, environ=EXAMPLE_ENV)
    for item in yaml.safe_load(example)["databases"]:
        db = config.get_instance("databases", item["name"])  # built, not connected
        assert db.options is not None
        assert "pw" not in repr(db).replace("'***'", "")
