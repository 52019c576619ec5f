"""Entry point: `python -m engine.main --stdio --workdir DIR` (run with cwd=trainer-server)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import Any, Optional


def _protocol_stream() -> Any:
    """Keeps the real stdout for protocol lines only. fd 1 is pointed at stderr, so a stray print() or a
    library writing to stdout can never corrupt the JSON stream the trainer-server reads."""
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(protocol_fd, "w", encoding="utf-8", buffering=1)


class _LogEvents(logging.Handler):
    """Forwards the engine's own log records to the client as {"event": "log"} lines."""

    def __init__(self, writer: Any) -> None:
        super().__init__(level=logging.INFO)
        self._writer = writer

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._writer.event("log", level=record.levelname.lower(), message=record.getMessage())
        except Exception:  # logging must never take the engine down
            self.handleError(record)


def _parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m engine.main", description="Autodidact LoRA engine")
    parser.add_argument("--stdio", action="store_true", help="speak JSON lines on stdin/stdout (the only transport)")
    parser.add_argument("--workdir", default=".", help="relative paths in requests resolve against this folder")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("AUTODIDACT_ENGINE_THREADS", "0")),
                        help="torch CPU threads (0 = torch's default)")
    parser.add_argument("--log-level", default=os.environ.get("AUTODIDACT_ENGINE_LOG", "INFO"))
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    args = _parse_args(argv)
    if not args.stdio:
        print("the engine only speaks --stdio; see engine/PROTOCOL.md", file=sys.stderr)
        return 2
    logging.basicConfig(stream=sys.stderr, level=args.log_level.upper(), format="engine %(levelname)s %(message)s")
    out = _protocol_stream()
    workdir = os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)

    import torch  # imported after the stdout redirect: importing torch can print

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    from .json_lines import ProtocolWriter
    from .methods import EngineMethods
    from .server_loop import EngineServer

    server = EngineServer(ProtocolWriter(out))
    EngineMethods(server, workdir)

    def on_sigterm(_signum: int, _frame: Any) -> None:
        server.terminate_requested = True

    signal.signal(signal.SIGTERM, on_sigterm)
    server.start_reader(sys.stdin.buffer)
    logging.getLogger("engine").addHandler(_LogEvents(server.writer))
    # Announced as a log event so clients that know only progress/token/log need nothing new.
    server.writer.event("log", level="info", message="engine ready", ready=True, pid=os.getpid(), protocol=1)
    server.run()
    out.flush()
    sys.stderr.flush()
    # The stdin reader thread may be blocked in read(); a normal interpreter exit would then abort
    # ("could not acquire lock ... at interpreter shutdown"), so leave directly once everything is flushed.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
