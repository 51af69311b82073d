"""Checking and converting one option value against its type annotation.

Supported: ``Any``, ``str``, ``int`` (bools rejected), ``float`` (ints accepted and
converted), ``bool`` (ints rejected), ``None``, unions and ``Optional``,
``Literal[...]``, enums (member, value or name), ``list[X]``, ``tuple[X, ...]`` and
``tuple[X, Y]``, ``set[X]``, ``dict[K, V]`` and ``Mapping[K, V]``, ``pathlib.Path``
(strings accepted and converted), nested dataclasses (from a mapping), callables
and any other class by ``isinstance``. Nested dataclasses are handed back to the
caller through ``parse_nested`` so field rules live in one place.
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import difflib
import enum
import os
import pathlib
import types
import typing
from collections.abc import Callable
from typing import Any

from dataknobs_common import is_secret_key, redact_mapping, redact_url
from dataknobs_config._location import join_key

__all__ = ["Invalid", "Problem", "coerce", "describe_type", "describe_value"]


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with the options: where (relative key path) and what."""

    path: str | None
    text: str
    wrong_type: bool = True


class Invalid(Exception):
    """Raised inside the package when a value does not fit; carries the problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


ParseNested = Callable[[type[Any], cabc.Mapping[Any, Any], str, bool], Any]

_LIST_ORIGINS = (list, cabc.Sequence, cabc.MutableSequence, cabc.Iterable, cabc.Collection)
_SET_ORIGINS = (set, frozenset, cabc.Set, cabc.MutableSet)
_DICT_ORIGINS = (dict, cabc.Mapping, cabc.MutableMapping)


def describe_type(tp: Any) -> str:
    """Return a readable name for a type annotation.

    Example:
        >>> describe_type(int | None), describe_type(list[str])
        ('int or None', 'list[str]')
        >>> describe_type(typing.Literal["a", "b"])
        "one of 'a', 'b'"

    """
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is None or tp is type(None):
        return "None"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe_type(arg) for arg in args)
    if origin is not None:
        name = getattr(origin, "__name__", str(origin))
        inner = ", ".join("..." if arg is Ellipsis else describe_type(arg) for arg in args)
        return f"{name}[{inner}]" if args else name
    return getattr(tp, "__name__", str(tp))


def describe_value(value: Any, *, secret: bool) -> str:
    """Describe a given value for an error message: its type, and its value unless secret.

    Example:
        >>> describe_value("abc", secret=False), describe_value("hunter2", secret=True)
        ("str 'abc'", 'str (value hidden)')

    """
    kind = "None" if value is None else type(value).__name__
    if value is None:
        return kind
    if secret:
        return f"{kind} (value hidden)"
    if isinstance(value, cabc.Mapping):
        shown = repr(redact_mapping(value))
    elif isinstance(value, str) and "://" in value:
        shown = repr(redact_url(value))
    else:
        shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{kind} {shown}"


def coerce(value: Any, tp: Any, path: str, secret: bool, parse_nested: ParseNested) -> Any:
    """Return ``value`` checked against ``tp`` (converted where allowed), or raise Invalid."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any or tp is object:
        return value
    if origin in (typing.Union, types.UnionType):
        return _coerce_union(value, args, path, secret, parse_nested)
    if origin is typing.Literal:
        return _coerce_literal(value, args, path, secret)
    if origin in _LIST_ORIGINS or tp is list:
        return _coerce_sequence(value, tp, args[0] if args else Any, path, secret, parse_nested)
    if origin is tuple or tp is tuple:
        return _coerce_tuple(value, tp, args, path, secret, parse_nested)
    if origin in _SET_ORIGINS or tp in (set, frozenset):
        items = _coerce_sequence(value, tp, args[0] if args else Any, path, secret, parse_nested)
        return frozenset(items) if (origin or tp) is frozenset else set(items)
    if origin in _DICT_ORIGINS or tp is dict:
        key_type, value_type = args if args else (Any, Any)
        return _coerce_mapping(value, tp, key_type, value_type, path, secret, parse_nested)
    if origin is cabc.Callable or tp is cabc.Callable:
        return value if callable(value) else _mismatch(value, "a callable", path, secret)
    if not isinstance(tp, type):
        return value  # an annotation we cannot check at run time (TypeVar, NewType...)
    return _coerce_class(value, tp, path, secret, parse_nested)


def _coerce_class(value: Any, tp: type[Any], path: str, secret: bool, nested: ParseNested) -> Any:
    if tp is type(None):
        return value if value is None else _mismatch(value, "None", path, secret)
    if tp is bool or tp is str:
        return value if type(value) is tp else _mismatch(value, tp.__name__, path, secret)
    if tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return value if ok else _mismatch(value, "int", path, secret)
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return _mismatch(value, "float", path, secret)
    if issubclass(tp, pathlib.PurePath):
        if isinstance(value, str | os.PathLike):
            return tp(value)
        return _mismatch(value, "a path (str or pathlib.Path)", path, secret)
    if issubclass(tp, enum.Enum):
        return _coerce_enum(value, tp, path, secret)
    if dataclasses.is_dataclass(tp):
        if isinstance(value, tp):
            return value
        if isinstance(value, cabc.Mapping):
            return nested(tp, value, path, secret)
        return _mismatch(value, f"a mapping of {tp.__name__} options", path, secret)
    return value if isinstance(value, tp) else _mismatch(value, tp.__name__, path, secret)


def _coerce_union(
    value: Any, members: tuple[Any, ...], path: str, secret: bool, nested: ParseNested
) -> Any:
    # Members the value already is come first, so `float | int` keeps an int an int.
    ordered = sorted(members, key=lambda member: type(value) is not member)
    specific: list[Problem] = []
    for member in ordered:
        try:
            return coerce(value, member, path, secret, nested)
        except Invalid as exc:
            if dataclasses.is_dataclass(member) and isinstance(value, cabc.Mapping):
                specific = exc.problems
    if specific:
        raise Invalid(specific)
    return _mismatch(value, describe_type(typing.Union[members]), path, secret)  # noqa: UP007


def _coerce_literal(value: Any, allowed: tuple[Any, ...], path: str, secret: bool) -> Any:
    for candidate in allowed:
        if type(candidate) is type(value) and candidate == value:
            return candidate
    hint = ""
    if isinstance(value, str) and not secret:
        close = difflib.get_close_matches(value, [a for a in allowed if isinstance(a, str)], 1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
    expected = "one of " + ", ".join(repr(a) for a in allowed)
    raise Invalid(
        [Problem(path, f"expected {expected}, got {describe_value(value, secret=secret)}{hint}")]
    )


def _coerce_enum(value: Any, tp: type[enum.Enum], path: str, secret: bool) -> Any:
    if isinstance(value, tp):
        return value
    for member in tp:
        if (type(member.value) is type(value) and member.value == value) or member.name == value:
            return member
    expected = "one of " + ", ".join(repr(member.value) for member in tp)
    return _mismatch(value, expected, path, secret)


def _coerce_sequence(
    value: Any, tp: Any, item_type: Any, path: str, secret: bool, nested: ParseNested
) -> list[Any]:
    if not isinstance(value, list | tuple | set | frozenset):
        _mismatch(value, describe_type(tp), path, secret)
    return _coerce_items(list(value), [item_type] * len(value), path, secret, nested)


def _coerce_tuple(
    value: Any, tp: Any, args: tuple[Any, ...], path: str, secret: bool, nested: ParseNested
) -> tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        _mismatch(value, describe_type(tp), path, secret)
    if not args or (len(args) == 2 and args[1] is Ellipsis):
        item_types = [args[0] if args else Any] * len(value)
    elif len(args) != len(value):
        expected = f"{describe_type(tp)} ({len(args)} items)"
        return _mismatch(value, expected, path, secret)
    else:
        item_types = list(args)
    return tuple(_coerce_items(list(value), item_types, path, secret, nested))


def _coerce_items(
    values: list[Any], item_types: list[Any], path: str, secret: bool, nested: ParseNested
) -> list[Any]:
    result: list[Any] = []
    problems: list[Problem] = []
    for index, (item, item_type) in enumerate(zip(values, item_types, strict=True)):
        try:
            result.append(coerce(item, item_type, join_key(path, index), secret, nested))
        except Invalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise Invalid(problems)
    return result


def _coerce_mapping(
    value: Any,
    tp: Any,
    key_type: Any,
    value_type: Any,
    path: str,
    secret: bool,
    nested: ParseNested,
) -> dict[Any, Any]:
    if not isinstance(value, cabc.Mapping):
        _mismatch(value, describe_type(tp), path, secret)
    result: dict[Any, Any] = {}
    problems: list[Problem] = []
    for key, item in value.items():
        item_path = join_key(path, str(key))
        item_secret = secret or (isinstance(key, str) and is_secret_key(key))
        try:
            checked_key = coerce(key, key_type, item_path, False, nested)
            result[checked_key] = coerce(item, value_type, item_path, item_secret, nested)
        except Invalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise Invalid(problems)
    return result


def _mismatch(value: Any, expected: str, path: str, secret: bool) -> typing.NoReturn:
    raise Invalid(
        [Problem(path, f"expected {expected}, got {describe_value(value, secret=secret)}")]
    )
