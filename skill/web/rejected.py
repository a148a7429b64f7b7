"""The one way a request is turned away before any skill code runs."""


class RequestRejected(Exception):
    """A request that gets HTTP 400; ``reason`` is safe to return to the caller."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
