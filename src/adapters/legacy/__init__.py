"""The old Node nanoctl's token files: where they are, how to open them, how to destroy them."""
