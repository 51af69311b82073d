"""Benchmarks: dataknobs beside the raw driver doing the same work."""
