"""Loading configuration sources (YAML/JSON files and dicts) into one shape.

A source is a mapping of section name to named items. A section is written
either as a list of items, each with a ``name`` key, or as a mapping of name to
item; both load to an ordered ``{name: item}`` mapping so that later stages
never care which form was used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from dataknobs_common import ConfigurationError
from dataknobs_config._location import item_path, join_key, prefix

__all__ = ["ConfigSource", "Source", "load_sources"]

ConfigSource: TypeAlias = str | os.PathLike[str] | Mapping[str, Any]
"""One configuration source: a YAML/JSON file path or a mapping."""

Items: TypeAlias = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Source:
    """One loaded source.

    Attributes:
        name: The file as the user gave it, or None for a dict source.
        base_dir: The folder relative paths resolve against (None: left as written).
        sections: Section name -> item name -> item mapping (``name`` key included).

    """

    name: str | None
    base_dir: Path | None
    sections: dict[str, Items]


def load_sources(sources: Sequence[Any]) -> list[Source]:
    """Load each source, flattening lists, in order (later ones override earlier ones)."""
    loaded: list[Source] = []
    for source in sources:
        if isinstance(source, list | tuple):
            loaded.extend(load_sources(source))
        elif isinstance(source, str | os.PathLike):
            loaded.append(_load_file(Path(source), os.fspath(source)))
        elif isinstance(source, Mapping):
            loaded.append(Source(None, None, _normalise(source, None)))
        else:
            raise ConfigurationError(
                f"unsupported configuration source of type {type(source).__name__}; "
                "give a YAML/JSON file path, a dict, or a list of them"
            )
    return loaded


def _load_file(path: Path, name: str) -> Source:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"{name}: configuration file not found (looked in {path.resolve().parent})"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"{name}: cannot read configuration file: {exc}") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text) if text.strip() else {}
        else:
            data = yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"{name}: not valid YAML/JSON: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigurationError(
            f"{name}: the top level must be a mapping of section name to items, "
            f"not {type(data).__name__}"
        )
    return Source(name, path.resolve().parent, _normalise(data, name))


def _normalise(data: Mapping[Any, Any], source: str | None) -> dict[str, Items]:
    sections: dict[str, Items] = {}
    for section, body in data.items():
        if not isinstance(section, str):
            raise ConfigurationError(
                f"{prefix(source, None)}section names must be strings, got {section!r}"
            )
        sections[section] = _normalise_section(section, body, source)
    return sections


def _normalise_section(section: str, body: Any, source: str | None) -> Items:
    items: Items = {}
    if body is None:
        return items
    if isinstance(body, Mapping):
        for key, item in body.items():
            where = item_path(section, str(key))
            item = {} if item is None else item
            _check_item(item, source, where)
            if "name" in item and item["name"] != key:
                raise ConfigurationError(
                    f"{prefix(source, where)}the item is listed under {key!r} but its name "
                    f"is {item['name']!r}; drop the 'name' key or make them agree"
                )
            items[str(key)] = {"name": str(key), **item}
        return items
    if not isinstance(body, list):
        raise ConfigurationError(
            f"{prefix(source, section)}a section must be a list of named items or a "
            f"mapping of name to item, not {type(body).__name__}"
        )
    for index, item in enumerate(body):
        where = join_key(section, index)
        _check_item(item, source, where)
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise ConfigurationError(
                f"{prefix(source, where)}every item needs a 'name' (a non-empty string)"
            )
        if name in items:
            raise ConfigurationError(
                f"{prefix(source, item_path(section, name))}the name {name!r} is used twice "
                f"in section {section!r}; names must be unique within a section"
            )
        items[name] = dict(item)
    return items


def _check_item(item: Any, source: str | None, where: str) -> None:
    if not isinstance(item, Mapping):
        raise ConfigurationError(
            f"{prefix(source, where)}an item must be a mapping of options, "
            f"not {type(item).__name__}"
        )
