"""app/cli/fulfilment.py: `kestrel carrier` and `wave`."""

from __future__ import annotations

from app import cli
from tests.cli.process import run


def test_carriers_and_waves_from_the_command_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'wave.sqlite'}"
    base = ["--database", url]
    assert (
        cli.main([*base, "demo", "--products", "40", "--customers", "10", "--orders", "200"]) == 0
    )
    capsys.readouterr()
    assert (
        cli.main([*base, "carrier", "add", "UPS", "--name", "UPS", "--pattern", r"1Z[0-9A-Z]{16}"])
        == 0
    )
    listed = capsys.readouterr().out
    assert "UPS" in listed and "KPOST" in listed and "makes KP{n:09d}IE" in listed
    assert cli.main([*base, "carrier", "add", "UPS", "--name", "again"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert cli.main([*base, "carrier", "add", "BAD", "--pattern", "(["]) == 2
    assert "not a valid pattern" in capsys.readouterr().err
    assert cli.main([*base, "wave", "--all", "--warehouse", "MAIN"]) == 0
    assert "order(s)" in capsys.readouterr().out
    assert cli.main([*base, "wave", "--all"]) == 2
    assert "Name the orders" in capsys.readouterr().err
    assert cli.main([*base, "wave", "SO-999999"]) == 2
    assert run("check", "--database", url).returncode == 0
