"""dataknobs_data: one Record / Field / Query API over many stores.

Example:
    >>> from dataknobs_data import Database, Record, Query
    >>> db = Database.from_backend("memory")
    >>> _ = db.create_batch([Record({"name": n, "age": a}) for n, a in [("Ada", 36), ("Bo", 25)]])
    >>> [r["name"] for r in db.search(Query().filter("age", ">=", 30))]
    ['Ada']
"""

from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.ops import WriteResult
from dataknobs_data.engine.planner import NativeQuery, QueryPlan
from dataknobs_data.errors import (
    BackendNotAvailableError,
    ConfigurationError,
    DatabaseConnectionError,
    DatabaseError,
    DuplicateRecordError,
    QueryError,
    RecordNotFoundError,
    SerializationError,
    ValidationError,
)
from dataknobs_data.factory import BackendSpec, DatabaseFactory, database_factory
from dataknobs_data.fields import Field, FieldType
from dataknobs_data.progress import ProgressCallback
from dataknobs_data.query import And, Filter, Not, Operator, Or, Query, SortOrder, SortSpec
from dataknobs_data.records import Record

__all__ = [
    "And",
    "AsyncDatabase",
    "BackendNotAvailableError",
    "BackendSpec",
    "Capabilities",
    "ConfigurationError",
    "Database",
    "DatabaseConnectionError",
    "DatabaseError",
    "DatabaseFactory",
    "DuplicateRecordError",
    "Field",
    "FieldType",
    "Filter",
    "NativeQuery",
    "Not",
    "Operator",
    "Or",
    "ProgressCallback",
    "Query",
    "QueryError",
    "QueryPlan",
    "Record",
    "RecordNotFoundError",
    "SerializationError",
    "SortOrder",
    "SortSpec",
    "ValidationError",
    "WriteResult",
    "database_factory",
]
