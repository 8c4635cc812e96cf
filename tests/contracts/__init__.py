"""One contract suite per port, run against the fake and the real adapter, so the fake
cannot drift from what the real one does: ``secret_store``, ``token_validator``."""
