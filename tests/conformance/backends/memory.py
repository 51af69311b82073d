"""The memory backend: the reference case."""

from tests.conformance.harness import BackendCase

CASES = [BackendCase(name="memory", backend="memory", differential_examples=150)]
