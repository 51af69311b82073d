"""Pytest fixtures for real servers, started lazily once per session, stopped at its end.

Registered from the repository's root ``conftest.py`` (``pytest_plugins``). Fixtures:

``postgres_url`` (str)
    ``postgresql://user:pass@127.0.0.1:PORT/db`` (password auth over TCP).
``postgres_info`` (:class:`~tests.services.postgres.PostgresInfo`)
    The same server as host/port/user/password/database and ``options()``.
``elasticsearch_url`` (str)
    ``http://127.0.0.1:PORT`` of a single-node Elasticsearch 8.x without security.
``s3_server`` (:class:`~tests.services.s3.S3Endpoint`)
    Parametrised over ``seaweedfs`` and ``moto`` (test ids ``[seaweedfs]``, ``[moto]``).

``DATAKNOBS_TEST_POSTGRES_URL``, ``DATAKNOBS_TEST_ES_URL`` and ``DATAKNOBS_TEST_S3_ENDPOINT``
(+ ``_ACCESS_KEY``/``_SECRET_KEY``/``_REGION``) use existing servers instead (the S3 parameter
is then ``external``); ``DATAKNOBS_TEST_S3_SERVERS=moto`` limits the provisioned S3 servers.
A server that cannot be provisioned skips the test, or fails it when
``DATAKNOBS_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NoReturn

import pytest

from ._common import INSTALL_HINT, env_flag
from .elasticsearch import ENV_URL as ES_ENV_URL
from .elasticsearch import ElasticsearchServer
from .postgres import ENV_URL as PG_ENV_URL
from .postgres import PostgresInfo, PostgresServer
from .s3 import ENV_ENDPOINT, S3_KINDS, S3Endpoint, server_for

REQUIRE_ENV = "DATAKNOBS_REQUIRE_SERVICES"
S3_SERVERS_ENV = "DATAKNOBS_TEST_S3_SERVERS"


def _unavailable(service: str, error: BaseException, env_var: str) -> NoReturn:
    message = f"{service} test server unavailable: {error}"
    if env_flag(REQUIRE_ENV):
        pytest.fail(f"{message}\n({REQUIRE_ENV}=1, so this is a failure)", pytrace=False)
    pytest.skip(f"{message}\n-> {INSTALL_HINT}, or set {env_var} to use an existing server")


def s3_params() -> list[str]:
    """The S3 servers the ``s3_server`` fixture is parametrised over."""
    if os.environ.get(ENV_ENDPOINT):
        return ["external"]
    chosen = os.environ.get(S3_SERVERS_ENV, "")
    kinds = [k.strip() for k in chosen.split(",") if k.strip()] or list(S3_KINDS)
    unknown = [k for k in kinds if k not in S3_KINDS]
    if unknown:
        raise pytest.UsageError(
            f"{S3_SERVERS_ENV} names unknown S3 servers {unknown}; choose from {S3_KINDS}"
        )
    return kinds


@pytest.fixture(scope="session")
def postgres_info() -> Iterator[PostgresInfo]:
    """A PostgreSQL server for the session: external (env) or provisioned here."""
    external = os.environ.get(PG_ENV_URL)
    if external:
        yield PostgresInfo.from_url(external)
        return
    server = PostgresServer()
    try:
        info = server.start()
    except Exception as exc:  # ServiceUnavailable, or anything unforeseen while starting
        _unavailable("PostgreSQL", exc, PG_ENV_URL)
    try:
        yield info
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_info: PostgresInfo) -> str:
    """``postgresql://user:pass@127.0.0.1:PORT/dbname`` of the session's server."""
    return postgres_info.url


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of the session's Elasticsearch 8.x (external or provisioned)."""
    external = os.environ.get(ES_ENV_URL)
    if external:
        yield external.rstrip("/")
        return
    server = ElasticsearchServer()
    try:
        url = server.start()
    except Exception as exc:  # ServiceUnavailable, or anything unforeseen while starting
        _unavailable("Elasticsearch", exc, ES_ENV_URL)
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session", params=s3_params())
def s3_server(request: pytest.FixtureRequest) -> Iterator[S3Endpoint]:
    """An S3-compatible server (``seaweedfs`` / ``moto`` / ``external``) and credentials."""
    kind: str = request.param
    if kind == "external":
        endpoint = S3Endpoint.from_env()
        assert endpoint is not None
        yield endpoint
        return
    server = server_for(kind)
    try:
        endpoint = server.start()
    except Exception as exc:  # ServiceUnavailable, or anything unforeseen while starting
        _unavailable(f"S3 ({kind})", exc, ENV_ENDPOINT)
    try:
        yield endpoint
    finally:
        server.stop()
