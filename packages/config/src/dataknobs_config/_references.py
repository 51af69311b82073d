"""References between items: ``{ref: section.name}`` stands for that item's built instance.

Example, a job that copies one database into another::

    jobs:
      - name: nightly
        class: myapp.jobs.CopyJob
        source: {ref: databases.primary}
        target: {ref: databases.archive}

The reference is a mapping with the single key ``ref``; the section is the part
before the first dot, the item name everything after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataknobs_common import ConfigurationError
from dataknobs_config._location import prefix

__all__ = ["REF_KEY", "is_reference", "parse_reference"]

REF_KEY = "ref"


def is_reference(value: Any) -> bool:
    """Tell whether ``value`` is a reference mapping ``{ref: "section.name"}``.

    Example:
        >>> is_reference({"ref": "databases.primary"}), is_reference({"ref": 1, "x": 2})
        (True, False)

    """
    return isinstance(value, Mapping) and len(value) == 1 and REF_KEY in value


def parse_reference(
    value: Mapping[str, Any], *, source: str | None, key_path: str
) -> tuple[str, str]:
    """Split a reference into (section, name), or raise naming the key path.

    Example:
        >>> parse_reference({"ref": "databases.primary"}, source=None, key_path="jobs[a].source")
        ('databases', 'primary')

    """
    target = value[REF_KEY]
    section, dot, name = target.partition(".") if isinstance(target, str) else ("", "", "")
    if not (section and dot and name):
        raise ConfigurationError(
            f"{prefix(source, key_path)}a reference must look like "
            f"{{ref: section.name}} (e.g. {{ref: databases.primary}}), got {target!r}"
        )
    return section, name
