"""Backends, one package per store; import a backend's module to use its classes."""
