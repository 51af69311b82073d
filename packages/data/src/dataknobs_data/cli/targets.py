"""Turning a command-line DB argument into a :class:`Database`.

A DB argument is one of:

- a URL: ``memory://``, ``sqlite:///app.db``, ``file:///data/people.parquet``,
  ``postgresql://user:pw@host/db``, ``s3://bucket/prefix``, ``elasticsearch+http://host:9200/index``;
- a configuration reference: ``config.yaml#databases.primary`` (section, a dot, item name);
- a plain path to a local file whose extension says what it is (``app.db``,
  ``people.jsonl``, ``people.parquet``, ``x.csv.gz``), as a shorthand.

Databases opened for reading must exist: a misspelt file is an error, never an
empty result (SQLite would otherwise create it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from dataknobs_common import is_secret_key, redact_text, redact_url
from dataknobs_config import Config
from dataknobs_data.engine.database import Database
from dataknobs_data.errors import ConfigurationError
from dataknobs_data.factory import database_factory
from dataknobs_data.urls import parse_database_url

__all__ = ["DatabaseRef", "open_database", "parse_ref", "secrets_of"]

_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
_FILE_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".parquet", ".pq")
_COMPRESSION_SUFFIXES = ("", ".gz", ".gzip", ".zst", ".zstd")
_HELP = (
    "give a URL (memory://, sqlite:///app.db, file:///data/people.jsonl, postgresql://...), "
    "a file path ending in .db, .jsonl, .parquet, ..., or config.yaml#section.name"
)


@dataclass(frozen=True)
class DatabaseRef:
    """A parsed DB argument.

    Attributes:
        text: The argument as given.
        url: The URL to open, for URL arguments.
        backend: The backend, for plain-path arguments.
        config_path: The configuration file, for ``file#section.name`` arguments.
        section: The configuration section.
        name: The item name within the section.
    """

    text: str
    url: str | None = None
    backend: str | None = None
    config_path: Path | None = None
    section: str | None = None
    name: str | None = None

    @property
    def display(self) -> str:
        """The argument with any password hidden, for messages and headings."""
        return redact_text(redact_url(self.text), secrets_of(self.text))


def parse_ref(text: str) -> DatabaseRef:
    """Classify a DB argument.

    Example:
        >>> parse_ref("conf.yaml#databases.primary").section
        'databases'
        >>> parse_ref("people.jsonl").backend
        'file'

    Raises:
        ConfigurationError: The argument is none of the accepted forms.
    """
    ref = text.strip()
    if not ref:
        raise ConfigurationError(f"no database given; {_HELP}")
    if "://" in ref:
        return DatabaseRef(ref, url=ref)
    if "#" in ref:
        path, _, fragment = ref.rpartition("#")
        section, dot, name = fragment.partition(".")
        if not path or not section or not dot or not name:
            raise ConfigurationError(
                f"cannot read the configuration reference {text!r}; "
                "write it as config.yaml#section.name, e.g. config.yaml#databases.primary"
            )
        return DatabaseRef(ref, config_path=Path(path), section=section, name=name)
    lowered = ref.lower()
    if lowered.endswith(_SQLITE_SUFFIXES):
        return DatabaseRef(ref, backend="sqlite")
    if any(lowered.endswith(s + c) for s in _FILE_SUFFIXES for c in _COMPRESSION_SUFFIXES):
        return DatabaseRef(ref, backend="file")
    if lowered.endswith((".yaml", ".yml")):
        raise ConfigurationError(
            f"{text!r} is a configuration file; name a database in it, "
            f"e.g. {text}#databases.primary"
        )
    raise ConfigurationError(f"cannot tell what kind of database {text!r} is; {_HELP}")


def secrets_of(text: str) -> list[str]:
    """Secrets a DB URL carries (its password, secret query options), to hide in messages.

    Example:
        >>> secrets_of("postgresql://ada:pw@db/app?sslmode=require&api_key=k1")
        ['pw', 'k1']
    """
    if "://" not in text:
        return []
    try:
        parts = urlsplit(text)
        found = [parts.password] if parts.password else []
    except ValueError:
        return []
    for pair in parts.query.split("&"):
        key, _, raw = pair.partition("=")
        if raw and is_secret_key(unquote_plus(key)):
            found.append(raw)
    forms = (form for secret in found for form in (secret, unquote_plus(secret)))
    return list(dict.fromkeys(forms))


def open_database(text: str, *, must_exist: bool = True) -> Database:
    """Build (not yet connect) the database a DB argument names.

    Args:
        text: The DB argument.
        must_exist: For databases that are local files, fail when the file
            is absent instead of creating an empty one.

    Raises:
        ConfigurationError: A malformed argument, unknown backend or missing file.
    """
    ref = parse_ref(text)
    if ref.url is not None:
        _, options = parse_database_url(ref.url)
        if must_exist:
            _check_exists(options, ref.display)
        db: Any = database_factory.from_url(ref.url)
    elif ref.backend is not None:
        if must_exist:
            _check_exists({"path": ref.text}, ref.display)
        db = database_factory.create(backend=ref.backend, path=ref.text)
    else:
        assert ref.config_path is not None and ref.section and ref.name
        if not ref.config_path.is_file():
            raise ConfigurationError(f"configuration file not found: {ref.config_path}")
        config = Config(ref.config_path)
        config.register_factory("database", database_factory)
        if must_exist:
            _check_exists(config.get(ref.section, ref.name), ref.display)
        db = config.get_instance(ref.section, ref.name)
    if not isinstance(db, Database):
        raise ConfigurationError(
            f"{ref.display} is a {type(db).__name__}, not a synchronous dataknobs Database"
        )
    return db


def _check_exists(options: Mapping[str, Any], display: str) -> None:
    path = options.get("path")
    if not isinstance(path, str | Path) or str(path) in ("", ":memory:") or "://" in str(path):
        return
    if not Path(path).exists():
        raise ConfigurationError(
            f"{display}: no such file {str(path)!r}; check the path "
            "(copy into it with `dataknobs copy SRC DST` to create it)"
        )
