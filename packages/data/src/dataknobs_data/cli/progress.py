"""A rich progress bar behind a small callback protocol.

Bulk commands report progress through :class:`ProgressBar`: call it with the
number of records done so far (``bar(done, total)``), advance it by a count, or
let it count the records an iterable yields (:meth:`ProgressBar.track`). On a
terminal it draws a live bar; elsewhere it stays silent and the command prints
its summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Self, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

__all__ = ["ProgressBar"]

T = TypeVar("T")


class _RateColumn(ProgressColumn):
    """Records per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text("", style="progress.data.speed")
        return Text(f"{speed:,.0f} rec/s", style="progress.data.speed")


class ProgressBar:
    """One task's progress, drawn with rich.

    Example:
        >>> from rich.console import Console
        >>> import io
        >>> with ProgressBar("copying", total=3, console=Console(file=io.StringIO())) as bar:
        ...     for _ in bar.track(range(3)):
        ...         pass
        >>> bar.completed
        3
    """

    def __init__(
        self, description: str, total: int | None = None, *, console: Console | None = None
    ) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task(description, total=total)
        self.completed = 0

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def __call__(self, done: int, total: int | None = None) -> None:
        """Report that ``done`` records are finished (of ``total``, when known)."""
        self.completed = done
        self._progress.update(self._task, completed=done, total=total)

    def advance(self, count: int = 1) -> None:
        """Report ``count`` more records finished."""
        self.completed += count
        self._progress.update(self._task, completed=self.completed)

    def track(self, items: Iterable[T], *, every: int = 100) -> Iterator[T]:
        """Yield ``items``, advancing the bar as they are consumed.

        The bar is updated every ``every`` items and at the end, so tracking
        costs next to nothing per item.
        """
        pending = 0
        for item in items:
            yield item
            pending += 1
            if pending >= every:
                self.advance(pending)
                pending = 0
        if pending:
            self.advance(pending)
