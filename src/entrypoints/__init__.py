"""nanoctl's entrypoints: the cleo CLI, the container (the one composition root), the Python API."""
