"""Bounded concurrency for blocking S3 requests: a thread pool and two ways to use it."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["Failed", "RequestPool"]

T = TypeVar("T")
R = TypeVar("R")


class Failed:
    """The exception one item of a batch ended with (kept, not raised, so all items finish)."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class RequestPool:
    """At most ``size`` requests in flight at once."""

    def __init__(self, size: int, name: str) -> None:
        self.size = size
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)

    def run_all(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R | Failed]:
        """``fn`` of every item, in input order; an item's exception becomes :class:`Failed`."""

        def attempt(item: T) -> R | Failed:
            try:
                return fn(item)
            except Exception as exc:
                return Failed(exc)

        if len(items) == 1:  # no thread hop for single-record calls
            return [attempt(items[0])]
        return list(self._executor.map(attempt, items))

    def ordered(
        self, fn: Callable[[T], R], items: Iterable[T], window: int
    ) -> Generator[R, None, None]:
        """``fn`` of each item in input order, with at most ``window`` results pending.

        The first exception is raised (after the items before it were yielded);
        closing the iterator cancels what is still queued.
        """
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(self._executor.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Wait for running requests and stop the threads."""
        self._executor.shutdown(wait=True, cancel_futures=True)
