"""Building objects from configured items: classes, factories and references."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from dataknobs_common import ConfigurationError, is_secret_key, redact_text
from dataknobs_config._importing import import_object
from dataknobs_config._location import Location, item_path, join_key, located, prefix
from dataknobs_config._references import is_reference, parse_reference

__all__ = ["BUILD_KEYS", "DEFAULT_FACTORIES", "Builder", "ResolvedItem"]

BUILD_KEYS = frozenset({"name", "class", "factory"})
"""Keys that say how to build an item; they are not passed to the class or factory."""

DEFAULT_FACTORIES = {"database": ("dataknobs_data.factory:database_factory", "dataknobs-data")}
"""Factory names that work without ``register_factory``: name -> (dotted path, distribution).

Imported only when an item uses the name and nothing was registered under it, so
dataknobs_config does not depend on the packages that provide them.
"""


@dataclass(frozen=True)
class ResolvedItem:
    """An item's resolved mapping and where it was defined (for error messages)."""

    mapping: dict[str, Any]
    location: Location


class Builder:
    """Builds items once (or afresh), following references and detecting cycles."""

    def __init__(
        self,
        resolve: Callable[[str, str], ResolvedItem],
        exists: Callable[[str, str], bool],
    ) -> None:
        self._resolve = resolve
        self._exists = exists
        self._factories: dict[str, Any] = {}
        self._instances: dict[tuple[str, str], Any] = {}
        self._building: list[tuple[str, str]] = []

    def register_factory(self, name: str, factory: Any) -> None:
        """Make ``factory`` available to items as ``factory: <name>``."""
        self._factories[name] = factory

    def get_instance(
        self, section: str, name: str, *, fresh: bool = False, used_at: str = ""
    ) -> Any:
        """Return the built object of an item; cached unless ``fresh``.

        ``used_at`` is the error-message prefix of the reference being followed, if any.
        """
        key = (section, name)
        if not fresh and key in self._instances:
            return self._instances[key]
        if key in self._building:
            chain = [*self._building[self._building.index(key) :], key]
            raise ConfigurationError(
                f"{used_at}reference cycle: "
                + " -> ".join(item_path(*link) for link in chain)
                + "; an item cannot need itself, directly or through others"
            )
        self._building.append(key)
        try:
            instance = self._build(section, name)
        finally:
            self._building.pop()
        if not fresh:
            self._instances[key] = instance
        return instance

    def _build(self, section: str, name: str) -> Any:
        item = self._resolve(section, name)
        location = item.location
        construct, what = self._constructor(item.mapping, location)
        kwargs = {key: value for key, value in item.mapping.items() if key not in BUILD_KEYS}
        kwargs = self._resolve_references(kwargs, location.source, location.key_path or "")
        with located(location):
            try:
                return construct(kwargs)
            except ConfigurationError as exc:
                relocated = _relocated(exc, location)
                if relocated is exc:
                    raise
                raise relocated from exc
            except (TypeError, ValueError) as exc:
                message = redact_text(str(exc), _secret_values(kwargs))
                cause = exc if message == str(exc) else None
                raise ConfigurationError(
                    f"{prefix(location.source, location.key_path)}building {what} failed: "
                    f"{type(exc).__name__}: {message}"
                ) from cause

    def _constructor(
        self, mapping: Mapping[str, Any], location: Location
    ) -> tuple[Callable[[dict[str, Any]], Any], str]:
        """Return how to build the item from its options, and a description for errors."""
        class_path, factory = mapping.get("class"), mapping.get("factory")
        if class_path is not None and factory is not None:
            _fail(location, "has both 'class' and 'factory'; keep only one of them")
        if class_path is not None:
            cls = self._import_class(class_path, location)
            from_config = getattr(cls, "from_config", None)
            if callable(from_config):
                return from_config, f"{class_path}.from_config"
            return (lambda options: cls(**options)), f"class {class_path}"
        if factory is not None:
            target = self._factory(factory, location)
            create = getattr(target, "create", None)
            if callable(create):
                return (lambda options: create(**options)), f"factory {factory}"
            if callable(target):
                return (lambda options: target(**options)), f"factory {factory}"
            _fail(location, f"factory {factory!r} has no create() method and is not callable")
        _fail(
            location,
            "has neither 'class' nor 'factory', so there is nothing to build; add one, "
            "or read its mapping with config.get()",
        )

    def _resolve_references(self, value: Any, source: str | None, key_path: str) -> Any:
        if is_reference(value):
            section, name = parse_reference(value, source=source, key_path=key_path)
            if not self._exists(section, name):
                raise ConfigurationError(
                    f"{prefix(source, key_path)}refers to {item_path(section, name)}, "
                    "which is not defined in any source; check the section and name"
                )
            return self.get_instance(section, name, used_at=prefix(source, key_path))
        if isinstance(value, Mapping):
            return {
                k: self._resolve_references(v, source, join_key(key_path, str(k)))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [
                self._resolve_references(v, source, join_key(key_path, i))
                for i, v in enumerate(value)
            ]
        return value

    def _import_class(self, class_path: Any, location: Location) -> Any:
        where = join_key(location.key_path, "class")
        if not isinstance(class_path, str):
            return (
                class_path
                if callable(class_path)
                else _fail(location, "'class' must be a dotted path")
            )
        try:
            return import_object(class_path)
        except ImportError as exc:
            raise ConfigurationError(
                f"{prefix(location.source, where)}cannot import class {class_path!r}: {exc}; "
                "check the spelling and that the package is installed"
            ) from None

    def _factory(self, factory: Any, location: Location) -> Any:
        if not isinstance(factory, str):
            return factory  # a factory object given directly in a dict source
        if factory in self._factories:
            return self._factories[factory]
        where = join_key(location.key_path, "factory")
        if factory in DEFAULT_FACTORIES:
            path, distribution = DEFAULT_FACTORIES[factory]
            try:
                return import_object(path)
            except ImportError as exc:
                raise ConfigurationError(
                    f"{prefix(location.source, where)}factory {factory!r} comes from "
                    f"{distribution}, which cannot be imported ({exc}); install it with: "
                    f"pip install {distribution}, or call config.register_factory"
                    f"({factory!r}, factory)"
                ) from None
        if "." not in factory and ":" not in factory:
            known = sorted({*self._factories, *DEFAULT_FACTORIES})
            close = difflib.get_close_matches(factory, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigurationError(
                f"{prefix(location.source, where)}no factory is registered as {factory!r}.{hint} "
                f"Registered: {', '.join(known) or 'none'}; call "
                "config.register_factory(name, factory) or give a dotted path"
            )
        try:
            return import_object(factory)
        except ImportError as exc:
            raise ConfigurationError(
                f"{prefix(location.source, where)}cannot import factory {factory!r}: {exc}; "
                "check the spelling and that the package is installed"
            ) from None


def _fail(location: Location, text: str) -> NoReturn:
    raise ConfigurationError(f"{prefix(location.source, location.key_path)}{text}")


def _relocated(exc: ConfigurationError, location: Location) -> ConfigurationError:
    """Return the same error, prefixed with the item's location unless it names it."""
    head = ": ".join(part for part in (location.source, location.key_path) if part)
    message = str(exc)
    if message.startswith(head):
        return exc
    try:
        return type(exc)(f"{head}: {message}")
    except TypeError:
        return ConfigurationError(f"{head}: {message}")


def _secret_values(kwargs: Mapping[str, Any]) -> list[str]:
    return [str(v) for k, v in kwargs.items() if is_secret_key(k) and isinstance(v, str | int)]
