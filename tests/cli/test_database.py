"""app/cli/database.py: `kestrel migrate`, `check` and `move-to` as an administrator uses
them, in a real subprocess where it matters."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import cli, db
from tests.cli.process import run


def test_demo_then_check_passes_then_catches_corruption(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    made = run(
        "demo", "--database", url, "--products", "50", "--customers", "20", "--orders", "120"
    )
    assert made.returncode == 0, made.stderr
    assert "rows/s" in made.stdout
    assert "demo sign-ins: manager" in made.stdout
    checked = run("--database", url, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    database = db.Database.open(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE stock_levels SET on_hand = on_hand + 3 WHERE rowid = 1"))
        conn.execute(text("UPDATE sales_orders SET total = total + 1 WHERE id = 5"))
    database.dispose()
    broken = run("check", "--database", url)
    assert broken.returncode == 1
    assert "[stock-ledger]" in broken.stdout
    assert "[order-totals] SO-000005" in broken.stdout


@pytest.mark.postgres
def test_demo_and_check_on_postgresql(pg_empty_url):
    made = run("demo", "--database", pg_empty_url, "--products", "40", "--orders", "80")
    assert made.returncode == 0, made.stderr
    assert run("check", "--database", pg_empty_url).returncode == 0


def test_move_to_copies_a_demo_store_into_postgresql(tmp_path, pg_empty_url, capsys):
    from sqlalchemy import func, select

    from app.core import auth
    from app.models import Base, Product, SalesOrder
    from app.services.sales import order_entry
    from app.services.sales.order_entry import LineInput, OrderInput

    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert cli.main(["demo", "--database", url, "--products", "40", "--orders", "150"]) == 0
    capsys.readouterr()
    assert cli.main(["move-to", pg_empty_url, "--database", url]) == 0
    out = capsys.readouterr().out
    assert "kestrel check (local" in out and "kestrel check (shared" in out
    assert "0 problem(s)" in out and "Done." in out
    local, shared = db.Database.open(url), db.Database.open(pg_empty_url)
    with local.read() as a, shared.read() as b:
        for table in Base.metadata.sorted_tables:
            count = select(func.count()).select_from(table)
            assert a.scalar(count) == b.scalar(count), table.name
        last = a.scalar(select(func.max(SalesOrder.number)))
    with shared.write() as s:  # ids and numbers go on after the copied ones
        product = s.scalar(select(func.min(Product.id)))
        ref = order_entry.create_order(
            s, auth.SYSTEM, OrderInput("counter", (LineInput(product, 1),))
        )
        assert ref.number > last and ref.id == 151
    # a second move into the now-used database is refused, nothing written
    assert cli.main(["move-to", pg_empty_url, "--database", url]) == 2
    assert "is not empty" in capsys.readouterr().err
    local.dispose()
    shared.dispose()


def test_a_server_that_is_not_postgresql_or_a_role_that_does_not_exist_is_refused_in_words(
    pg_server, tmp_path, capsys
):
    """Something answers on the port, but it is not PostgreSQL (here: a printer); or the
    server is PostgreSQL but the user is unknown. Each a message, nothing written."""
    from sqlalchemy.engine import make_url

    from app.admin.emulator import PrinterEmulator

    with PrinterEmulator(port=0, out_dir=tmp_path / "printed") as printer:
        port = int(printer.uri.rsplit(":", 1)[1].split("?")[0])
        not_pg = f"postgresql://kestrel@127.0.0.1:{port}/shop?connect_timeout=3"
        assert cli.main(["migrate", "--database", not_pg]) == 2
        assert "Cannot open the database" in capsys.readouterr().err
    nobody = make_url(pg_server).set(username="nobody_here", drivername="postgresql")
    url = nobody.render_as_string(hide_password=False)
    assert cli.main(["migrate", "--database", url]) == 2
    assert "nobody_here" in capsys.readouterr().err


def test_move_to_never_prints_the_password(tmp_path, pg_empty_url, capsys, caplog):
    from sqlalchemy.engine import make_url

    caplog.set_level("DEBUG")
    with_password = make_url(pg_empty_url).set(password="pw-secret")
    target = with_password.render_as_string(hide_password=False)
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert cli.main(["demo", "--database", url, "--products", "5", "--orders", "5"]) == 0
    assert cli.main(["move-to", target, "--database", url]) == 0  # trust auth: any password
    out, err = capsys.readouterr()
    assert "Done." in out and "***" in out
    assert "pw-secret" not in out + err + caplog.text
