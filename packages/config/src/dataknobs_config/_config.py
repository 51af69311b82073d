"""The :class:`Config` object: sources in, resolved items and built objects out."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from typing import Any

from dataknobs_common import ConfigurationError
from dataknobs_config._construction import Builder, ResolvedItem
from dataknobs_config._location import Location, item_path
from dataknobs_config._overrides import apply_env_overrides, merge
from dataknobs_config._paths import PathKeys, resolve_paths
from dataknobs_config._sources import ConfigSource, Source, load_sources
from dataknobs_config._substitution import find_unresolved, substitute

__all__ = ["Config"]


class Config:
    """Named items from YAML/JSON files and dicts, resolved and built on demand.

    A source is a mapping of section name to a list of named items (mappings with
    a ``name`` key); a section may also be written as a mapping of name to item.
    Sources are given in order, as arguments or lists; a later source overrides an
    earlier one item by item: an item with a name already seen is laid over the
    earlier one (nested mappings merge key by key, other values are replaced),
    a new name is appended.

    Reading an item (:meth:`get`) applies, in this order:

    1. **Substitution** in each source: ``${VAR}`` and ``${VAR:default}``. A string
       that is wholly one substitution is typed as a YAML scalar (``${PORT:5432}``
       is the int 5432, ``${DEBUG:false}`` False, ``${X:null}`` None, ``${X:}`` the
       empty string); numbers only when written canonically (``007`` stays text),
       values of secret keys (``password``...) always stay strings. Inside a larger
       string the text is pasted in. ``$${`` is a literal ``${``. An unset variable
       without a default is a :class:`ConfigurationError` naming the file and key
       path, unless a later source or an environment override replaces the value.
    2. **Relative paths** in a file are resolved against that file's folder, for
       keys that hold paths: ``path``, ``file``, ``filename``, ``dir``,
       ``directory``, ``folder``, ``root``, keys ending in ``_path``, ``_file``,
       ``_dir``, ``_directory``, ``_folder`` or ``_root``, and the names given as
       ``path_keys``. URLs, absolute, ``~`` and ``:memory:``-style values are left
       alone, as are paths in dict sources.
    3. **Merging** the item across sources, as above.
    4. **Environment overrides**: ``DATAKNOBS_<SECTION>__<NAME>__<KEY>=value`` (nested
       keys with further ``__``; case-insensitive; other characters as ``_``)
       replaces that value, typed as a YAML scalar.

    Building an item (:meth:`get_instance`): ``class: dotted.Path`` builds with
    ``Path.from_config(mapping)`` when the class has it, else ``Path(**mapping)``;
    ``factory: name`` (registered with :meth:`register_factory`, or a dotted path;
    ``database`` is :data:`dataknobs_data.database_factory` unless registered otherwise)
    calls the factory's ``create(**mapping)`` when it has one, else
    ``factory(**mapping)``. The keys ``name``, ``class`` and ``factory`` are not
    passed on. A value ``{ref: section.name}`` anywhere in an item is replaced by
    the built instance of that item (the shared one, see :meth:`get_instance`);
    a reference cycle is a :class:`ConfigurationError` that shows the chain.

    Args:
        *sources: File paths (``str`` or :class:`pathlib.Path`; ``.json`` files are
            read as JSON, others as YAML), mappings, or lists or tuples of them.
        path_keys: More key names whose values are paths.
        environ: Variables for substitution and overrides; ``os.environ`` (read at
            each :meth:`get`) when omitted.

    Example:
        >>> config = Config(
        ...     {"databases": [{"name": "primary", "host": "${DB_HOST:localhost}",
        ...                     "port": "${DB_PORT:5432}"}]},
        ...     {"databases": {"primary": {"host": "db1"}, "archive": {"path": "a.db"}}},
        ...     environ={"DATAKNOBS_DATABASES__PRIMARY__PORT": "6543"},
        ... )
        >>> config.get_names("databases")
        ['primary', 'archive']
        >>> config.get("databases", "primary")
        {'name': 'primary', 'host': 'db1', 'port': 6543}

    """

    def __init__(
        self,
        *sources: ConfigSource | list[ConfigSource] | tuple[ConfigSource, ...],
        path_keys: Iterable[str] = (),
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._sources: list[Source] = load_sources(list(sources))
        self._path_keys = PathKeys(path_keys)
        self._environ = environ
        self._builder = Builder(self._resolve, self._exists)

    def sections(self) -> list[str]:
        """Return the section names, in the order they first appear in the sources."""
        names: dict[str, None] = {}
        for source in self._sources:
            names.update(dict.fromkeys(source.sections))
        return list(names)

    def get_names(self, section: str) -> list[str]:
        """Return the item names of ``section``, in order of first appearance.

        Raises:
            ConfigurationError: If no source has the section.

        """
        self._check_section(section)
        names: dict[str, None] = {}
        for source in self._sources:
            names.update(dict.fromkeys(source.sections.get(section, {})))
        return list(names)

    def get(self, section: str, name: str) -> dict[str, Any]:
        """Return an item's resolved mapping: substituted, merged, overridden, paths resolved.

        A new dict on every call; changing it changes nothing in the config.

        Raises:
            ConfigurationError: If the item does not exist or a variable is unset.

        """
        return self._resolve(section, name).mapping

    def get_instance(self, section: str, name: str, *, fresh: bool = False) -> Any:
        """Return the object an item describes, built on first use and then shared.

        Args:
            section: The section, e.g. ``"databases"``.
            name: The item's name.
            fresh: Build a new object instead of returning (and without caching) the
                shared one. Items it refers to are still the shared instances.

        Raises:
            ConfigurationError: If the item cannot be built; the message names the
                file and key path.

        """
        return self._builder.get_instance(section, name, fresh=fresh)

    def register_factory(self, name: str, factory: Any) -> None:
        """Let items say ``factory: <name>``.

        Args:
            name: The name items use.
            factory: An object with a ``create(**options)`` method, or a callable.

        """
        self._builder.register_factory(name, factory)

    def __repr__(self) -> str:
        files = [source.name or "<dict>" for source in self._sources]
        return f"Config({', '.join(files)}; sections: {', '.join(self.sections())})"

    def _exists(self, section: str, name: str) -> bool:
        return any(name in source.sections.get(section, {}) for source in self._sources)

    def _check_section(self, section: str) -> None:
        if any(section in source.sections for source in self._sources):
            return
        known = self.sections()
        raise ConfigurationError(
            f"no section {section!r} in {self._describe_sources()}"
            f"{_suggestion(section, known)} Sections: {', '.join(known) or 'none'}"
        )

    def _resolve(self, section: str, name: str) -> ResolvedItem:
        self._check_section(section)
        defining = [s for s in self._sources if name in s.sections.get(section, {})]
        if not defining:
            known = self.get_names(section)
            raise ConfigurationError(
                f"no item named {name!r} in section {section!r} of {self._describe_sources()}"
                f"{_suggestion(name, known)} Names: {', '.join(known) or 'none'}"
            )
        environ = os.environ if self._environ is None else self._environ
        where = item_path(section, name)
        merged: dict[str, Any] = {}
        for source in defining:
            value = substitute(
                source.sections[section][name], environ, source=source.name, key_path=where
            )
            if source.base_dir is not None:
                value = resolve_paths(value, source.base_dir, self._path_keys)
            merged = merge(merged, value)
        merged = apply_env_overrides(merged, section, name, environ)
        unresolved = find_unresolved(merged)
        if unresolved is not None:
            raise ConfigurationError(unresolved.message)
        files = [source.name for source in defining if source.name is not None]
        return ResolvedItem(merged, Location(" + ".join(files) or None, where))

    def _describe_sources(self) -> str:
        files = [source.name for source in self._sources if source.name is not None]
        return ", ".join(files) if files else "the configuration"


def _suggestion(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else "."
