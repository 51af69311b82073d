"""The one progress protocol every bulk path accepts.

A progress callback is any callable ``(done, total)``: ``done`` records are
finished (written or failed), of ``total`` when known (else None). The CLI's
rich progress bar is one; a plain function is another.

Example:
    >>> from dataknobs_data import Database, Record
    >>> seen = []
    >>> db = Database.from_backend("memory")
    >>> _ = db.stream_write((Record({"i": i}) for i in range(5)), batch_size=2,
    ...                     on_progress=lambda done, total: seen.append(done))
    >>> seen
    [2, 4, 5]
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["ProgressCallback"]


class ProgressCallback(Protocol):
    """Called after each batch with the records finished so far and the total if known."""

    def __call__(self, done: int, total: int | None, /) -> None:
        """Report progress."""
