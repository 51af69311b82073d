"""The root of the dataknobs exception tree.

Every error raised on purpose by a dataknobs package derives from
:class:`DataknobsError`, so ``except DataknobsError`` catches all of them and
nothing else. Packages add their own branches (``dataknobs_data`` adds
``DatabaseError`` and its children).
"""

from __future__ import annotations

__all__ = ["ConfigurationError", "DataknobsError"]


class DataknobsError(Exception):
    """Base class of every error raised by dataknobs.

    Messages say what was wrong and what to do about it, and never contain a
    secret (see :mod:`dataknobs_common.secrets`).

    Example:
        >>> try:
        ...     raise DataknobsError("something failed")
        ... except DataknobsError as exc:
        ...     str(exc)
        'something failed'
    """


class ConfigurationError(DataknobsError):
    """A configuration is invalid: unknown key, wrong type, unset variable, bad backend.

    ``dataknobs_data.ConfigurationError`` derives from this class as well as from
    ``dataknobs_data.DatabaseError``, so catching this one catches both.
    """
