"""Importing an object from a dotted path such as ``package.module.ClassName``."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["import_object"]


def import_object(dotted_path: str) -> Any:
    """Import ``module.attr`` (or ``module:attr``; nested attributes allowed).

    Raises:
        ImportError: With a message saying which module or attribute is missing.

    Example:
        >>> import_object("pathlib.Path").__name__
        'Path'

    """
    parts = dotted_path.replace(":", ".").split(".")
    if not all(parts):
        raise ImportError(f"{dotted_path!r} is not a dotted path like 'package.module.Name'")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        try:
            obj: Any = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only "this prefix is not a module" means: try a shorter prefix.
            # A module that exists but imports something missing is a real error.
            if exc.name is not None and (
                module_name == exc.name or module_name.startswith(exc.name + ".")
            ):
                continue
            raise ImportError(f"importing {module_name!r} failed: {exc}") from exc
        for depth, attribute in enumerate(parts[split:], start=split):
            try:
                obj = getattr(obj, attribute)
            except AttributeError:
                owner = ".".join(parts[:depth])
                if depth + 1 < len(parts):  # the missing name was also tried as a module
                    missing = ".".join(parts[: depth + 1])
                    raise ImportError(f"no module or attribute named {missing!r}") from None
                raise ImportError(f"{owner!r} has no attribute {attribute!r}") from None
        return obj
    raise ImportError(f"no module named {parts[0]!r}")
