"""Atomic file replacement: temp file in the same folder, fsync, os.replace, fsync the folder.

A crash at any point leaves either the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["append_bytes", "atomic_write", "fsync_dir"]


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _file_mode(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(path: Path, *, fsync: bool = True) -> Iterator[BinaryIO]:
    """Write a new version of ``path``; it replaces the old one only if the block succeeds.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
        >>> with atomic_write(target) as f:
        ...     _ = f.write(b"hello")
        >>> target.read_bytes()
        b'hello'
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    mode = _file_mode(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    if fsync:
        fsync_dir(folder)


def append_bytes(path: Path, data: bytes, *, fsync: bool = True) -> int:
    """Append ``data`` with one ``write`` call (a killed process writes all or nothing).

    Returns:
        The file's size after the append.
    """
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if fsync:
            os.fsync(fd)
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if created and fsync:
        fsync_dir(path.parent)
    return size
