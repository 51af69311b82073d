"""S3Database and AsyncS3Database: thin faces over :class:`~.store.S3Store`."""

from __future__ import annotations

from typing import Any, ClassVar

from dataknobs_data.backends.s3.keys import KeyCodec
from dataknobs_data.backends.s3.options import S3Options
from dataknobs_data.backends.s3.store import S3Store
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.engine.store import AsyncStoreDatabase, StoreDatabase

__all__ = ["S3_CAPABILITIES", "AsyncS3Database", "S3Database"]

# S3 has no query engine: the store lists and fetches every object and evaluates the
# filter, paging and projection itself with the shared evaluator (query/evaluate.py),
# so they count as native; sorting needs every match first and is left to the core.
S3_CAPABILITIES = Capabilities(
    name="s3",
    sort=False,
    atomic_batches=False,
    max_batch_size=10_000,
)


class _S3Face:
    """What both faces share: options, capabilities, the store, ``explain`` text."""

    options_class: ClassVar[type[Any]] = S3Options
    backend_name: ClassVar[str] = "s3"
    options: S3Options

    def _new_store(self) -> S3Store:
        return S3Store(self.options)

    @property
    def capabilities(self) -> Capabilities:
        """Filters, paging and projection run in the store's scan; sorting in the core."""
        return S3_CAPABILITIES

    def _native_text(self, native: NativeQuery) -> str | None:
        where = f"s3://{self.options.bucket}/{KeyCodec(self.options.prefix).prefix}"
        what = "every object" if native.where is None else "every object, filtered in Python"
        return (
            f"full scan of {where}: list the keys and GET {what} "
            f"({self.options.max_concurrency} requests in parallel; S3 has no index)"
        )


class S3Database(_S3Face, StoreDatabase):
    """Records as JSON objects in an S3 bucket, one object per record.

    Each record is stored at ``<prefix>/<escaped id>.json`` (any id works; see
    :mod:`.keys`) as tagged JSON (:mod:`dataknobs_data.codec`), so every value of the
    value model comes back with its exact type. Reads and writes of a batch run with
    up to ``max_concurrency`` requests in flight; throttling and 5xx answers are
    retried with backoff (``retry_mode``, ``max_attempts``).

    Queries are scans: S3 has no query engine, so ``search``, ``count`` with a filter
    and ``stream`` list the prefix and fetch every object in parallel, evaluating the
    filter in Python; ``explain`` says so. ``count()`` without a filter only lists.
    Without a sort, results come in key order (stable on unchanged data). A scan
    holds at most ``max(batch_size, max_concurrency)`` objects; an object that fails
    to fetch raises an error, one deleted during the scan is simply not returned.

    What is guaranteed under concurrent writers:

    * ``create``/``create_batch`` with conditional writes (servers honouring
      ``If-None-Match: *``: AWS S3, MinIO, SeaweedFS, moto; probed once per database at
      the first write, or set ``conditional_writes``): a create never overwrites an
      existing record, even one created at the same moment by another process. A batch
      writes in parallel; if any record fails (exists, or an error), the records this
      batch wrote are deleted again and the error names the failures. Concurrent readers
      may see those records until the rollback; a failed rollback is named in the error.
    * Without conditional writes the id is checked with HEAD before the PUT: a
      concurrent create of the same id between the two can be overwritten (the last
      writer wins).
    * ``update`` reads the object's ETag and writes with ``If-Match``, retrying when the
      object changed meanwhile; it never recreates a record deleted concurrently (without
      conditional writes it can, in the moment between HEAD and PUT).
    * ``delete`` checks existence with HEAD first, so two concurrent deletes of one id
      may both return True.
    * ``update_batch``, ``upsert_batch`` and ``delete_batch`` are not atomic: on failure
      the error names the records that failed; the others were applied.

    Example:
        >>> db = S3Database(bucket="my-bucket", prefix="people", endpoint_url="http://127.0.0.1:9000")
        >>> db.options.prefix
        'people'
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._store = self._new_store()


class AsyncS3Database(_S3Face, AsyncStoreDatabase):
    """The asynchronous face of :class:`S3Database` (same storage and guarantees).

    Each primitive runs the shared blocking store in a worker thread, so the event
    loop is never blocked; a batch still runs up to ``max_concurrency`` requests at once.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._store = self._new_store()
