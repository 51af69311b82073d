"""The vocabulary between the I/O-free operations and the two client faces.

An operation is a generator that yields :class:`EsCall` requests and receives
each response body (a dict, or a bool for HEAD requests); scans also yield
:class:`Batch` items for the caller. The sync face answers with
``Elasticsearch``, the async face with ``AsyncElasticsearch``; nothing else
differs between them.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dataknobs_data.records import Record

__all__ = ["Batch", "Context", "Cursor", "EsCall", "ScanStep", "Step"]

T = TypeVar("T")


@dataclass(frozen=True)
class EsCall:
    """One client request: ``api`` is a dotted client method (``"indices.refresh"``).

    ``ignore_status`` lists HTTP statuses whose error body is returned as the
    result instead of raising (e.g. 404 while probing for the index).
    """

    api: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    ignore_status: tuple[int, ...] = ()


@dataclass(frozen=True)
class Batch:
    """Records a scan hands to its caller."""

    records: list[Record]


Step = Generator[EsCall, Any, T]
ScanStep = Generator[EsCall | Batch, Any, None]


@dataclass(frozen=True)
class Context:
    """What the operations need to know about the index and the options."""

    index: str
    refresh: bool
    bulk_chunk_size: int
    bulk_max_bytes: int
    id_chunk_size: int
    keep_alive: str
    window: int = 10_000


@dataclass
class Cursor:
    """A point in time opened by a scan; the face closes it if the scan stops early."""

    pit_id: str | None = None

    def close_call(self) -> EsCall | None:
        """The request that releases the point in time, if one is open."""
        if self.pit_id is None:
            return None
        call = EsCall("close_point_in_time", {"id": self.pit_id}, ignore_status=(404,))
        self.pit_id = None
        return call
