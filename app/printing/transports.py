"""Where bytes go: printers are addressed by URI, per workstation.

    tcp://host:9100[?ack=status|none&timeout=10]   raw network printing (JetDirect)
    file:///dev/usb/lp0  or  file:///any/path      write the bytes to a device or a file
    preview:[/folder]                               keep each job as a file (the default)
    usb://04b8:0202   serial:///dev/ttyUSB0?baudrate=9600   cups://QUEUE

Raw TCP has no acknowledgement of its own, so by default a job ends with a status request
(DLE EOT for ESC/POS, ~HS for ZPL) and counts as sent only when the printer answers
"online": the printer has then taken every byte before it. The printer is asked first,
too: one that says "paper out" gets nothing (PrinterNotReady), so the job goes out once,
when it is ready. A printer that is off, refuses, stalls or resets raises PrinterError,
and the queue keeps the job.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from app import paths
from app.core.errors import PrinterError
from app.core.i18n import _

if TYPE_CHECKING:
    from escpos.escpos import Escpos

SCHEMES = ("tcp", "file", "preview", "usb", "serial", "cups")
ESCPOS_STATUS = b"\x10\x04\x01"  # DLE EOT 1: transmit printer status
ZPL_STATUS = b"~HS"
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class PrinterAddress:
    scheme: str
    target: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def uri(self) -> str:
        return f"{self.scheme}://{self.target}"


def parse_uri(uri: str) -> PrinterAddress:
    """A printer URI, checked; PrinterError says what is wrong with it."""
    text = (uri or "").strip()
    if text in ("preview", "preview:"):
        return PrinterAddress("preview", "")
    try:
        parts = urlsplit(text)
    except ValueError:  # 'tcp://[::1' and other broken brackets
        raise PrinterError(
            _("'{uri}' is not a printer address: check its brackets.").format(uri=uri)
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterError(
            _(
                "'{uri}' is not a printer address. Use tcp://host:9100, file:///path, "
                "usb://VID:PID, serial:///dev/ttyUSB0, cups://QUEUE or preview:."
            ).format(uri=uri)
        )
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme == "tcp":
        if not parts.hostname:
            raise PrinterError(_("'{uri}' names no host.").format(uri=uri))
        try:
            port = parts.port or 9100
        except ValueError:
            raise PrinterError(
                _("'{uri}' has a port that is not a number.").format(uri=uri)
            ) from None
        return PrinterAddress("tcp", f"{parts.hostname}:{port}", options)
    if scheme in ("file", "serial"):
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/"):
            raise PrinterError(
                _("'{uri}' needs an absolute path, as in {scheme}:///dev/...").format(
                    uri=uri, scheme=scheme
                )
            )
        return PrinterAddress(scheme, path, options)
    if scheme == "usb":
        ids = parts.netloc.split(":")
        if len(ids) != 2 or not all(_is_hex(i) for i in ids):
            raise PrinterError(
                _("'{uri}' should be usb://VID:PID in hexadecimal, e.g. 04b8:0202.").format(uri=uri)
            )
        return PrinterAddress("usb", parts.netloc.lower(), options)
    if scheme == "cups":
        if not parts.netloc:
            raise PrinterError(_("'{uri}' names no CUPS queue.").format(uri=uri))
        return PrinterAddress("cups", unquote(parts.netloc), options)
    return PrinterAddress("preview", unquote(parts.path), options)


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return 0 < len(text) <= 4


class PrinterNotReady(PrinterError):
    """The printer answered, but not "online" (paper out, cover open, paused). `sent` says
    whether the job had gone out before it said so (it may then print partly, or later)."""

    def __init__(self, message: str, status: str, sent: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.sent = sent


READY = ("online", "")


@dataclass(frozen=True)
class Delivery:
    """Where a job went, and what the printer said of itself ('' when it cannot tell)."""

    where: str
    status: str = ""


def send(address: PrinterAddress, payload: bytes, language: str, job_name: str = "job") -> Delivery:
    """Deliver one job, or raise PrinterError in words."""
    if address.scheme == "tcp":
        return _send_tcp(address, payload, language)
    if address.scheme == "file":
        return Delivery(_send_file(Path(address.target), payload))
    if address.scheme == "preview":
        folder = Path(address.target) if address.target else paths.data_dir() / "preview"
        return Delivery(_send_preview(folder, payload, language, job_name), "preview")
    return Delivery(_send_escpos_device(address, payload))


def printer_status(language: str, answer: bytes) -> str:
    """Words for a status answer: DLE EOT 1 (ESC/POS) or ~HS (ZPL)."""
    if language == "escpos" and answer:
        return "offline: check the paper and the cover" if answer[0] & 0x08 else "online"
    if language == "zpl" and answer:
        fields = answer.strip(b"\x02\x03\r\n").split(b",")
        if len(fields) > 2 and fields[1] == b"1":
            return "paper out"
        if len(fields) > 2 and fields[2] == b"1":
            return "paused"
        return "online"
    return ""


def _timeout(address: PrinterAddress) -> float:
    try:
        return float(address.options.get("timeout", DEFAULT_TIMEOUT))
    except ValueError:
        raise PrinterError(_("The printer's timeout option is not a number.")) from None


def _ask(sock: socket.socket, language: str, target: str) -> str:
    sock.sendall(ESCPOS_STATUS if language == "escpos" else ZPL_STATUS)
    answer = sock.recv(64)
    if not answer:
        raise PrinterError(
            _("The printer at {target} closed the connection before confirming the job.").format(
                target=target
            )
        )
    return printer_status(language, answer)


def _send_tcp(address: PrinterAddress, payload: bytes, language: str) -> Delivery:
    host, port = address.target.rsplit(":", 1)
    timeout = _timeout(address)
    ack = address.options.get("ack", "status") == "status" and language in ("escpos", "zpl")
    status = ""
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as sock:
            sock.settimeout(timeout)
            if ack and (before := _ask(sock, language, address.target)) not in READY:
                raise PrinterNotReady(
                    _(
                        "The printer at {target} says: {before}. The job waits until it is ready."
                    ).format(target=address.target, before=before),
                    before,
                )
            sock.sendall(payload)
            if ack:
                status = _ask(sock, language, address.target)
                if status not in READY:
                    raise PrinterNotReady(
                        _(
                            "The printer at {target} says: {status}, after taking the job. It will "
                            "be printed again, marked COPY, when the printer is ready."
                        ).format(target=address.target, status=status),
                        status,
                        sent=True,
                    )
            sock.shutdown(socket.SHUT_WR)
            if not ack:
                _await_close(sock, min(timeout, UNACKED_WAIT))
    except TimeoutError:
        hint = (
            " If it printed anyway, this printer does not answer status requests: "
            "add ?ack=none to its address."
            if ack
            else ""
        )
        raise PrinterError(
            _("The printer at {target} did not answer in {timeout:g} s.{hint}").format(
                target=address.target, timeout=timeout, hint=hint
            )
        ) from None
    except ConnectionRefusedError:
        raise PrinterError(
            _("The printer at {target} refused the connection: is it switched on?").format(
                target=address.target
            )
        ) from None
    except OSError as exc:
        raise PrinterError(
            _("Printing to {target} failed: {strerror}.").format(
                target=address.target, strerror=exc.strerror or exc
            )
        ) from None
    return Delivery(address.target, status)


UNACKED_WAIT = 2.0


def _await_close(sock: socket.socket, wait: float) -> None:
    """Without a status answer, let the printer close first (most do once they have read
    everything), so the next job cannot overtake this one; one that stays open is left."""
    sock.settimeout(wait)
    try:
        while sock.recv(4096):
            pass
    except OSError:  # still open after the wait, or reset after taking every byte
        pass


def _send_file(path: Path, payload: bytes) -> str:
    device = str(path).startswith("/dev/")
    try:
        with path.open("wb" if device else "ab") as handle:
            handle.write(payload)
    except OSError as exc:
        raise PrinterError(
            _("Cannot write to {path}: {strerror}.").format(path=path, strerror=exc.strerror or exc)
        ) from None
    return str(path)


EXTENSIONS = {"escpos": "bin", "zpl": "zpl", "pdf": "pdf"}


def _send_preview(folder: Path, payload: bytes, language: str, job_name: str) -> str:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{job_name}.{EXTENSIONS.get(language, 'bin')}"
        partial = folder / ".incoming" / path.name  # readers never see half a job
        partial.parent.mkdir(exist_ok=True)
        partial.write_bytes(payload)
        partial.replace(path)
    except OSError as exc:
        raise PrinterError(
            _("Cannot save the preview in {folder}: {strerror}.").format(
                folder=folder, strerror=exc.strerror or exc
            )
        ) from None
    return str(path)


def _send_escpos_device(address: PrinterAddress, payload: bytes) -> str:
    """USB, serial and CUPS go through python-escpos's own transports."""
    device: Escpos
    try:
        if address.scheme == "usb":
            from escpos.printer import Usb

            vendor, product = (int(x, 16) for x in address.target.split(":"))
            device = Usb(vendor, product)
        elif address.scheme == "serial":
            from escpos.printer import Serial

            baud = int(address.options.get("baudrate", "9600"))
            device = Serial(devfile=address.target, baudrate=baud)
        else:
            from escpos.printer import CupsPrinter

            device = CupsPrinter(printer_name=address.target)
        device.open()
        device._raw(payload)  # noqa: SLF001 (python-escpos's documented single byte sink)
        device.close()
    except PrinterError:
        raise
    except Exception as exc:  # each transport raises its own types (USBError, SerialException...)
        raise PrinterError(
            _("Printing to {uri} failed: {exc}").format(uri=address.uri, exc=exc)
        ) from None
    return address.uri
