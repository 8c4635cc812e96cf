"""nanoctl's entrypoints: the cleo CLI, the container, and a Python API."""

__version__ = "0.1.0"
