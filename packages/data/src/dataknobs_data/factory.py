"""DatabaseFactory: a lazy registry of backends by name, plus entry-point plugins.

Backends are named by a dotted class path and imported only when used, so a
missing optional dependency costs nothing until that backend is asked for,
and then fails with the ``pip install`` line that fixes it. Third-party
backends join through the entry-point group ``dataknobs_data.backends``: the
entry point's name is the backend name and its object is a
:class:`BackendSpec` or a :class:`Database` subclass (whose ``async_class``
attribute, if any, names the async face). Built-in names cannot be taken over
by a plugin; :meth:`DatabaseFactory.register` can replace anything.
"""

from __future__ import annotations

import difflib
import importlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib.metadata import EntryPoint, entry_points
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
        async_path: The same for the AsyncDatabase subclass; when None, the sync
            class's ``async_class`` attribute names it.
        extra: The ``dataknobs-data`` extra that installs its dependencies.
        install: For third-party backends, the pip requirement that installs its
            dependencies (``"dataknobs-mongo[fast]"``); takes precedence over ``extra``.
        aliases: Other names that select this backend (``"postgresql"``).

    Example:
        >>> spec = BackendSpec("postgres", "pkg.pg:PgDatabase", extra="postgres")
        >>> spec.install_hint("psycopg")
        "pip install 'dataknobs-data[postgres]'"
    """

    name: str
    sync_path: str
    async_path: str | None = None
    extra: str | None = None
    install: str | None = None
    aliases: tuple[str, ...] = ()

    def install_hint(self, missing_module: str | None) -> str:
        """Return the command that installs what this backend needs."""
        if self.install:
            return f"pip install '{self.install}'"
        if self.extra:
            return f"pip install 'dataknobs-data[{self.extra}]'"
        top = (missing_module or "").partition(".")[0]
        return f"pip install {top}" if top else "pip install the backend's dependencies"


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
        aliases=("sqlite3",),
    ),
    BackendSpec(
        "postgres",
        "dataknobs_data.backends.postgres:PostgresDatabase",
        "dataknobs_data.backends.postgres:AsyncPostgresDatabase",
        "postgres",
        aliases=("postgresql", "pg"),
    ),
    BackendSpec(
        "elasticsearch",
        "dataknobs_data.backends.elasticsearch:ElasticsearchDatabase",
        "dataknobs_data.backends.elasticsearch:AsyncElasticsearchDatabase",
        "elasticsearch",
        aliases=("es",),
    ),
    BackendSpec(
        "s3",
        "dataknobs_data.backends.s3:S3Database",
        "dataknobs_data.backends.s3:AsyncS3Database",
        "s3",
    ),
]


class DatabaseFactory:
    """Builds databases by backend name.

    Names are matched case-insensitively and through aliases (``postgresql``
    selects ``postgres``). An unknown name is a :class:`ConfigurationError`
    listing the known ones; a backend whose dependencies are missing is a
    :class:`BackendNotAvailableError` with the ``pip install`` line.

    Example:
        >>> db = database_factory.create(backend="memory")
        >>> type(db).__name__
        'MemoryDatabase'
        >>> "sqlite" in database_factory.available()
        True
        >>> database_factory.spec("postgresql").name
        'postgres'
    """

    def __init__(self, *, builtins: bool = True, plugins: bool = True) -> None:
        """Start with the built-in backends and discover plugins on first use.

        Args:
            builtins: Register the backends shipped with dataknobs-data.
            plugins: Read the entry-point group ``dataknobs_data.backends``.
        """
        self._specs: dict[str, BackendSpec] = {}
        self._aliases: dict[str, str] = {}
        self._origins: dict[str, str] = {}
        self._objects: dict[str, Any] = {}  # classes registered as objects, by their path
        self._lock = threading.Lock()
        self._plugins_wanted = plugins
        self._plugins_loaded = not plugins
        for spec in _BUILTIN if builtins else ():
            self._add(spec, "built-in")

    # -- registry ------------------------------------------------------------
    def register(
        self,
        name: str,
        sync_path: str | type[Database],
        async_path: str | type[AsyncDatabase] | None = None,
        extra: str | None = None,
        *,
        install: str | None = None,
        aliases: Iterable[str] = (),
    ) -> None:
        """Register (or replace) a backend by name, with class paths or classes.

        Args:
            name: The backend name used in ``create(backend=...)`` and config files.
            sync_path: The Database subclass, or its ``"module:Class"`` path.
            async_path: The AsyncDatabase subclass or its path; when omitted, the
                sync class's ``async_class`` attribute is used.
            extra: The ``dataknobs-data`` extra that installs its dependencies.
            install: A pip requirement that installs its dependencies.
            aliases: Other names for the backend.

        Example:
            >>> from dataknobs_data.backends.memory import MemoryDatabase
            >>> factory = DatabaseFactory()
            >>> factory.register("scratch", MemoryDatabase, aliases=["tmp"])
            >>> type(factory.create(backend="tmp")).__name__
            'MemoryDatabase'
        """
        if not isinstance(name, str) or not name.strip():
            raise ConfigurationError(f"a backend name must be a non-empty string, got {name!r}")
        async_target = None if async_path is None else self._remember(async_path)
        spec = BackendSpec(
            name, self._remember(sync_path), async_target, extra, install, tuple(aliases)
        )
        with self._lock:
            self._add(spec, "registered")

    def unregister(self, name: str) -> None:
        """Forget backend ``name`` (and its aliases); unknown names are an error."""
        with self._lock:
            key = self._canonical(name)
            if key is None:
                raise ConfigurationError(f"cannot unregister {name!r}: no backend has that name")
            self._remove(key)

    def refresh_plugins(self) -> None:
        """Forget the discovered entry points; the next lookup reads them again.

        Call it after installing a plugin into a running process.
        """
        with self._lock:
            for name, origin in list(self._origins.items()):
                if origin.startswith("entry point"):
                    self._remove(name)
            self._plugins_loaded = not self._plugins_wanted

    def available(self) -> list[str]:
        """Return the names of every known backend (built-in and plugins), installed or not.

        Aliases are not listed; :meth:`spec` resolves them.
        """
        self._load_plugins()
        return sorted(self._specs)

    def spec(self, name: str) -> BackendSpec:
        """Return the registration of backend ``name`` (an alias or any capitalisation).

        Raises:
            ConfigurationError: If no backend has that name; the message lists the
                known ones and suggests the closest.
        """
        if not isinstance(name, str):
            raise ConfigurationError(
                f"the backend must be given by name (a string), got {type(name).__name__} "
                f"{name!r}; known backends: {', '.join(self.available())}"
            )
        self._load_plugins()
        key = self._canonical(name)
        if key is None:
            raise ConfigurationError(self._unknown_message(name))
        return self._specs[key]

    def backend_class(self, name: str, *, asynchronous: bool = False) -> type[Any]:
        """Import and return the Database (or AsyncDatabase) class of backend ``name``.

        Raises:
            ConfigurationError: Unknown backend, or its registration is broken.
            BackendNotAvailableError: Its dependencies are not installed.
        """
        spec = self.spec(name)
        loaded = self._import(spec.sync_path, spec)
        if isinstance(loaded, BackendSpec):  # an entry point may name a spec
            spec = replace(loaded, name=spec.name)
            loaded = self._import(spec.sync_path, spec)
        sync_class = _checked(loaded, Database, spec, spec.sync_path)
        if not asynchronous:
            return sync_class
        if spec.async_path is not None:
            return _checked(
                self._import(spec.async_path, spec), AsyncDatabase, spec, spec.async_path
            )
        async_class = getattr(sync_class, "async_class", None)
        if async_class is None:
            raise ConfigurationError(
                f"backend {spec.name!r} has no asynchronous face: {sync_class.__name__} has no "
                "async_class and no async path was registered; use the synchronous Database"
            )
        return _checked(async_class, AsyncDatabase, spec, f"{sync_class.__name__}.async_class")

    # -- construction ----------------------------------------------------------
    def create(self, backend: str | None = None, **options: Any) -> Any:
        """Build the synchronous database of ``backend`` with ``options``.

        Options are validated by the backend's options dataclass: an unknown or
        misspelt key is an error naming it and the closest valid one.

        Raises:
            ConfigurationError: No backend given, an unknown backend, or bad options.
            BackendNotAvailableError: The backend's dependencies are not installed.
        """
        return self._build(backend, options, asynchronous=False)

    def create_async(self, backend: str | None = None, **options: Any) -> Any:
        """Build the asynchronous database of ``backend`` with ``options``.

        Raises:
            ConfigurationError: As :meth:`create`, or the backend has no async face.
            BackendNotAvailableError: The backend's dependencies are not installed.
        """
        return self._build(backend, options, asynchronous=True)

    def from_url(self, url: str, *, asynchronous: bool = False, **options: Any) -> Any:
        """Build a database from a URL such as ``sqlite:///app.db`` or ``memory://``."""
        from dataknobs_data.urls import parse_database_url

        backend, parsed = parse_database_url(url)
        parsed.update(options)
        return self._build(backend, parsed, asynchronous)

    def _build(self, backend: str | None, options: Mapping[str, Any], asynchronous: bool) -> Any:
        if backend is None or backend == "":
            raise ConfigurationError(
                "no backend given; name one with backend=<name> (in a config file: "
                f"'backend: <name>'); known backends: {', '.join(self.available())}"
            )
        cls = self.backend_class(backend, asynchronous=asynchronous)
        return cls.from_config(dict(options))

    # -- internals -------------------------------------------------------------
    def _add(self, spec: BackendSpec, origin: str) -> None:
        if spec.name in self._specs:
            self._remove(spec.name)
        self._specs[spec.name] = spec
        self._origins[spec.name] = origin
        for alias in (spec.name.lower(), *(a.lower() for a in spec.aliases)):
            self._aliases[alias] = spec.name

    def _remove(self, name: str) -> None:
        del self._specs[name]
        del self._origins[name]
        for alias in [a for a, target in self._aliases.items() if target == name]:
            del self._aliases[alias]

    def _canonical(self, name: str) -> str | None:
        if name in self._specs:
            return name
        return self._aliases.get(name.strip().lower())

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        with self._lock:
            if self._plugins_loaded:
                return
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if self._canonical(ep.name) is None:
                    self._add(BackendSpec(ep.name, ep.value), _describe_entry_point(ep))
            self._plugins_loaded = True

    def _unknown_message(self, name: str) -> str:
        known = self.available()
        close = difflib.get_close_matches(name.lower(), [*known, *self._aliases], n=1)
        hint = f"; did you mean {self._aliases.get(close[0], close[0])!r}?" if close else "."
        return (
            f"unknown backend {name!r}{hint} Known backends: {', '.join(known)}. "
            "A third-party backend must be installed (it registers itself through the "
            f"entry-point group {ENTRY_POINT_GROUP!r}) or added with "
            "database_factory.register(name, cls)"
        )

    def _remember(self, target: str | type[Any]) -> str:
        """Return the path of ``target``; a class is kept, so it needs no import later."""
        if isinstance(target, str):
            return target
        path = f"{target.__module__}:{target.__qualname__}"
        self._objects[path] = target
        return path

    def _import(self, path: str, spec: BackendSpec) -> Any:
        if path in self._objects:
            return self._objects[path]
        module_name, _, attr = path.partition(":") if ":" in path else path.rpartition(".")
        origin = self._origins.get(spec.name, "registered")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == module_name or module_name.startswith(exc.name + ".")):
                fix = (
                    "this dataknobs-data installation does not include it; upgrade dataknobs-data"
                    if origin == "built-in"
                    else "check the path, or reinstall the package that provides it"
                )
                raise ConfigurationError(
                    f"backend {spec.name!r} ({origin}) is registered at {path!r}, but the module "
                    f"{module_name!r} does not exist; {fix}"
                ) from None
            raise BackendNotAvailableError(
                f"backend {spec.name!r} needs the package {exc.name!r}, which is not installed; "
                f"install it with: {spec.install_hint(exc.name)}"
            ) from None
        except ImportError as exc:
            raise BackendNotAvailableError(
                f"backend {spec.name!r} could not be imported ({exc}); its dependencies may be "
                f"missing or of the wrong version; reinstall them with: {spec.install_hint(None)}"
            ) from None
        try:
            return getattr(module, attr)
        except AttributeError:
            raise ConfigurationError(
                f"backend {spec.name!r} ({origin}) is registered at {path!r}, but the module "
                f"{module_name!r} has no attribute {attr!r}; check the path"
            ) from None


def _describe_entry_point(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    of = f" of {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point {ep.name} = {ep.value}{of}"


def _checked(cls: Any, base: type[Any], spec: BackendSpec, where: str) -> type[Any]:
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ConfigurationError(
            f"backend {spec.name!r}: {where} is {cls!r}, which is not a "
            f"{base.__name__} subclass; point the registration at the database class"
        )
    return cls


database_factory = DatabaseFactory()
"""The process-wide factory; ``factory: database`` in a config file uses it."""
