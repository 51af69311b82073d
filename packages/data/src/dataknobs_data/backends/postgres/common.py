"""What PostgresDatabase and AsyncPostgresDatabase share: statements, rows, errors.

Everything here is free of I/O; the two faces only execute what it builds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import psycopg
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.adapt import Loader

from dataknobs_common.secrets import redact_text
from dataknobs_data.backends.postgres.copy_text import copy_chunks
from dataknobs_data.backends.postgres.options import PostgresOptions
from dataknobs_data.backends.postgres.schema import (
    functions_present_query,
    index_statements,
    setup_lock_statement,
    setup_statements,
)
from dataknobs_data.backends.postgres.storage import (
    decode_document,
    encode_data,
    encode_document,
    restore_order,
)
from dataknobs_data.backends.postgres.translate import Translator, can_push
from dataknobs_data.engine.base import DatabaseBase
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DatabaseConnectionError, DatabaseError, DuplicateRecordError
from dataknobs_data.query.filters import Filter
from dataknobs_data.records import Record

__all__ = [
    "ICU_COLLATION",
    "DocumentLoader",
    "PostgresCommon",
    "SQLText",
    "Statement",
    "configure_connection",
]

ICU_COLLATION = "und-x-icu"
SQLText = sql.SQL | sql.Composed
Statement = tuple[SQLText, Sequence[Any]]
Row = tuple[str, dict[str, Any], dict[str, Any], str | None]

_LAYOUT_COLUMNS = "id text, data jsonb, metadata jsonb, field_order text"
# Up to this many records, one INSERT beats COPY's extra protocol round trips.
_SMALL_BATCH = 64

_PERMANENT = (
    "password authentication failed",
    "authentication failed",
    "does not exist",
    "no pg_hba.conf entry",
    "permission denied",
    "invalid",
)


class DocumentLoader(Loader):
    """Loads jsonb columns (text format) through :func:`.storage.decode_document`."""

    def load(self, data: Buffer) -> Any:
        """Decode one jsonb value."""
        return decode_document(data)


def configure_connection(conn: psycopg.Connection[Any] | psycopg.AsyncConnection[Any]) -> None:
    """Adapters every connection of the backend uses."""
    conn.adapters.register_loader("jsonb", DocumentLoader)


class PostgresCommon(DatabaseBase):
    """Options, capabilities, planning hooks and SQL building of the postgres faces."""

    options_class: ClassVar[type[Any]] = PostgresOptions
    backend_name: ClassVar[str] = "postgres"
    options: PostgresOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.translator = Translator(self.options.schema, self.options.table, ICU_COLLATION)
        self._capabilities = Capabilities(name="postgres", projection=False, indexes=True)

    @property
    def capabilities(self) -> Capabilities:
        """Every operator, boolean logic, nested paths, sort, paging and count run in SQL."""
        return self._capabilities

    def _can_push(self, condition: Filter) -> bool:
        return can_push(condition)

    def _native_text(self, native: NativeQuery) -> str | None:
        params: list[Any] = []
        query = self.translator.select(native, params)
        text = query.as_string(None)
        return f"{text} -- params: {params!r}" if params else text

    # -- connection ------------------------------------------------------------------
    def _conninfo(self) -> str:
        return self.options.conninfo()

    def _connection_error(self, exc: BaseException) -> DatabaseConnectionError:
        detail = redact_text(str(exc).strip() or type(exc).__name__, self.options.secrets())
        user = self.options.user or "(default user)"
        return DatabaseConnectionError(
            f"cannot connect to PostgreSQL at {self.options.where()} as {user}: {detail}. "
            "Check host, port, database, user and password, and that the server is running."
        )

    def _retry_delays(self) -> Iterator[float]:
        for attempt in range(self.options.connect_retries):
            yield self.options.retry_backoff * (2**attempt)

    @staticmethod
    def _is_transient(exc: BaseException) -> bool:
        if not isinstance(exc, psycopg.OperationalError):
            return False
        text = str(exc).lower()
        return not any(marker in text for marker in _PERMANENT)

    def _setup_lock(self) -> Statement:
        return setup_lock_statement(self.options.schema)

    def _functions_query(self) -> Statement:
        return functions_present_query(self.options.schema)

    def _setup_statements(self, functions_present: bool) -> list[SQLText]:
        o = self.options
        return setup_statements(o.schema, o.table, functions=not functions_present)

    def _layout_query(self) -> Statement:
        query = sql.SQL(
            "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
        )
        return query, (self.options.schema, self.options.table)

    def _check_layout(self, row: tuple[Any, ...] | None) -> None:
        found = row[0] if row else None
        if found != _LAYOUT_COLUMNS:
            raise DatabaseError(
                f"table {self.options.schema}.{self.options.table} exists with columns "
                f"({found}), not the layout of the postgres backend ({_LAYOUT_COLUMNS}); "
                "use another table name, or migrate/drop that table"
            )

    def _collation_query(self) -> Statement:
        return sql.SQL("SELECT 1 FROM pg_collation WHERE collname = %s"), (ICU_COLLATION,)

    def _use_collation(self, available: bool) -> None:
        if not available:
            self.translator = Translator(self.options.schema, self.options.table, None)

    # -- statements ---------------------------------------------------------------------
    @property
    def _table(self) -> sql.Identifier:
        return self.translator.table

    def _get_statement(self, ids: list[str]) -> Statement:
        query = sql.SQL("SELECT id, data, metadata, field_order FROM {} WHERE id = ANY(%s)")
        return query.format(self._table), (ids,)

    def _exists_statement(self, ids: list[str]) -> Statement:
        return sql.SQL("SELECT id FROM {} WHERE id = ANY(%s)").format(self._table), (ids,)

    def _copy_statement(self) -> sql.Composed:
        return sql.SQL("COPY {} (id, data, metadata, field_order) FROM STDIN").format(self._table)

    def _insert_statement(self, records: list[Record]) -> Statement | None:
        """One atomic INSERT for a small batch (None: use COPY, cheaper for big ones)."""
        if len(records) > _SMALL_BATCH:
            return None
        query = sql.SQL(
            "INSERT INTO {} (id, data, metadata, field_order) "
            "SELECT id, data, metadata, o FROM jsonb_to_recordset(%s::jsonb) "
            "AS x(id text, data jsonb, metadata jsonb, o text)"
        )
        return query.format(self._table), (self._recordset(records),)

    def _update_statement(self, records: list[Record]) -> Statement:
        query = sql.SQL(
            "UPDATE {} AS t SET data = v.data, metadata = v.metadata, field_order = v.o "
            "FROM (SELECT * FROM jsonb_to_recordset(%s::jsonb) "
            "AS x(id text, data jsonb, metadata jsonb, o text)) AS v "
            "WHERE t.id = v.id RETURNING t.id"
        )
        return query.format(self._table), (self._recordset(records),)

    def _upsert_statement(self, records: list[Record]) -> Statement:
        query = sql.SQL(
            "INSERT INTO {} (id, data, metadata, field_order) "
            "SELECT id, data, metadata, o FROM jsonb_to_recordset(%s::jsonb) "
            "AS x(id text, data jsonb, metadata jsonb, o text) "
            "ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, metadata = EXCLUDED.metadata, "
            "field_order = EXCLUDED.field_order"
        )
        return query.format(self._table), (self._recordset(records),)

    def _delete_statement(self, ids: list[str]) -> Statement:
        return sql.SQL("DELETE FROM {} WHERE id = ANY(%s) RETURNING id").format(self._table), (ids,)

    def _clear_statements(self) -> tuple[sql.Composed, sql.Composed, sql.Composed]:
        t = self._table
        return (
            sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(t),
            sql.SQL("SELECT count(*) FROM {}").format(t),
            sql.SQL("TRUNCATE {}").format(t),
        )

    def _search_statement(self, native: NativeQuery) -> Statement:
        params: list[Any] = []
        return self.translator.select(native, params), params

    def _count_statement(self, native: NativeQuery) -> Statement:
        params: list[Any] = []
        return self.translator.count(native, params), params

    def _index_statements(self, field: str) -> list[sql.Composed]:
        if not field:
            raise DatabaseError("create_index needs a field name")
        o = self.options
        t = self.translator
        return index_statements(o.schema, o.table, t.field(field), t.text_field(field), field)

    # -- rows -----------------------------------------------------------------------------
    @staticmethod
    def _recordset(records: list[Record]) -> str:
        """A JSON array of rows for ``jsonb_to_recordset`` (one parameter per statement)."""
        items = []
        for r in records:
            data, order = encode_data(r.data)
            meta = encode_document(r.metadata) if r.metadata else "{}"
            order_json = "null" if order is None else json.dumps(order)
            items.append(
                f'{{"id":{json.dumps(r.id)},"data":{data},"metadata":{meta},"o":{order_json}}}'
            )
        return "[" + ",".join(items) + "]"

    @staticmethod
    def _copy_texts(records: list[Record], chunk: int) -> Iterator[str]:
        """COPY text of the rows of a batch, one chunk (one COPY statement) at a time."""
        return copy_chunks(records, chunk)

    @staticmethod
    def _record(row: Row) -> Record:
        return Record._trusted(restore_order(row[1], row[3]), row[0], row[2])

    @classmethod
    def _in_order(cls, ids: list[str], rows: list[Row]) -> list[Record | None]:
        found = {row[0]: row for row in rows}
        return [None if (row := found.get(i)) is None else cls._record(row) for i in ids]

    @staticmethod
    def _duplicate_error(existing: list[str]) -> DuplicateRecordError:
        return DuplicateRecordError(sorted(existing))
