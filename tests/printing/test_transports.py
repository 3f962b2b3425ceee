"""Printer addresses and delivery over real TCP, files and the preview folder."""

from __future__ import annotations

import socket

import pytest

from app.admin.emulator import Faults, PrinterEmulator
from app.core.errors import PrinterError
from app.printing.transports import PrinterNotReady, parse_uri, send


@pytest.mark.parametrize(
    ("uri", "scheme", "target"),
    [
        ("tcp://10.0.0.5:9100", "tcp", "10.0.0.5:9100"),
        ("tcp://printer.local", "tcp", "printer.local:9100"),
        ("usb://04B8:0202", "usb", "04b8:0202"),
        ("serial:///dev/ttyUSB0?baudrate=19200", "serial", "/dev/ttyUSB0"),
        ("cups://Zebra_4x6", "cups", "Zebra_4x6"),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0"),
        ("preview:", "preview", ""),
    ],
)
def test_parse_good_uris(uri, scheme, target):
    address = parse_uri(uri)
    assert (address.scheme, address.target) == (scheme, target)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("", "not a printer address"),
        ("http://printer", "not a printer address"),
        ("tcp://:9100", "names no host"),
        ("tcp://host:port", "not a number"),
        ("usb://epson", "VID:PID"),
        ("file://relative/path", "absolute path"),
        ("cups://", "no CUPS queue"),
        ("tcp://[::1:9100", "brackets"),
    ],
)
def test_malformed_uris_are_explained(uri, message):
    with pytest.raises(PrinterError, match=message):
        parse_uri(uri)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_printer_that_is_off_is_a_clear_error():
    port = _free_port()
    with pytest.raises(PrinterError, match="refused the connection: is it switched on"):
        send(parse_uri(f"tcp://127.0.0.1:{port}?timeout=2"), b"hello", "escpos")


def test_something_that_is_not_a_printer_is_a_clear_error():
    """A server that takes the bytes but never answers the status request."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    try:
        with pytest.raises(PrinterError, match="did not answer in 0.5 s"):
            send(parse_uri(f"tcp://127.0.0.1:{port}?timeout=0.5"), b"hello", "escpos")
    finally:
        server.close()


@pytest.mark.parametrize("fault", ["refuse", "reset"])
def test_faults_raise_and_keep_nothing(fault):
    with PrinterEmulator(port=0, faults=Faults(**{fault: 1.0})) as printer:
        with pytest.raises(PrinterError):
            send(parse_uri(printer.uri + "?timeout=2"), b"job" * 1000, "escpos")
        assert printer.jobs == []


def test_emulator_keeps_acknowledged_jobs_with_a_reading(emulator):
    send(parse_uri(emulator.uri), b"\x1b@Hello\n\x1dV\x00", "escpos")
    send(parse_uri(emulator.uri), b"^XA^FO10,10^FH^FDShip_5Fme^FS^XZ", "zpl")
    assert emulator.jobs == [b"\x1b@Hello\n\x1dV\x00", b"^XA^FO10,10^FH^FDShip_5Fme^FS^XZ"]
    files = sorted(p.name for p in emulator.out_dir.iterdir())
    assert files == ["job-000001.bin", "job-000001.txt", "job-000002.bin", "job-000002.txt"]
    assert (emulator.out_dir / "job-000001.txt").read_text() == "Hello\n[CUT]\n"
    assert (emulator.out_dir / "job-000002.txt").read_text() == "Ship_me\n"


def test_file_and_preview_transports(tmp_path):
    target = tmp_path / "spool.bin"
    send(parse_uri(f"file://{target}"), b"one", "escpos")
    send(parse_uri(f"file://{target}"), b"two", "escpos")
    assert target.read_bytes() == b"onetwo"
    delivery = send(parse_uri(f"preview:{tmp_path / 'preview'}"), b"^XA^XZ", "zpl", "label-7")
    assert delivery.where.endswith("-label-7.zpl")
    with pytest.raises(PrinterError, match="Cannot write"):
        send(parse_uri("file:///nonexistent-dir/x.bin"), b"x", "escpos")


@pytest.mark.parametrize(("language", "payload"), [("escpos", b"\x1b@x\n"), ("zpl", b"^XA^XZ")])
def test_printer_status_is_reported(language, payload):
    with PrinterEmulator(port=0) as printer:
        assert send(parse_uri(printer.uri), payload, language).status == "online"
    with PrinterEmulator(port=0, paper_out=True) as printer:
        # issue 13: a printer that says "paper out" is not sent the job (it was, and the
        # job was marked done); the error names the reason
        with pytest.raises(PrinterNotReady) as refused:
            send(parse_uri(printer.uri), payload, language)
        assert refused.value.status in ("paper out", "offline: check the paper and the cover")
        assert not refused.value.sent
        assert printer.jobs == []
    with PrinterEmulator(port=0) as printer:
        assert send(parse_uri(printer.uri + "?ack=none"), payload, language).status == ""
