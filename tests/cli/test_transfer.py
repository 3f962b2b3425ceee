"""`kestrel import` and `kestrel export`: exit codes, the JSON shape, all or nothing."""

from __future__ import annotations

import json

import pytest

from app import cli

HEAD = "SKU;Name;Price;EAN\n"
GOOD = "A-1;Mug;4,50;4006381333931\nA-2;Cup;3,00;\n"
BAD = "A-3;Bowl;-1;4006381333932\n"


@pytest.fixture
def url(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli.main(["--database", url, "migrate"]) == 0
    capsys.readouterr()
    return url


def kestrel(capsys, *args):
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_bad_row_writes_nothing_and_exits_1_with_every_refusal_in_json(url, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + GOOD + BAD, "utf-8")
    code, out, _ = kestrel(capsys, "import", "products", str(path), "--json", "--database", url)
    assert code == 1
    data = json.loads(out)
    assert {"added", "updated", "unchanged", "refused"} <= set(data)
    assert (data["added"], data["written"], data["refused_count"]) == (2, False, 1)
    assert {(r["row"], r["column"]) for r in data["refused"]} == {(4, "Price"), (4, "EAN")}
    assert all(set(r) == {"row", "column", "reason"} for r in data["refused"])
    exported = tmp_path / "out.csv"
    assert kestrel(capsys, "export", "products", str(exported), "--database", url)[0] == 0
    assert exported.read_text("utf-8").count("\n") == 1  # the header only: nothing written


def test_skip_bad_imports_the_good_rows(url, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + GOOD + BAD, "utf-8")
    code, out, _ = kestrel(capsys, "import", "products", str(path), "--skip-bad", "--database", url)
    assert code == 0
    assert "2 added" in out and "row 4, Price: An amount cannot be negative" in out
    code, out, _ = kestrel(
        capsys, "import", "products", str(path), "--skip-bad", "--json", "--database", url
    )
    assert (code, json.loads(out)["unchanged"]) == (0, 2)


def test_dry_run_writes_nothing(url, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + GOOD, "utf-8")
    code, out, _ = kestrel(
        capsys, "import", "products", str(path), "--dry-run", "--json", "--database", url
    )
    assert (code, json.loads(out)["added"], json.loads(out)["written"]) == (0, 2, False)
    code, out, _ = kestrel(capsys, "import", "products", str(path), "--json", "--database", url)
    assert (code, json.loads(out)["added"]) == (0, 2)


def test_export_then_import_changes_nothing_through_the_command(url, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + GOOD, "utf-8")
    kestrel(capsys, "import", "products", str(path), "--database", url)
    for suffix in (".csv", ".xlsx"):
        out_path = tmp_path / f"export{suffix}"
        assert kestrel(capsys, "export", "products", str(out_path), "--database", url)[0] == 0
        code, out, _ = kestrel(
            capsys, "import", "products", str(out_path), "--json", "--database", url
        )
        data = json.loads(out)
        assert (code, data["added"], data["updated"], data["unchanged"]) == (0, 0, 0, 2)


def test_a_mapping_saved_by_name_is_used_again(url, tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("Artikel,Titel,VK\nX-1,Teller,2.00\n", "utf-8")
    code, _, err = kestrel(capsys, "import", "products", str(path), "--database", url)
    assert code == 2 and "No column for SKU" in err
    code, _, _ = kestrel(
        capsys,
        "import",
        "products",
        str(path),
        "--map",
        "sku=Artikel",
        "--map",
        "name=Titel",
        "--map",
        "price=VK",
        "--save-mapping",
        "shop",
        "--dry-run",
        "--database",
        url,
    )
    assert code == 0
    other = tmp_path / "other.csv"
    other.write_text("VK,Artikel,Titel\n3.00,X-2,Schale\n", "utf-8")
    code, out, _ = kestrel(
        capsys, "import", "products", str(other), "--mapping", "shop", "--json", "--database", url
    )
    assert (code, json.loads(out)["added"]) == (0, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty"), ("SKU,Price\n", None)],
)
def test_empty_files(url, tmp_path, capsys, content, message):
    path = tmp_path / "e.csv"
    path.write_text(content, "utf-8")
    code, out, err = kestrel(capsys, "import", "products", str(path), "--json", "--database", url)
    if message:
        assert code == 2 and message in err
    else:
        assert code == 0 and json.loads(out)["added"] == 0


def test_unknown_kinds_and_missing_databases(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["import", "invoices", "x.csv"])
    missing = f"sqlite:///{tmp_path / 'none.sqlite'}"
    code, _, err = kestrel(
        capsys, "export", "products", str(tmp_path / "p.csv"), "--database", missing
    )
    assert code == 2 and "kestrel migrate" in err


def test_the_files_number_format_on_the_command_line_and_kept(url, tmp_path, capsys):
    """`--decimal , --grouping .` where the cells prove nothing ('1.234'); the format is
    kept with the layout's mapping, and `kestrel import orders --format mapped` takes it."""
    path = tmp_path / "p.csv"
    path.write_text("SKU;Name;Price\nB-1;Box;1.234\nB-2;Bag;2\n", "utf-8")
    options = ("--decimal", ",", "--grouping", ".")
    code, out, _ = kestrel(
        capsys, "import", "products", str(path), *options, "--json", "--database", url
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["number"] == {"decimal": ",", "grouping": ".", "detected": False}
    assert data["added"] == 2
    code, out, _ = kestrel(
        capsys, "import", "products", str(path), "--dry-run", "--json", "--database", url
    )
    assert json.loads(out)["number"] == {"decimal": ",", "grouping": ".", "detected": False}
    exported = tmp_path / "out.csv"
    assert kestrel(capsys, "export", "products", str(exported), "--database", url)[0] == 0
    assert "1234.00" in exported.read_text("utf-8")
    code, _out, err = kestrel(
        capsys, "import", "products", str(path), "--grouping", "x", "--database", url
    )
    assert code == 2 and "not a grouping mark" in err
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order id;sku;qty;unit price;email;street;city;postcode;country\n"
        "O-1;B-1;1.000;1.234;e@example.de;Weg 1;Bonn;53111;DE\n",
        "utf-8",
    )
    assert kestrel(capsys, "source", "add", "shop", "--format", "mapped", "--database", url)[0] == 0
    code, out, _ = kestrel(
        capsys,
        "import",
        "orders",
        str(orders),
        "--source",
        "shop",
        "--format",
        "mapped",
        *options,
        "--json",
        "--database",
        url,
    )
    assert code == 0, out
    assert json.loads(out)["written"] is True
    code, out, _ = kestrel(capsys, "order", "show", "SO-000001", "--json", "--database", url)
    assert code == 0, out
    shown = json.loads(out)
    assert [line["quantity"] for line in shown["lines"]] == [1000]
    assert shown["total"] == 1000 * 123400
