"""A tiny third-party backend: the memory store under the name ``demo``, with options.

Registered through the entry-point group ``dataknobs_data.backends`` (see pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass

from dataknobs_data import BackendSpec
from dataknobs_data.backends.memory import AsyncMemoryDatabase, MemoryDatabase

__all__ = ["NEEDS_EXTRA", "SPEC", "AsyncDemoDatabase", "DemoDatabase", "DemoOptions"]


@dataclass(frozen=True)
class DemoOptions:
    """The demo backend's options (none of them changes how records are stored)."""

    table: str = "records"
    port: int | None = None
    label: str = ""
    token: str | None = None  # a secret: never shown in errors or repr


class AsyncDemoDatabase(AsyncMemoryDatabase):
    """The asynchronous face."""

    backend_name = "demo"
    options_class = DemoOptions


class DemoDatabase(MemoryDatabase):
    """The synchronous face; ``async_class`` tells the factory about the other one."""

    backend_name = "demo"
    options_class = DemoOptions
    async_class = AsyncDemoDatabase


SPEC = BackendSpec(
    "demo-spec",
    "dataknobs_plugin_demo:DemoDatabase",
    "dataknobs_plugin_demo:AsyncDemoDatabase",
)
"""The same backend described by a spec instead of a class."""

NEEDS_EXTRA = BackendSpec(
    "demo-needs-extra",
    "dataknobs_plugin_demo.needs_extra:NeedsExtraDatabase",
    install="dataknobs-plugin-demo[fast]",
)
"""A backend whose module imports a package that is not installed."""
