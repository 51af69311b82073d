"""Building the elasticsearch-py clients, and turning their errors into ours.

The async client needs an asynchronous HTTP node. elasticsearch-py ships
nodes for aiohttp and httpx, which are optional extras; when neither is
installed, :class:`ThreadedAsyncNode` runs the standard urllib3 node in a
worker thread, so the event loop never blocks on the network.
"""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

from elastic_transport import (
    ApiError as TransportApiError,
)
from elastic_transport import (
    BaseAsyncNode,
    ConnectionTimeout,
    HttpHeaders,
    NodeConfig,
    TransportError,
    Urllib3HttpNode,
)
from elastic_transport import (
    ConnectionError as TransportConnectionError,
)
from elastic_transport import (
    SerializationError as TransportSerializationError,
)
from elastic_transport.client_utils import DEFAULT, DefaultType
from elasticsearch import ApiError, AuthenticationException, AuthorizationException

from dataknobs_data.backends.elasticsearch.calls import EsCall
from dataknobs_data.backends.elasticsearch.options import ElasticsearchOptions
from dataknobs_data.errors import (
    DatabaseConnectionError,
    DatabaseError,
    QueryError,
    SerializationError,
)

__all__ = ["ThreadedAsyncNode", "async_node_class", "client_kwargs", "translate_error"]


class ThreadedAsyncNode(BaseAsyncNode):
    """An async node that performs each request with urllib3 in a worker thread."""

    _CLIENT_META_HTTP_CLIENT = Urllib3HttpNode._CLIENT_META_HTTP_CLIENT

    def __init__(self, config: NodeConfig) -> None:
        super().__init__(config)
        self._node = Urllib3HttpNode(config)

    async def perform_request(  # type: ignore[override]
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ) -> Any:
        """Run the request on a worker thread."""
        return await asyncio.to_thread(
            self._node.perform_request,
            method,
            target,
            body=body,
            headers=headers,
            request_timeout=request_timeout,
        )

    async def close(self) -> None:  # type: ignore[override]
        """Close the connection pool."""
        self._node.close()


def async_node_class() -> Any:
    """The aiohttp node when aiohttp is installed, else :class:`ThreadedAsyncNode`."""
    if importlib.util.find_spec("aiohttp") is not None:
        return "aiohttp"
    return ThreadedAsyncNode


def client_kwargs(options: ElasticsearchOptions) -> dict[str, Any]:
    """Keyword arguments shared by ``Elasticsearch`` and ``AsyncElasticsearch``."""
    kwargs: dict[str, Any] = {
        "hosts": options.host_list,
        "request_timeout": options.request_timeout,
        "max_retries": options.max_retries,
        "retry_on_timeout": False,
        "verify_certs": options.verify_certs,
    }
    if options.ca_certs:
        kwargs["ca_certs"] = options.ca_certs
    if options.api_key is not None:
        kwargs["api_key"] = options.api_key
    if options.basic_auth is not None:
        kwargs["basic_auth"] = tuple(options.basic_auth)
    return kwargs


def translate_error(exc: Exception, call: EsCall, options: ElasticsearchOptions) -> Exception:
    """The dataknobs error for a client error; never shows credentials."""
    where = f"Elasticsearch at {options.safe_hosts}"
    if isinstance(exc, AuthenticationException | AuthorizationException):
        return DatabaseConnectionError(
            f"{where} refused the credentials ({exc.meta.status}) for {call.api} on "
            f"index {options.index!r}; check api_key / basic_auth and the user's privileges"
        )
    if isinstance(exc, TransportConnectionError | ConnectionTimeout):
        kind = "timed out" if isinstance(exc, ConnectionTimeout) else "is unreachable"
        return DatabaseConnectionError(
            f"{where} {kind} ({type(exc).__name__}); check that the server runs and the "
            f"hosts option is right"
        )
    if isinstance(exc, TransportSerializationError):
        return SerializationError(f"{where}: a request or response could not be encoded: {exc}")
    if isinstance(exc, ApiError | TransportApiError):
        reason = _reason(exc)
        status = getattr(getattr(exc, "meta", None), "status", None)
        if status == 400 and call.api in ("search", "count"):
            return QueryError(f"{where} rejected the query on index {options.index!r}: {reason}")
        if status == 404:
            return DatabaseError(
                f"{where}: index {options.index!r} not found ({reason}); it was deleted "
                "while in use — reconnect to recreate it"
            )
        return DatabaseError(f"{where}: {call.api} failed ({status}): {reason}")
    if isinstance(exc, TransportError):
        return DatabaseConnectionError(f"{where}: transport error {type(exc).__name__}")
    return exc


def _reason(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            causes = error.get("root_cause") or [error]
            cause = causes[0] if isinstance(causes, list) and causes else error
            return f"{cause.get('type')}: {cause.get('reason')}"
    return str(getattr(exc, "message", exc))
