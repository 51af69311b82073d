"""Tiny packages that extend dataknobs through entry points, installed by the tests."""
