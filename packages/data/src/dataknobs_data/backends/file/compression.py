"""Whole-stream compression for the row and json formats: gzip and zstd.

Appends add a complete gzip member or zstd frame; readers decompress
concatenated members/frames as one stream, so an appended log stays one file.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import Any, BinaryIO, cast

__all__ = ["DECOMPRESSION_ERRORS", "LimitedReader", "compress", "open_reader", "open_writer"]


def _zstd() -> object:
    try:
        import zstandard
    except ImportError as exc:  # pragma: no cover - zstandard is in the file extra
        from dataknobs_data.errors import BackendNotAvailableError

        raise BackendNotAvailableError(
            "zstd compression needs the zstandard package: pip install 'dataknobs-data[file]'"
        ) from exc
    return zstandard


def _decompression_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [EOFError, zlib.error, gzip.BadGzipFile]
    try:
        import zstandard

        errors.append(zstandard.ZstdError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


DECOMPRESSION_ERRORS = _decompression_errors()


class LimitedReader(io.RawIOBase):
    """Reads at most ``limit`` bytes of ``raw`` (a snapshot of a growing file)."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self._raw = raw
        self._left = limit

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` without passing the limit."""
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        n = cast(Any, self._raw).readinto(view)
        n = int(n or 0)
        self._left -= n
        return n


def open_reader(raw: BinaryIO, compression: str | None) -> BinaryIO:
    """A buffered binary stream of the decompressed content of ``raw``."""
    if compression in (None, "none"):
        return raw
    if compression == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))
    return cast(BinaryIO, io.BufferedReader(_ZstdFrames(raw), 1 << 16))


def compress(data: bytes, compression: str | None) -> bytes:
    """``data`` as one complete gzip member or zstd frame (or unchanged)."""
    if compression in (None, "none"):
        return data
    if compression == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    zstandard: Any = _zstd()
    return cast(bytes, zstandard.ZstdCompressor().compress(data))


def open_writer(raw: BinaryIO, compression: str | None) -> BinaryIO:
    """A binary stream that compresses into ``raw``; close it to finish the stream."""
    if compression in (None, "none"):
        return cast(BinaryIO, _Unclosing(raw))
    if compression == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0))
    zstandard: Any = _zstd()
    writer = zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
    return cast(BinaryIO, writer)


class _ZstdFrames(io.RawIOBase):
    """Decompresses concatenated zstd frames; a frame cut short raises EOFError."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._zstandard: Any = _zstd()
        self._frame: Any = None
        self._out = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._frame is not None and not self._frame.eof:
                    raise EOFError("zstd data ends in the middle of a frame")
                return 0
            while chunk:
                if self._frame is None or self._frame.eof:
                    self._frame = self._zstandard.ZstdDecompressor().decompressobj()
                self._out += self._frame.decompress(chunk)
                chunk = self._frame.unused_data if self._frame.eof else b""
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n


class _Unclosing(io.RawIOBase):
    """Passes writes through; closing it leaves the underlying file open."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return self._raw.write(data)
