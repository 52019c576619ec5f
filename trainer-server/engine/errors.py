"""The one error type the engine reports to its client: a stable machine-readable code plus a message for people."""


class EngineError(Exception):
    """A failure the client should see as {"error": {"code", "message"}}; `code` is part of the protocol."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RoundCancelled(EngineError):
    """Raised inside the training loop when the client cancels the round (or the engine is shutting down)."""

    def __init__(self, round_id: str) -> None:
        super().__init__("cancelled", f"round {round_id} was cancelled; no adapter was written")
