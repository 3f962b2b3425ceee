"""Logging set-up: named loggers per layer, a rotating file in the user log directory."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from app import paths

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO, to_file: bool = True) -> None:
    root = logging.getLogger("kestrel")
    if root.handlers:
        return
    root.setLevel(level)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(console)
    if to_file:
        try:
            handler = logging.handlers.RotatingFileHandler(
                paths.log_dir() / "kestrel.log",
                maxBytes=2_000_000,
                backupCount=5,
                encoding="utf-8",
            )
        except OSError as exc:  # a read-only home must not stop the app
            root.warning("cannot write the log file: %s", exc)
        else:
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)
