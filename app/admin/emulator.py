"""`kestrel printer-emulator`: a real TCP printer on loopback, for users without hardware
and for tests. It stores each job it acknowledges (job-000001.bin) with a plain-text
reading of the ESC/POS or ZPL it received (job-000001.txt), and can refuse, stall or reset
connections at random to rehearse faults.

A job is kept when the printer answers its status request (see transports.py), so a job
cut off by a fault is dropped here exactly when the sender is told to send it again. With
`paper_out` set (it can change while running) it answers every status request "paper
out" and prints nothing, as a real printer without paper does.
"""

from __future__ import annotations

import logging
import random
import re
import socket
import socketserver
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from app.printing.escpos_reader import as_text
from app.printing.transports import ESCPOS_STATUS, ZPL_STATUS

log = logging.getLogger("kestrel.print.emulator")
ESCPOS_ONLINE = b"\x16"  # DLE EOT 1 answer: online, drawer closed
ESCPOS_OFFLINE = b"\x1e"  # the same with the offline bit (paper out or cover open)
ZPL_HOST_STATUS = b"\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n"
ZPL_PAPER_OUT = b"\x02030,1,0,1245,000,0,0,0,000,0,0,0\x03\r\n"
READ_TIMEOUT = 30.0


@dataclass
class Faults:
    """Probabilities, per connection, of each fault."""

    refuse: float = 0.0  # reset at once, before reading anything
    stall: float = 0.0  # read nothing and never answer (the sender times out)
    reset: float = 0.0  # read the job, then reset without answering
    stall_seconds: float = 2.0


class PrinterEmulator:
    def __init__(  # noqa: PLR0913
        self,
        host: str = "127.0.0.1",
        port: int = 9100,
        out_dir: Path | None = None,
        faults: Faults | None = None,
        seed: int | None = None,
        profile: str = "default",
        paper_out: bool = False,
    ) -> None:
        self.faults = faults or Faults()
        self.paper_out = paper_out
        self.out_dir = out_dir
        self.jobs: list[bytes] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.profile = profile  # what it answers to; pages are read as Epson numbers them
        emulator = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                emulator._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server((host, port), Handler)
        bound_host, self.port = self._server.server_address[:2]
        self.host = cast(str, bound_host)  # an AF_INET server's address is a str
        self._thread: threading.Thread | None = None

    @property
    def uri(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def start(self) -> PrinterEmulator:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> PrinterEmulator:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _roll(self) -> str:
        with self._lock:
            self.connections += 1
            r = self._rng.random()
        f = self.faults
        if r < f.refuse:
            return "refuse"
        if r < f.refuse + f.stall:
            return "stall"
        if r < f.refuse + f.stall + f.reset:
            return "reset"
        return "ok"

    def _serve(self, sock: socket.socket) -> None:
        fault = self._roll()
        if fault == "refuse":
            _reset(sock)
            return
        if fault == "stall":
            time.sleep(self.faults.stall_seconds)
            _reset(sock)
            return
        sock.settimeout(READ_TIMEOUT)
        data = bytearray()
        try:
            while chunk := sock.recv(65536):
                data.extend(chunk)
                request = next((r for r in (ESCPOS_STATUS, ZPL_STATUS) if data.endswith(r)), b"")
                if not request:
                    continue
                del data[-len(request) :]
                if data and fault == "reset":  # took the job, then dropped the line
                    _reset(sock)
                    return
                self._print(data)
                data.clear()
                sock.sendall(self._status(request))
        except OSError:
            return
        if fault == "reset":
            _reset(sock)
            return
        self._print(data)  # a sender that asks nothing (?ack=none)

    def _status(self, request: bytes) -> bytes:
        if request == ESCPOS_STATUS:
            return ESCPOS_OFFLINE if self.paper_out else ESCPOS_ONLINE
        return ZPL_PAPER_OUT if self.paper_out else ZPL_HOST_STATUS

    def _print(self, data: bytes | bytearray) -> None:
        """A printer without paper prints nothing (it says so when asked)."""
        if data and not self.paper_out:
            self._store(bytes(data))

    def _store(self, payload: bytes) -> None:
        with self._lock:
            self.jobs.append(payload)
            number = len(self.jobs)
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            (self.out_dir / f"job-{number:06d}.bin").write_bytes(payload)
            (self.out_dir / f"job-{number:06d}.txt").write_text(
                self.reading(payload), encoding="utf-8"
            )

    def reading(self, payload: bytes) -> str:
        return read_zpl(payload) if payload.lstrip().startswith(b"^XA") else read_escpos(payload)


def _reset(sock: socket.socket) -> None:
    """Close with RST, as a printer that drops the line does."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


_FIELD = re.compile(rb"(\^B[A-Z][^\^]*)?(?:\^FH)?\^FD(.*?)\^FS", re.DOTALL)
_HEX = re.compile(r"_([0-9A-Fa-f]{2})")
_SUBSET = re.compile(r">[5-9:;]")


def read_zpl(payload: bytes) -> str:
    """Field data of each ^FD, one per line, with ^FH escapes undone, ^FB line breaks as
    new lines and a Code 128's subset codes (>: >5 ...) taken out."""
    lines = []
    for command, raw in _FIELD.findall(payload):
        text = raw.decode("utf-8", errors="replace")
        if command.startswith(b"^BC"):
            text = _SUBSET.sub("", text).replace("><", ">")
        else:
            text = text.replace("\\&", "\n")
        lines.append(_HEX.sub(lambda m: chr(int(m.group(1), 16)), text))
    return "\n".join(lines) + "\n"


def read_escpos(payload: bytes, codepages: dict[int, str] | None = None) -> str:
    """The job as text, `ESC t n` read by the printer makers' numbering (EPSON_PAGES)."""
    return as_text(payload, codepages)
