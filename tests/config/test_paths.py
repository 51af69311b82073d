from pathlib import Path

import pytest

from dataknobs_config import Config


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir()
    return folder


def load(folder: Path, body: str, **kwargs: object) -> dict[str, object]:
    file = folder / "config.yaml"
    file.write_text("stores:\n  - name: a\n" + body)
    return Config(file, **kwargs).get("stores", "a")  # type: ignore[arg-type]


def test_relative_path_resolves_against_the_file_folder(config_dir: Path) -> None:
    assert load(config_dir, "    path: ./data/a.db\n")["path"] == str(config_dir / "data/a.db")


def test_keys_ending_in_path_or_dir_are_paths(config_dir: Path) -> None:
    item = load(config_dir, "    cache_dir: cache\n    schema_path: ../s.json\n")
    assert item["cache_dir"] == str(config_dir / "cache")
    assert item["schema_path"] == str(config_dir.parent / "s.json")


def test_nested_path_keys_are_resolved(config_dir: Path) -> None:
    item = load(config_dir, "    tls:\n      ca_file: ca.pem\n")
    assert item["tls"] == {"ca_file": str(config_dir / "ca.pem")}


def test_extra_path_keys_are_resolved(config_dir: Path) -> None:
    item = load(config_dir, "    schema: s.json\n", path_keys=["schema"])
    assert item["schema"] == str(config_dir / "s.json")


def test_other_keys_are_not_paths(config_dir: Path) -> None:
    assert load(config_dir, "    table: events\n")["table"] == "events"


@pytest.mark.parametrize("value", ["/abs/a.db", ":memory:", "s3://bucket/key", "~/a.db"])
def test_absolute_special_and_url_values_are_left_alone(config_dir: Path, value: str) -> None:
    assert load(config_dir, f"    path: '{value}'\n")["path"] == value


def test_substituted_relative_path_resolves_against_the_file_folder(config_dir: Path) -> None:
    item = load(config_dir, "    path: ${DK_UNSET_DIR:data}/a.db\n")
    assert item["path"] == str(config_dir / "data/a.db")


def test_each_file_resolves_against_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one/c.yaml").write_text("s:\n  - name: a\n    path: x\n    dir: d\n")
    (tmp_path / "two/c.yaml").write_text("s:\n  - name: a\n    path: y\n")
    item = Config(tmp_path / "one/c.yaml", tmp_path / "two/c.yaml").get("s", "a")
    assert item["path"] == str(tmp_path / "two/y")
    assert item["dir"] == str(tmp_path / "one/d")


def test_dict_source_paths_are_left_as_written() -> None:
    assert Config({"s": [{"name": "a", "path": "rel/a.db"}]}).get("s", "a")["path"] == "rel/a.db"
