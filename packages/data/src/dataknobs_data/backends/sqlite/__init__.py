"""The SQLite backend (``backend: sqlite``), the embedded default: stdlib sqlite3, WAL.

Layout and SQL translation are described in :mod:`.storage` and :mod:`.translate`.
"""

from dataknobs_data.backends.sqlite.database import (
    SQLITE_CAPABILITIES,
    AsyncSQLiteDatabase,
    SQLiteDatabase,
)
from dataknobs_data.backends.sqlite.options import SQLiteOptions

__all__ = ["SQLITE_CAPABILITIES", "AsyncSQLiteDatabase", "SQLiteDatabase", "SQLiteOptions"]
