"""app/cli/report.py: `kestrel report` on the reports' hand-built shop: the sales JSON
contract, every format written and read back, `--list`, and the refusals in words."""

from __future__ import annotations

import csv
import json
import os
import sys

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app import cli
from app.core import auth
from tests.services.reports import shop_case

RANGE = ["--from", "2026-12-01", "--to", "2026-12-31"]


@pytest.fixture
def store(database, admin, capsys):
    shop_case.build(database, admin)
    with database.write() as s:
        auth.create_user(s, admin, "pat", "cashier-pass-1", auth.Role.CASHIER, "Pat")
    capsys.readouterr()
    return ["--database", database.engine.url.render_as_string(hide_password=False)]


def _run(capsys, *args):
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sales_json_contract(store, capsys):
    code, out, _ = _run(capsys, *store, "report", "sales", *RANGE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["report"] == "sales" and data["currency"] == "EUR"
    assert {tuple(sorted(r)) for r in data["rows"]} == {
        ("channel", "gross", "net", "orders", "period", "refunds", "tax")
    }
    assert data["rows"][0] == {
        "period": "2026-12-01",
        "channel": "counter",
        "orders": 1,
        "gross": 2460,
        "tax": 460,
        "refunds": 0,
        "net": 2460,
    }
    assert data["totals"]["net"] == 4920
    code, out, _ = _run(capsys, *store, "report", "sales", *RANGE, "--group", "week")
    assert [r["period"] for r in json.loads(out)["rows"]] == ["2026-11-30", "2026-11-30"]


def test_exports_read_back(store, capsys, tmp_path):
    base = [*store, "report", "sales", *RANGE]
    assert _run(capsys, *base, "--format", "csv", "--out", str(tmp_path / "s.csv"))[0] == 0
    with (tmp_path / "s.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    comments = [r[0] for r in rows if r and r[0].startswith("# ")]
    assert comments[0] == "# Sales by period and channel"
    assert any("2026-12-01 to 2026-12-31 (America/New_York)" in c for c in comments)
    table = [r for r in rows if r and not r[0].startswith("# ")]
    assert table[0] == ["Period", "Channel", "Orders", "Gross", "Tax", "Refunds", "Net"]
    assert table[1] == ["2026-12-01", "counter", "1", "24.60", "4.60", "0.00", "24.60"]
    assert table[4][-1] == "-3.50"

    assert _run(capsys, *base, "--format", "xlsx", "--out", str(tmp_path / "s.xlsx"))[0] == 0
    sheet = load_workbook(tmp_path / "s.xlsx").active
    values = [row for row in sheet.iter_rows(values_only=True) if row[1] is not None]
    assert values[0][:3] == ("Period", "Channel", "Orders")
    assert values[1][2] == 1 and values[1][3] == pytest.approx(24.6)

    assert _run(capsys, *base, "--format", "pdf", "--out", str(tmp_path / "s.pdf"))[0] == 0
    reader = PdfReader(tmp_path / "s.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Sales by period and channel" in text
    assert "orders placed in the period and not cancelled" in text
    assert "€24.60" in text and "-€3.50" in text and "page 1 of" in text

    code, out, _ = _run(capsys, *base, "--format", "csv", "--out", "-")
    assert code == 0 and "2026-12-03,counter,0,0.00,0.00,3.50,-3.50" in out


def test_list(store, capsys):
    code, out, _ = _run(capsys, *store, "report", "--list")
    assert code == 0 and out.startswith("sales") and "net = gross - refunds" in out
    code, out, _ = _run(capsys, *store, "report", "--list", "--format", "json")
    listing = json.loads(out)
    assert listing[0]["name"] == "sales" and "channel" in listing[0]["filters"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["sales", "--from", "2026-12-31", "--to", "2026-12-01"], "ends before it starts"),
        (["sales", "--from", "2006-01-01", "--to", "2026-01-01"], "at most 10 years"),
        (["sales", "--from", "1 Dec"], "--from takes a date as YYYY-MM-DD"),
        (["nope", *RANGE], "There is no report called 'nope'"),
        (["sales", *RANGE, "--format", "docx"], "'docx' is not a report format"),
        (["sales", *RANGE, "--format", "pdf"], "needs a file: add --out FILE"),
        (["sales", *RANGE, "--group", "year"], "'year' is not day, week or month"),
        (["sales", *RANGE, "--warehouse", "NOPE"], "There is no warehouse NOPE"),
        (["sales", *RANGE, "--user", "pat"], "permission"),
        ([], "Name a report"),
    ],
)
def test_refusals(store, capsys, args, words):
    code, out, err = _run(capsys, *store, "report", *args)
    assert code == 1 and out == ""
    assert words.lower() in err.lower() and "Traceback" not in err


def test_a_folder_that_cannot_be_written(store, capsys, tmp_path):
    missing = tmp_path / "no" / "such" / "s.csv"
    code, _, err = _run(capsys, *store, "report", "sales", *RANGE, "--format", "csv", "--out",
                        str(missing))  # fmt: skip
    assert code == 1 and "does not exist" in err
    code, _, err = _run(capsys, *store, "report", "sales", *RANGE, "--out", str(tmp_path))
    assert code == 1 and "is a folder" in err
    if sys.platform != "win32" and os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, err = _run(capsys, *store, "report", "sales", *RANGE, "--format", "xlsx",
                            "--out", str(locked / "s.xlsx"))  # fmt: skip
        assert code == 1 and "not writable" in err
    earlier = tmp_path / "kept.json"
    earlier.write_text("earlier")
    code, _, err = _run(capsys, *store, "report", "sales", "--from", "2026-12-31", "--to",
                        "2026-12-01", "--out", str(earlier))  # fmt: skip
    assert code == 1 and earlier.read_text() == "earlier"


def test_fold_json_and_the_same_numbers_after(store, capsys):
    sales = [*store, "report", "sales", *RANGE, "--format", "json"]
    _code, before, _err = _run(capsys, *sales)
    code, out, err = _run(capsys, *store, "report", "fold", "--json")
    assert code == 0, err
    outcome = json.loads(out)
    assert set(outcome) == {"folded", "refolded", "cleared", "pending", "zone", "last_closed"}
    assert outcome["folded"] >= 1 and outcome["zone"] == shop_case.ZONE  # today's clock
    assert _run(capsys, *sales)[1] == before
    code, out, _err = _run(capsys, *store, "report", "fold", "--json")
    assert (code, json.loads(out)["folded"]) == (0, 0)
    code, out, _err = _run(capsys, *store, "report", "fold", "--rebuild")
    assert code == 0 and "day(s) folded" in out
    assert _run(capsys, *store, "report", "fold", "--user", "pat")[0] == 1  # a cashier
