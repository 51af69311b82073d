"""Real test servers (PostgreSQL, Elasticsearch, S3) for the dataknobs test suite.

Pytest fixtures live in :mod:`tests.services.plugin`; the command line is
``python -m tests.services {install,start,check}``. The classes here are plain context
managers, usable from benchmarks too::

    from tests.services import PostgresServer
    with PostgresServer() as pg:
        run_benchmark(pg.url)
"""

from ._common import ServiceUnavailable
from .elasticsearch import ElasticsearchServer
from .postgres import PostgresInfo, PostgresServer
from .s3 import MotoServer, S3Endpoint, SeaweedFSServer, server_for

__all__ = [
    "ElasticsearchServer",
    "MotoServer",
    "PostgresInfo",
    "PostgresServer",
    "S3Endpoint",
    "SeaweedFSServer",
    "ServiceUnavailable",
    "server_for",
]
