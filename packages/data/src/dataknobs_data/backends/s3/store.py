"""S3Store: the backend's primitives over one bucket prefix, written once for both faces.

Every request is a blocking boto3 call; batches run on a bounded
:class:`~.parallel.RequestPool`. :class:`~.database.S3Database` calls the store
directly, :class:`~.database.AsyncS3Database` from a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator, Sequence
from itertools import islice
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from dataknobs_data.backends.s3.body import CONTENT_TYPE, decode_record, encode_record
from dataknobs_data.backends.s3.client import (
    check_bucket,
    make_client,
    probe_conditional_writes,
)
from dataknobs_data.backends.s3.errors import (
    Where,
    is_not_found,
    is_precondition_failed,
    translate_error,
)
from dataknobs_data.backends.s3.keys import KeyCodec
from dataknobs_data.backends.s3.options import S3Options
from dataknobs_data.backends.s3.parallel import Failed, RequestPool
from dataknobs_data.engine.ops import StreamWindow
from dataknobs_data.engine.planner import NativeQuery, QueryPlan
from dataknobs_data.engine.store import BlockingStore
from dataknobs_data.errors import DatabaseError, DuplicateRecordError
from dataknobs_data.records import Record

__all__ = ["S3Store"]

_BOTO_ERRORS = (ClientError, BotoCoreError)
_DELETE_CHUNK = 1000  # the most keys one DeleteObjects request takes
_UPDATE_ATTEMPTS = 10


class S3Store(BlockingStore):
    """One object per record under ``prefix`` in ``bucket``; see :class:`S3Database`."""

    def __init__(self, options: S3Options) -> None:
        self.options = options
        self.keys = KeyCodec(options.prefix)
        self.where = Where(options.bucket, self.keys.prefix, options.endpoint_url)
        self._bucket = options.bucket
        self._conditional = options.conditional_writes
        self._probe_lock = threading.Lock()
        self._client: Any = None
        self._pool: RequestPool | None = None

    # -- lifecycle --------------------------------------------------------------
    def connect(self) -> None:
        """Build the client, check the bucket and credentials, start the request pool."""
        client = make_client(self.options)
        try:
            check_bucket(client, self.options, self.where)
        except BaseException:
            client.close()
            raise
        self._client = client
        self._pool = RequestPool(self.options.max_concurrency, "dataknobs-s3")

    def close(self) -> None:
        """Stop the pool and close the client's connections."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def pool(self) -> RequestPool:
        """The request pool (the store must be connected)."""
        if self._pool is None:
            raise DatabaseError("the S3 database is closed; connect() it first")
        return self._pool

    def conditional_writes(self) -> bool:
        """Whether the server honours conditional PutObject; probed once when not configured."""
        if self._conditional is None:
            with self._probe_lock:
                if self._conditional is None:
                    self._conditional = probe_conditional_writes(
                        self._client, self._bucket, self.keys.prefix, self.where
                    )
        return self._conditional

    # -- single requests (run on pool threads) ------------------------------------
    def _fetch(self, key: str) -> Record | None:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if is_not_found(exc):
                return None
            raise
        with response["Body"] as body:
            data = body.read()
        return decode_record(data, key)

    def _read(self, record_id: str) -> Record | None:
        record = self._fetch(self.keys.key(record_id))
        # A hashed key's body names its id; anything else there is not this record.
        return record if record is not None and record.id == record_id else None

    def _etag(self, record_id: str) -> str | None:
        try:
            response = self._client.head_object(Bucket=self._bucket, Key=self.keys.key(record_id))
        except ClientError as exc:
            if is_not_found(exc):
                return None
            raise
        return str(response["ETag"])

    def _put(self, record: Record, **conditions: str) -> None:
        assert record.id is not None
        self._client.put_object(
            Bucket=self._bucket,
            Key=self.keys.key(record.id),
            Body=encode_record(record),
            ContentType=CONTENT_TYPE,
            **conditions,
        )

    def _put_new(self, record: Record) -> None:
        self._put(record, IfNoneMatch="*")

    def _replace(self, record: Record) -> bool:
        assert record.id is not None
        for _ in range(_UPDATE_ATTEMPTS):
            etag = self._etag(record.id)
            if etag is None:
                return False
            if not self.conditional_writes():
                self._put(record)
                return True
            try:
                self._put(record, IfMatch=etag)
                return True
            except ClientError as exc:
                # Changed or deleted since the HEAD: look again.
                if not (is_precondition_failed(exc) or is_not_found(exc)):
                    raise
        raise DatabaseError(
            f"record {record.id!r} changed on every one of {_UPDATE_ATTEMPTS} update attempts"
        )

    def _delete_chunk(self, keys: list[str]) -> list[str]:
        """Delete up to 1000 keys; return the keys that could not be deleted."""
        if not keys:
            return []
        response = self._client.delete_objects(
            Bucket=self._bucket,
            Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True},
        )
        return [str(e.get("Key")) for e in response.get("Errors", [])]

    def _delete_keys(self, keys: Sequence[str]) -> list[str]:
        chunks = [list(keys[i : i + _DELETE_CHUNK]) for i in range(0, len(keys), _DELETE_CHUNK)]
        failed: list[str] = []
        outcomes = self.pool.run_all(self._delete_chunk, chunks)
        for chunk, outcome in zip(chunks, outcomes, strict=True):
            failed.extend(chunk if isinstance(outcome, Failed) else outcome)
        return failed

    def list_keys(self) -> Iterator[str]:
        """Record keys under the prefix, in key order (sub-folders and other objects skipped)."""
        paginator = self._client.get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=self._bucket, Prefix=self.keys.prefix, Delimiter="/")
        is_record_key = self.keys.is_record_key
        try:
            for page in pages:
                for entry in page.get("Contents", ()):
                    key = entry["Key"]
                    if is_record_key(key):
                        yield key
        except _BOTO_ERRORS as exc:
            raise translate_error(exc, self.where, "listing records") from None

    # -- primitives ----------------------------------------------------------------
    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Records for ids, in order; None where absent."""
        outcomes = self.pool.run_all(self._read, ids)
        self._raise_failures(ids, outcomes, "reading")
        return outcomes  # type: ignore[return-value]

    def exists_many(self, ids: list[str]) -> list[bool]:
        """Whether each id exists (HEAD requests)."""
        outcomes = self.pool.run_all(self._etag, ids)
        self._raise_failures(ids, outcomes, "checking")
        return [etag is not None for etag in outcomes]

    def insert_many(self, records: list[Record]) -> None:
        """Create all records or none; see :class:`S3Database` for the guarantees."""
        ids = [str(r.id) for r in records]
        if self.conditional_writes():
            outcomes = self.pool.run_all(self._put_new, records)
        else:
            existing = [i for i, hit in zip(ids, self.exists_many(ids), strict=True) if hit]
            if existing:
                raise DuplicateRecordError(existing)
            outcomes = self.pool.run_all(self._put, records)
        failed = [(i, o.error) for i, o in zip(ids, outcomes, strict=True) if isinstance(o, Failed)]
        if not failed:
            return
        written = [i for i, o in zip(ids, outcomes, strict=True) if not isinstance(o, Failed)]
        kept = self._delete_keys([self.keys.key(i) for i in written])
        duplicates = [i for i, error in failed if is_precondition_failed(error)]
        others = [(i, e) for i, e in failed if not is_precondition_failed(e)]
        if not others and not kept:
            raise DuplicateRecordError(duplicates)
        note = (
            f"; {len(kept)} records written by this batch could not be rolled back: {kept[:5]!r}"
            if kept
            else "; the records written by this batch were deleted again"
        )
        if duplicates:
            note = f"; ids that already exist: {duplicates[:5]!r}{note}"
        raise self._batch_error(len(records), others, "creating", note)

    def update_many(self, records: list[Record]) -> list[bool]:
        """Replace existing records; False for ids that do not exist."""
        outcomes = self.pool.run_all(self._replace, records)
        self._raise_failures([str(r.id) for r in records], outcomes, "updating")
        return outcomes  # type: ignore[return-value]

    def upsert_many(self, records: list[Record]) -> None:
        """Write every record, replacing what is there."""
        outcomes = self.pool.run_all(self._put, records)
        self._raise_failures([str(r.id) for r in records], outcomes, "writing")

    def delete_many(self, ids: list[str]) -> list[bool]:
        """Delete records; False for ids that did not exist."""
        found = self.exists_many(ids)
        doomed = [self.keys.key(i) for i, hit in zip(ids, found, strict=True) if hit]
        try:
            kept = self._delete_keys(doomed)
        except _BOTO_ERRORS as exc:
            raise translate_error(exc, self.where, "deleting records") from None
        if kept:
            raise DatabaseError(f"could not delete {len(kept)} objects of {self.where}: {kept[:5]}")
        return found

    def clear(self) -> int:
        """Delete every record object under the prefix; return how many there were."""
        keys = self.list_keys()
        chunks = iter(lambda: list(islice(keys, _DELETE_CHUNK)), [])

        def delete(chunk: list[str]) -> tuple[int, list[str]]:
            return len(chunk), self._delete_chunk(chunk)

        total = 0
        try:
            for size, kept in self.pool.ordered(delete, chunks, self.pool.size):
                total += size - len(kept)
                if kept:
                    raise DatabaseError(
                        f"could not delete {len(kept)} objects of {self.where}: {kept[:5]}"
                    )
        except _BOTO_ERRORS as exc:
            raise translate_error(exc, self.where, "clearing records") from None
        return total

    def count(self, native: NativeQuery) -> int:
        """Count matching records: a listing without a filter, else a scan."""
        if native.where is None:
            return sum(1 for _ in self.list_keys())
        return sum(len(batch) for batch in self.scan(native, 1000))

    def scan(self, native: NativeQuery, batch_size: int) -> Generator[list[Record], None, None]:
        """Stream matching records in key order, fetching in parallel.

        At most ``max(batch_size, max_concurrency)`` objects are in flight or
        waiting; a failed fetch raises (the result is never silently short), an
        object deleted between the listing and its fetch is skipped.
        """
        window = StreamWindow(_python_plan(native))
        if window.done:
            return
        step = min(batch_size, self.pool.size)
        in_flight = max(batch_size, self.pool.size)
        fetched = self.pool.ordered(self._fetch, self.list_keys(), in_flight)
        out: list[Record] = []
        chunk: list[Record] = []
        try:
            for record in fetched:
                if record is not None:
                    chunk.append(record)
                if len(chunk) >= step:
                    out.extend(window.process(chunk))
                    chunk = []
                    if window.done:
                        break
                    if len(out) >= batch_size:
                        yield out
                        out = []
            else:
                out.extend(window.process(chunk))
        except _BOTO_ERRORS as exc:
            raise translate_error(exc, self.where, "scanning records") from None
        finally:
            fetched.close()
        if out:
            yield out

    # -- errors --------------------------------------------------------------------
    def _raise_failures(self, ids: Sequence[str], outcomes: Sequence[object], action: str) -> None:
        failed = [(i, o.error) for i, o in zip(ids, outcomes, strict=True) if isinstance(o, Failed)]
        if failed:
            raise self._batch_error(len(ids), failed, action, "")

    def _batch_error(
        self, total: int, failed: list[tuple[str, BaseException]], action: str, note: str
    ) -> DatabaseError:
        errors = [translate_error(e, self.where, f"{action} records") for _, e in failed]
        if total == 1 and not note:
            return errors[0]
        kinds = {type(e) for e in errors}
        cls = kinds.pop() if len(kinds) == 1 else DatabaseError
        named = "; ".join(f"{i!r}: {e}" for (i, _), e in list(zip(failed, errors, strict=True))[:3])
        more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
        return cls(f"{len(failed)} of {total} records failed while {action}: {named}{more}{note}")


def _python_plan(native: NativeQuery) -> QueryPlan:
    # The store evaluates the native part with the shared evaluator: reuse the core's
    # streaming window (filter, offset/limit, projection) by presenting it as a residual.
    return QueryPlan(
        backend="s3",
        native=NativeQuery(),
        residual=native.where,
        python_sort=(),
        python_offset=native.offset,
        python_limit=native.limit,
        python_projection=native.projection,
    )
