"""nanoctl: the command-line client of the Nanoservices platform, and its Python API.

The package is the project's ``src/`` folder: ``nanoctl.domain`` (model, errors, ports,
use cases), ``nanoctl.adapters`` (HTTP, the encrypted store, the terminal) and
``nanoctl.entrypoints`` (the CLI, the container, the Python API). Importing it loads
nothing else, so ``nanoctl --version`` stays as fast as Python itself.
"""

__version__ = "0.1.0"
