"""Logging set-up: named loggers per layer, a rotating file in the user log directory."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys

from app import paths

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """The rotating log, each file created readable by this user only (it names
    customers, orders and workstations)."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, paths.PRIVATE_FILE)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


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
            handler = PrivateLogFile(
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
