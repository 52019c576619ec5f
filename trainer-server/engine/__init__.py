"""Autodidact's Python engine: one process that holds a base model once, trains LoRA adapters on it,
evaluates them and serves generations. Driven over JSON lines by the TypeScript trainer-server (see PROTOCOL.md)."""
