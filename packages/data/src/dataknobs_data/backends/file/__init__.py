"""The file backend: one file in json, jsonl, csv or parquet, optionally compressed.

Layout by concern: ``options.py`` (options; format and compression from the
extension), ``formats/`` (one module per format behind two small interfaces),
``log_store.py`` (jsonl/csv: append-only log, compaction), ``snapshot_store.py``
(json/parquet: buffered writes, atomic rewrite on flush), ``locking.py``
(inter-process lock), ``atomic.py`` (crash-safe replace and append),
``compression.py`` (gzip/zstd), ``database.py`` (the sync and async faces),
``urls.py`` (``file://`` URLs).
"""

from dataknobs_data.backends.file.database import AsyncFileDatabase, FileDatabase
from dataknobs_data.backends.file.options import FileOptions

__all__ = ["AsyncFileDatabase", "FileDatabase", "FileOptions"]
