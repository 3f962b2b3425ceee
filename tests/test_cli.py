"""The `kestrel` command as an administrator uses it, in a real subprocess where it matters."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from app import cli, db
from app.config import WorkstationSettings, resolve_database_url


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_database_option_before_or_after_the_command(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    assert cli.main(["--database", url, "migrate"]) == 0
    assert cli.main(["migrate", "--status", "--database", url]) == 0
    assert "schema current" in capsys.readouterr().out


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


def test_demo_refuses_a_store_with_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.sqlite'}"
    args = ["demo", "--database", url, "--products", "5", "--customers", "2", "--orders", "3"]
    assert cli.main(args) == 0
    assert cli.main(args) == 2


def test_unreachable_server_is_a_clear_error_not_a_traceback():
    result = run("check", "--database", "postgresql://kestrel@127.0.0.1:1/shop")
    assert result.returncode == 2
    assert "Cannot open the database (shared server 127.0.0.1:1/shop)" in result.stderr
    assert "Traceback" not in result.stderr


def test_newer_schema_refused_by_every_command(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert cli.main(["migrate", "--database", url]) == 0
    database = db.Database.open(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    for command in ("migrate", "check", "demo"):
        assert cli.main([command, "--database", url]) == 2
        assert "newer Kestrel" in capsys.readouterr().err


def test_add_user(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    monkeypatch.setenv("KESTREL_PASSWORD", "s3cret-pass")
    assert cli.main(["add-user", "boss", "--role", "admin", "--database", url]) == 0
    assert cli.main(["add-user", "till", "--role", "cashier", "--database", url]) == 0
    assert cli.main(["add-user", "till", "--role", "cashier", "--database", url]) == 2
    assert "is taken" in capsys.readouterr().err


def test_database_resolution_order(monkeypatch, tmp_path):
    settings = WorkstationSettings(database_url="sqlite:///from-settings")
    monkeypatch.delenv("KESTREL_DATABASE_URL", raising=False)
    assert resolve_database_url(None, settings) == ("sqlite:///from-settings", "settings file")
    monkeypatch.setenv("KESTREL_DATABASE_URL", "sqlite:///from-env")
    assert resolve_database_url(None, settings)[0] == "sqlite:///from-env"
    assert resolve_database_url("sqlite:///cli", settings)[0] == "sqlite:///cli"
    monkeypatch.delenv("KESTREL_DATABASE_URL")
    url, source = resolve_database_url(None, WorkstationSettings())
    assert source == "default" and url.endswith("kestrel.sqlite")


@pytest.mark.allow_log(logging.WARNING, logger="kestrel.config", match="ignoring")
def test_settings_file_round_trip_and_bad_values(tmp_path):
    path = tmp_path / "kestrel.toml"
    WorkstationSettings(database_url="postgresql://h/db", workstation_name="till-2").save(path)
    loaded = WorkstationSettings.load(path)
    assert (loaded.database_url, loaded.workstation_name) == ("postgresql://h/db", "till-2")
    path.write_text('database_url = 5\nmystery = "x"\ntheme = "dark"\n')
    loaded = WorkstationSettings.load(path)
    assert loaded.database_url == "" and loaded.theme == "dark"
    path.write_text("this is [not toml")
    assert WorkstationSettings.load(path) == WorkstationSettings(
        workstation_name=WorkstationSettings().workstation_name
    )


@pytest.mark.postgres
def test_demo_and_check_on_postgresql(pg_empty_url):
    made = run("demo", "--database", pg_empty_url, "--products", "40", "--orders", "80")
    assert made.returncode == 0, made.stderr
    assert run("check", "--database", pg_empty_url).returncode == 0


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


def test_a_shared_database_password_stays_out_of_the_settings_file(tmp_path):
    from app import secrets

    url = "postgresql+psycopg://clerk:s3cret@db.shop.lan:5433/kestrel"
    assert secrets.without_password(url) == "postgresql+psycopg://clerk@db.shop.lan:5433/kestrel"
    assert secrets.with_stored_password(url) == url  # a password given is used as given
    local = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert secrets.with_stored_password(local) == local


def test_a_home_that_cannot_be_written_still_works_and_says_so(tmp_path):
    """A kiosk with a read-only profile: Kestrel works from a temporary folder and says
    what is wrong and how to fix it."""
    done = run(
        "selftest",
        "--database",
        f"sqlite:///{tmp_path / 'shop.sqlite'}",
        env={"KESTREL_HOME": "/proc/kestrel-cannot-be-here"},
    )
    assert done.returncode == 0, done.stderr
    assert "cannot write to /proc/kestrel-cannot-be-here" in done.stderr
    assert "KESTREL_HOME" in done.stderr and "receipt done" in done.stdout


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


@pytest.mark.parametrize(
    "url", ["postgresql://u:pw-secret@[::1/x", "postgresql://u:pw-secret@host:port/x", "nope"]
)
def test_a_malformed_database_address_is_a_clear_error(url):
    result = run("check", "--database", url)
    assert result.returncode == 2
    assert "is not a database address" in result.stderr
    assert "Traceback" not in result.stderr
    assert "pw-secret" not in result.stderr + result.stdout


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


@pytest.mark.parametrize("command", [["check"], ["migrate", "--status"], ["wave", "--all"]])
def test_reading_commands_create_no_folder_and_no_file(tmp_path, capsys, command):
    missing = tmp_path / "not" / "here" / "shop.sqlite"
    assert cli.main([*command, "--database", f"sqlite:///{missing}"]) == 2
    assert "There is no database at" in capsys.readouterr().err
    assert not (tmp_path / "not").exists()


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
