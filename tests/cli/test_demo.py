"""app/cli/demo.py: `kestrel demo`."""

from __future__ import annotations

from app import cli


def test_demo_refuses_a_store_with_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.sqlite'}"
    args = ["demo", "--database", url, "--products", "5", "--customers", "2", "--orders", "3"]
    assert cli.main(args) == 0
    assert cli.main(args) == 2
