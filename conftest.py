"""Repository-wide pytest setup: registers the real-server fixtures of ``tests.services``.

The suite runs with ``--import-mode=importlib``, which does not put the repository root on
``sys.path``; it is added here so that ``tests.services`` imports as a package.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

pytest_plugins = ["tests.services.plugin"]
