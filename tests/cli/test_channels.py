"""app/cli/channels.py: `kestrel source add|list` and `kestrel import orders` — the JSON
shape of the README, exit codes (0 imported, 1 refused, 2 unusable), a second run that
creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli

FILES = Path(__file__).parents[1] / "services" / "channels" / "files"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def base(request, tmp_path, capsys):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'channels.sqlite'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    args = ["--database", url]
    assert cli.main([*args, "demo", "--products", "5", "--customers", "1", "--orders", "0"]) == 0
    capsys.readouterr()
    return args


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_sources_and_an_import_refused_then_unusable(base, capsys):
    assert cli.main([*base, "source", "add", "amz", "--format", "amazon-tsv"]) == 0
    assert "amz added (amazon-tsv, marketplace)" in capsys.readouterr().out
    assert cli.main([*base, "source", "add", "amz", "--format", "amazon-tsv"]) == 1
    assert "already" in capsys.readouterr().err
    assert cli.main([*base, "source", "list", "--json"]) == 0
    assert [s["name"] for s in _json(capsys)] == ["amz"]
    path = str(FILES / "amazon_orders.txt")
    # the demo store sells none of these SKUs: every open order is refused, nothing written
    assert cli.main([*base, "import", "orders", path, "--source", "amz", "--json"]) == 1
    data = _json(capsys)
    assert set(data) >= {
        "source",
        "format",
        "written",
        "created",
        "duplicates",
        "refused",
        "orders",
    }
    assert data["written"] is False and data["created"] == 0 and data["refused"] == 2
    order = data["orders"][0]
    assert set(order) == {"external_id", "reference", "rows", "outcome", "reasons", "number"}
    assert cli.main([*base, "import", "orders", path]) == 2  # no --source
    assert "--source NAME" in capsys.readouterr().err
    other = str(FILES / "shopify_orders.csv")
    assert cli.main([*base, "import", "orders", other, "--source", "amz"]) == 2
    assert "not an Amazon order report" in capsys.readouterr().err


def test_source_watch_once_files_the_folder(base, capsys, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    add = ["source", "add", "amz", "--format", "amazon-tsv", "--watch", str(folder)]
    assert cli.main([*base, *add]) == 0
    capsys.readouterr()
    assert cli.main([*base, "source", "watch", "--once"]) == 0
    assert "No file is waiting" in capsys.readouterr().out
    (folder / "report.txt").write_bytes((FILES / "amazon_orders.txt").read_bytes())
    (folder / "next.txt.part").write_text("still uploading")
    # the demo store sells none of the report's SKUs: every order refused, the file failed
    assert cli.main([*base, "source", "watch", "--once", "--json"]) == 1
    (filed,) = _json(capsys)
    assert (filed["name"], filed["outcome"]) == ("report.txt", "failed")
    report = json.loads((folder / "failed" / "report.txt.report.json").read_text())
    assert report["refused"] >= 1 and report["source"] == "amz"
    assert sorted(p.name for p in folder.iterdir()) == ["failed", "next.txt.part"]
