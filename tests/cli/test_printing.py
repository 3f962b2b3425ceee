"""app/cli/printing.py: `kestrel print`, `print-test` and `printer-emulator`."""

from __future__ import annotations

import pytest

from tests.cli.process import run


def test_cli_print_and_print_test_to_the_emulator(tmp_path, emulator):
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert run("demo", "--database", url, "--products", "20", "--orders", "30").returncode == 0
    done = run(
        "print", "SO-000030", "--doc", "receipt", "--printer", emulator.uri, "--database", url
    )
    assert done.returncode == 0, done.stderr
    assert "[QR SO-000030]" in emulator.reading(emulator.jobs[-1])
    test = run("print-test", "--printer", emulator.uri, "--kind", "label", "--language", "zpl")
    assert test.returncode == 0 and emulator.jobs[-1].startswith(b"^XA")
    missing = run(
        "print", "SO-999999", "--doc", "receipt", "--printer", emulator.uri, "--database", url
    )
    assert missing.returncode == 2 and "There is no order SO-999999" in missing.stderr


@pytest.mark.parametrize("port", ["99999", "-1", "ninety"])
def test_the_emulator_refuses_a_port_that_cannot_be(port, tmp_path):
    result = run("printer-emulator", "--port", port, "--out", str(tmp_path / "jobs"))
    assert result.returncode == 2
    assert "is not a TCP port" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "jobs").exists()


def test_the_emulator_on_a_port_in_use_says_so(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("printer-emulator", "--port", str(port), "--out", str(tmp_path / "jobs"))
    assert result.returncode == 2
    assert "Cannot listen on 127.0.0.1" in result.stderr and "Traceback" not in result.stderr
