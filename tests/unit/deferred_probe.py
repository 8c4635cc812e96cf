"""A module nothing imports but test_container's Deferred probe."""


class Thing:
    def __init__(self, size: int) -> None:
        self.size = size
