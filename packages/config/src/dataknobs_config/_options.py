"""Validating a mapping of options against a dataclass: :func:`parse_options`."""

from __future__ import annotations

import dataclasses
import difflib
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from dataknobs_common import REDACTED, ConfigurationError, is_secret_key, redact_text
from dataknobs_common import redact_mapping as _redact_mapping
from dataknobs_common import redact_url as _redact_url
from dataknobs_config._location import current_location, join_key, prefix
from dataknobs_config._types import Invalid, Problem, coerce

__all__ = ["install_redacted_repr", "is_secret_field", "parse_options"]

T = TypeVar("T")


def parse_options(
    options_class: type[T],
    mapping: Mapping[str, Any],
    *,
    owner: str,
    source: str | None = None,
    key_path: str | None = None,
) -> T:
    """Validate ``mapping`` against the dataclass ``options_class`` and build it.

    Every problem is reported at once, in one :class:`ConfigurationError` that names
    the source file and key path (``source``/``key_path``, or those of the item
    :class:`~dataknobs_config.Config` is building): unknown keys with the closest
    valid one, missing required keys, and wrong types with what was expected and
    what was given. Secret options (names matching
    :func:`dataknobs_common.is_secret_key`, or fields with ``metadata={"secret": True}``)
    never show their value, neither in errors nor in the ``repr`` of the result.
    The type rules are listed in :mod:`dataknobs_config._types`.

    Args:
        options_class: A dataclass describing the options.
        mapping: The options as given (e.g. one item of a config file, or ``**kwargs``).
        owner: Who the options are for, shown in messages (e.g. ``"PostgresDatabase"``).
        source: The file the options came from, if known.
        key_path: Where in that file, e.g. ``databases[primary]``.

    Returns:
        An instance of ``options_class``.

    Raises:
        ConfigurationError: If any option is unknown, missing or of the wrong type.

    Example:
        >>> from dataclasses import dataclass
        >>> @dataclass
        ... class ServerOptions:
        ...     host: str
        ...     port: int = 5432
        >>> parse_options(ServerOptions, {"host": "db", "port": 6543}, owner="Server")
        ServerOptions(host='db', port=6543)
        >>> parse_options(ServerOptions, {"hots": "db"}, owner="Server")
        Traceback (most recent call last):
        ...
        dataknobs_common.errors.ConfigurationError: 2 problems with the options of Server:
          - unknown option 'hots' for Server; did you mean 'host'? Valid options: host, port
          - missing required option 'host' for Server

    """
    if not (isinstance(options_class, type) and dataclasses.is_dataclass(options_class)):
        raise TypeError(f"options_class must be a dataclass, got {options_class!r}")
    if source is None and key_path is None and (location := current_location()) is not None:
        source, key_path = location.source, location.key_path
    if not isinstance(mapping, Mapping):
        raise ConfigurationError(
            f"{prefix(source, key_path)}the options of {owner} must be a mapping, "
            f"not {type(mapping).__name__}"
        )

    def parse_nested(cls: type[Any], value: Mapping[Any, Any], path: str, secret: bool) -> Any:
        return _build(cls, value, owner=owner, path=path, secret=secret, parse_nested=parse_nested)

    try:
        return _build(
            options_class, mapping, owner=owner, path=None, secret=False, parse_nested=parse_nested
        )
    except Invalid as exc:
        raise ConfigurationError(_format(exc.problems, owner, source, key_path)) from None
    except (TypeError, ValueError) as exc:  # raised by the dataclass's own __post_init__
        message = redact_text(str(exc), _secret_values(mapping))
        raise ConfigurationError(f"{prefix(source, key_path)}{owner}: {message}") from None


def is_secret_field(field: dataclasses.Field[Any]) -> bool:
    """Tell whether a dataclass field holds a secret (by name or ``metadata={"secret": True}``)."""
    return bool(field.metadata.get("secret")) or is_secret_key(field.name)


def _build(
    cls: type[T],
    mapping: Mapping[Any, Any],
    *,
    owner: str,
    path: str | None,
    secret: bool,
    parse_nested: Any,
) -> T:
    install_redacted_repr(cls)
    fields = [field for field in dataclasses.fields(cls) if field.init]  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    names = [field.name for field in fields]
    where = f" in {path!r}" if path else ""
    problems: list[Problem] = []
    for key in mapping:
        if key not in names:
            problems.append(Problem(path, _unknown_text(key, names, owner, where), False))
    kwargs: dict[str, Any] = {}
    for field in fields:
        field_path = join_key(path, field.name)
        if field.name in mapping:
            field_secret = secret or is_secret_field(field)
            try:
                kwargs[field.name] = coerce(
                    mapping[field.name], hints[field.name], field_path, field_secret, parse_nested
                )
            except Invalid as exc:
                problems.extend(exc.problems)
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            text = f"missing required option {field.name!r}{where} for {owner}"
            problems.append(Problem(path, text, False))
    if problems:
        raise Invalid(problems)
    return cls(**kwargs)


def _unknown_text(key: Any, names: list[str], owner: str, where: str) -> str:
    if not isinstance(key, str):
        return f"option names must be strings, got {type(key).__name__} {key!r}{where} for {owner}"
    close = difflib.get_close_matches(key, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    valid = ", ".join(names) or "none (it takes no options)"
    return f"unknown option {key!r}{where} for {owner}{hint} Valid options: {valid}"


def _format(problems: list[Problem], owner: str, source: str | None, key_path: str | None) -> str:
    def line(problem: Problem) -> tuple[str | None, str]:
        text = problem.text
        if problem.wrong_type:
            text = f"wrong type for option {problem.path!r} of {owner}: {text}"
        return problem.path, text

    if len(problems) == 1:
        path, text = line(problems[0])
        full_path = join_key(key_path, path) if path else key_path
        return f"{prefix(source, full_path)}{text}"
    lines = [f"{prefix(source, key_path)}{len(problems)} problems with the options of {owner}:"]
    lines.extend(f"  - {line(problem)[1]}" for problem in problems)
    return "\n".join(lines)


def _secret_values(mapping: Mapping[Any, Any]) -> list[str]:
    return [str(v) for k, v in mapping.items() if isinstance(k, str) and is_secret_key(k) and v]


def install_redacted_repr(cls: type[Any]) -> None:
    """Give a dataclass a ``repr`` that shows ``***`` for secret fields.

    Only a ``repr`` generated by ``@dataclass`` is replaced; one written by hand is kept.
    """
    current = cls.__dict__.get("__repr__")
    if current is None or getattr(current, "__code__", None) is not _GENERATED_REPR_CODE:
        return
    type.__setattr__(cls, "__repr__", _redacted_repr)


def _redacted_repr(self: Any) -> str:
    parts = []
    for field in dataclasses.fields(self):
        if not field.repr:
            continue
        value = getattr(self, field.name)
        if value is not None and is_secret_field(field):
            value = REDACTED
        elif isinstance(value, Mapping):
            value = _redact_mapping(value)
        elif isinstance(value, str) and "://" in value:
            value = _redact_url(value)
        parts.append(f"{field.name}={value!r}")
    return f"{type(self).__qualname__}({', '.join(parts)})"


@dataclasses.dataclass
class _Probe:
    x: int = 0


# Every dataclass-generated __repr__ shares this code object (the recursion guard wrapper),
# which tells a generated repr from a hand-written one on every supported Python.
_GENERATED_REPR_CODE = _Probe.__repr__.__code__
