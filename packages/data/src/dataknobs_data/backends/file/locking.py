"""An inter-process lock: ``fcntl.flock`` on a sidecar ``<file>.lock``.

Readers take it shared, writers exclusive. flock locks belong to an open
file description, so each store keeps its own descriptor; a thread lock
serialises the threads of one process on top of it.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

__all__ = ["FileLock"]


class FileLock:
    """Shared/exclusive lock on ``<path>.lock`` (created on first use, never removed)."""

    def __init__(self, path: Path) -> None:
        self.lock_path = path.with_name(path.name + ".lock")
        self._fd: int | None = None
        self._thread_lock = threading.RLock()
        self._depth = 0

    def _descriptor(self) -> int:
        if self._fd is None:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        return self._fd

    @contextmanager
    def _hold(self, mode: int) -> Iterator[None]:
        with self._thread_lock:
            if self._depth:
                # Re-entered by this thread: an exclusive holder may do anything;
                # a shared holder asking for exclusive upgrades (flock converts).
                if mode == fcntl.LOCK_EX:
                    fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            fd = self._descriptor()
            fcntl.flock(fd, mode)
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)

    def shared(self) -> AbstractContextManager[None]:
        """Hold the lock shared (other readers allowed, no writer)."""
        return self._hold(fcntl.LOCK_SH)

    def exclusive(self) -> AbstractContextManager[None]:
        """Hold the lock exclusively (no other reader or writer)."""
        return self._hold(fcntl.LOCK_EX)

    def close(self) -> None:
        """Release the descriptor."""
        with self._thread_lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
