"""DatabaseFactory: a lazy registry of backends by name, plus entry-point plugins.

Backends are named by a dotted class path and imported only when used, so a
missing optional dependency costs nothing until that backend is asked for,
and then fails with the ``pip install`` line that fixes it. Third-party
backends join through the entry-point group ``dataknobs_data.backends``: the
entry point's name is the backend name and its object is a
:class:`BackendSpec` or a :class:`Database` subclass (whose ``async_class``
attribute, if any, names the async face).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.database import Database
from dataknobs_data.errors import BackendNotAvailableError, ConfigurationError

__all__ = ["ENTRY_POINT_GROUP", "BackendSpec", "DatabaseFactory", "database_factory"]

ENTRY_POINT_GROUP = "dataknobs_data.backends"


@dataclass(frozen=True)
class BackendSpec:
    """Where a backend's classes live and how to install what it needs.

    Attributes:
        name: The backend's factory name (``"postgres"``).
        sync_path: ``"module:Class"`` or ``"module.Class"`` of the Database subclass.
        async_path: The same for the AsyncDatabase subclass, if there is one.
        extra: The ``dataknobs-data`` extra that installs its dependencies.
    """

    name: str
    sync_path: str
    async_path: str | None = None
    extra: str | None = None


_BUILTIN = [
    BackendSpec(
        "memory",
        "dataknobs_data.backends.memory:MemoryDatabase",
        "dataknobs_data.backends.memory:AsyncMemoryDatabase",
    ),
    BackendSpec(
        "file",
        "dataknobs_data.backends.file:FileDatabase",
        "dataknobs_data.backends.file:AsyncFileDatabase",
        "file",
    ),
    BackendSpec(
        "sqlite",
        "dataknobs_data.backends.sqlite:SQLiteDatabase",
        "dataknobs_data.backends.sqlite:AsyncSQLiteDatabase",
    ),
    BackendSpec(
        "postgres",
        "dataknobs_data.backends.postgres:PostgresDatabase",
        "dataknobs_data.backends.postgres:AsyncPostgresDatabase",
        "postgres",
    ),
    BackendSpec(
        "elasticsearch",
        "dataknobs_data.backends.elasticsearch:ElasticsearchDatabase",
        "dataknobs_data.backends.elasticsearch:AsyncElasticsearchDatabase",
        "elasticsearch",
    ),
    BackendSpec(
        "s3",
        "dataknobs_data.backends.s3:S3Database",
        "dataknobs_data.backends.s3:AsyncS3Database",
        "s3",
    ),
]

_ALIASES = {"postgresql": "postgres", "es": "elasticsearch", "sqlite3": "sqlite"}


def _import(path: str, spec: BackendSpec) -> Any:
    module_name, _, attr = path.partition(":") if ":" in path else path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module_name or module_name.startswith(exc.name + ".")):
            raise ConfigurationError(
                f"backend {spec.name!r} is registered at {path!r} but that module does not exist"
            ) from None
        hint = (
            f"pip install 'dataknobs-data[{spec.extra}]'"
            if spec.extra
            else f"pip install {exc.name}"
        )
        raise BackendNotAvailableError(
            f"backend {spec.name!r} needs the package {exc.name!r}, which is not installed; "
            f"install it with: {hint}"
        ) from None
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ConfigurationError(
            f"backend {spec.name!r}: {module_name} has no attribute {attr!r}"
        ) from None


class DatabaseFactory:
    """Builds databases by backend name.

    Example:
        >>> db = database_factory.create(backend="memory")
        >>> type(db).__name__
        'MemoryDatabase'
        >>> "sqlite" in database_factory.available()
        True
    """

    def __init__(self) -> None:
        self._specs: dict[str, BackendSpec] = {spec.name: spec for spec in _BUILTIN}
        self._plugins_loaded = False

    # -- registry ------------------------------------------------------------
    def register(
        self,
        name: str,
        sync_path: str | type[Database],
        async_path: str | type[AsyncDatabase] | None = None,
        extra: str | None = None,
    ) -> None:
        """Register (or replace) a backend by name, with class paths or classes."""
        self._specs[name] = BackendSpec(
            name, _as_path(sync_path), None if async_path is None else _as_path(async_path), extra
        )

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in self._specs:
                continue
            self._specs[ep.name] = BackendSpec(ep.name, ep.value, None, None)

    def available(self) -> list[str]:
        """Names of every known backend (built-in and plugins), installed or not."""
        self._load_plugins()
        return sorted(self._specs)

    def spec(self, name: str) -> BackendSpec:
        """The registration of backend ``name``."""
        self._load_plugins()
        key = _ALIASES.get(name, name) if isinstance(name, str) else name
        try:
            return self._specs[key]
        except KeyError:
            raise ConfigurationError(
                f"unknown backend {name!r}; known backends: {', '.join(self.available())}"
            ) from None

    def backend_class(self, name: str, *, asynchronous: bool = False) -> type[Any]:
        """Import and return the Database (or AsyncDatabase) class of backend ``name``."""
        spec = self.spec(name)
        loaded = _import(spec.sync_path, spec)
        if isinstance(loaded, BackendSpec):
            spec = loaded
            loaded = _import(spec.sync_path, spec)
        if not asynchronous:
            return _checked(loaded, Database, spec)
        if spec.async_path is not None:
            return _checked(_import(spec.async_path, spec), AsyncDatabase, spec)
        async_class = getattr(loaded, "async_class", None)
        if async_class is None:
            raise ConfigurationError(f"backend {spec.name!r} has no asynchronous face")
        return _checked(async_class, AsyncDatabase, spec)

    # -- construction ----------------------------------------------------------
    def create(self, backend: str | None = None, **options: Any) -> Any:
        """Build the synchronous database of ``backend`` with ``options``.

        Raises:
            ConfigurationError: No backend given, an unknown backend, or bad options.
            BackendNotAvailableError: The backend's dependencies are not installed.
        """
        return self._build(backend, options, asynchronous=False)

    def create_async(self, backend: str | None = None, **options: Any) -> Any:
        """Build the asynchronous database of ``backend`` with ``options``."""
        return self._build(backend, options, asynchronous=True)

    def _build(self, backend: str | None, options: Mapping[str, Any], asynchronous: bool) -> Any:
        if not backend:
            raise ConfigurationError(
                "no backend given; pass backend=<name>, one of: " + ", ".join(self.available())
            )
        cls = self.backend_class(backend, asynchronous=asynchronous)
        return cls.from_config(dict(options))

    def from_url(self, url: str, *, asynchronous: bool = False, **options: Any) -> Any:
        """Build a database from a URL such as ``sqlite:///app.db`` or ``memory://``."""
        from dataknobs_data.urls import parse_database_url

        backend, parsed = parse_database_url(url)
        parsed.update(options)
        return self._build(backend, parsed, asynchronous)


def _as_path(target: str | type[Any]) -> str:
    if isinstance(target, str):
        return target
    return f"{target.__module__}:{target.__qualname__}"


def _checked(cls: Any, base: type[Any], spec: BackendSpec) -> type[Any]:
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ConfigurationError(
            f"backend {spec.name!r} resolves to {cls!r}, which is not a {base.__name__} subclass"
        )
    return cls


database_factory = DatabaseFactory()
"""The process-wide factory; ``Config`` registers it as the ``database`` factory."""
