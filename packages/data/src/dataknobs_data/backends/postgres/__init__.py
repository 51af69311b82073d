"""The postgres backend: PostgresDatabase and AsyncPostgresDatabase (psycopg 3).

See :mod:`.storage` for the table layout and :mod:`.translate` for the SQL of queries.
"""

from __future__ import annotations

from dataknobs_data.backends.postgres.async_database import AsyncPostgresDatabase
from dataknobs_data.backends.postgres.database import PostgresDatabase
from dataknobs_data.backends.postgres.options import PostgresOptions

__all__ = ["AsyncPostgresDatabase", "PostgresDatabase", "PostgresOptions"]
