"""The file backend's options and how format and compression follow from the path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dataknobs_data.errors import ConfigurationError

__all__ = ["FORMATS", "FileOptions", "Resolved", "resolve"]

FORMATS = ("json", "jsonl", "csv", "parquet")
Format = Literal["json", "jsonl", "csv", "parquet"]
Compression = Literal["none", "gzip", "zstd"]

_FORMAT_SUFFIXES = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_COMPRESSION_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}


@dataclass(frozen=True)
class FileOptions:
    """Options of :class:`~dataknobs_data.backends.file.FileDatabase`.

    Attributes:
        path: The data file. Its folder is created on the first write.
        format: json, jsonl, csv or parquet; default from the extension.
        compression: none, gzip or zstd; default from the extension
            (``people.jsonl.gz``). For parquet it is the parquet codec
            (unset: parquet's default, snappy) and the file stays plain parquet.
        fsync: Flush every write to disk before returning (durable; slower).
        compact_on_close: Rewrite a jsonl/csv log without superseded lines on close.
        buffer_size: json/parquet: pending writes that trigger an automatic flush.
        row_group_size: parquet: rows per row group (smaller groups prune better).
    """

    path: Path
    format: Format | None = None
    compression: Compression | None = None
    fsync: bool = True
    compact_on_close: bool = True
    buffer_size: int = 1_000_000
    row_group_size: int = 65_536


@dataclass(frozen=True)
class Resolved:
    """Format and compression decided for one file."""

    path: Path
    format: str
    compression: str | None


def resolve(options: FileOptions) -> Resolved:
    """Decide the format and compression from the options and the file's extension.

    Example:
        >>> r = resolve(FileOptions(path=Path("people.jsonl.gz")))
        >>> r.format, r.compression
        ('jsonl', 'gzip')
    """
    path = Path(options.path)
    suffixes = [s.lower() for s in path.suffixes]
    compression = options.compression
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        if compression is None:
            compression = _COMPRESSION_SUFFIXES[suffixes[-1]]  # type: ignore[assignment]
        suffixes = suffixes[:-1]
    fmt = options.format
    if fmt is None:
        found = _FORMAT_SUFFIXES.get(suffixes[-1]) if suffixes else None
        if found is None:
            raise ConfigurationError(
                f"cannot tell the file format of {str(path)!r} from its extension; "
                f"set the 'format' option to one of {', '.join(FORMATS)}"
            )
        fmt = found  # type: ignore[assignment]
    if options.buffer_size < 1 or options.row_group_size < 1:
        raise ConfigurationError("buffer_size and row_group_size must be at least 1")
    if fmt != "parquet" and compression is None:
        compression = "none"
    return Resolved(path=path, format=str(fmt), compression=compression)
