"""A backend module that needs an optional package the environment does not have."""

from __future__ import annotations

import dataknobs_demo_accelerator  # type: ignore[import-not-found]  # deliberately absent

from dataknobs_data.backends.memory import MemoryDatabase

__all__ = ["NeedsExtraDatabase"]


class NeedsExtraDatabase(MemoryDatabase):
    """Never importable here."""

    accelerator = dataknobs_demo_accelerator
