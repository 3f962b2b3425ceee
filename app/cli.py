"""The `kestrel` command: the GUI by default, and the administrator's sub-commands.

`--database URL` is accepted before or after the sub-command; without it the database
comes from KESTREL_DATABASE_URL, then the workstation settings file, then the local file.
Exit codes: 0 fine, 1 the command found problems, 2 it could not do its work.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__, transfer_cli
from app.config import WorkstationSettings, resolve_database_url
from app.core.errors import KestrelError
from app.logs import setup_logging

log = logging.getLogger("kestrel.cli")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="sqlite:///path/to/file.sqlite or postgresql://user@host/dbname",
    )
    parser = argparse.ArgumentParser(
        prog="kestrel", description="Kestrel order management.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"kestrel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", parents=[common], help="start the application (the default)")
    _gui_options(gui)
    _gui_options(parser)

    migrate = sub.add_parser("migrate", parents=[common], help="create or upgrade the schema")
    migrate.add_argument("--status", action="store_true", help="only say where the schema stands")
    migrate.add_argument(
        "--workstation-role",
        metavar="ROLE",
        help="PostgreSQL: the role the workstations sign in as, created if missing (password "
        "from KESTREL_WORKSTATION_PASSWORD or asked) and granted what the app needs",
    )

    demo = sub.add_parser("demo", parents=[common], help="fill an empty store with demo data")
    demo.add_argument("--products", type=int, default=300)
    demo.add_argument("--customers", type=int, default=80)
    demo.add_argument("--orders", type=int, default=400)
    demo.add_argument("--seed", type=int, default=7)

    sub.add_parser("check", parents=[common], help="check stock and order totals for integrity")

    emulator = sub.add_parser(
        "printer-emulator", parents=[common], help="a TCP printer on loopback that keeps each job"
    )
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=_port, default=9100, help="0 to 65535 (0: any free)")
    emulator.add_argument("--out", default="printed", help="folder for the jobs received")
    emulator.add_argument("--profile", default="default", help="python-escpos printer profile")
    for fault in ("refuse", "stall", "reset"):
        emulator.add_argument(
            f"--{fault}", type=float, default=0.0, metavar="P", help=f"chance to {fault} a job"
        )
    emulator.add_argument("--seed", type=int, default=None)
    emulator.add_argument("--paper-out", action="store_true", help="answer status: paper out")

    test = sub.add_parser("print-test", parents=[common], help="print a test page")
    _printer_options(test)
    test.add_argument("--kind", choices=("receipt", "label", "document"), default="receipt")

    doc = sub.add_parser("print", parents=[common], help="print an order's document")
    doc.add_argument("order_number")
    doc.add_argument(
        "--doc",
        required=True,
        choices=(
            "receipt",
            "invoice",
            "packing-slip",
            "delivery-note",
            "pick-list",
            "shipping-label",
            "product-labels",
        ),
    )
    _printer_options(doc)

    _shop_commands(sub, common)
    transfer_cli.register(sub, common)

    user = sub.add_parser("add-user", parents=[common], help="add a user (password asked)")
    user.add_argument("username")
    user.add_argument("--role", default="clerk", help="admin, manager, clerk, cashier, picker")
    user.add_argument("--name", default="")
    return parser


def _shop_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Carriers, waves, moving to a shared database, and the installation self-test."""
    carrier = sub.add_parser("carrier", parents=[common], help="list or add carriers")
    carrier.add_argument("action", choices=("list", "add"))
    carrier.add_argument("code", nargs="?", help="short code, e.g. DHL")
    carrier.add_argument("--name", default="")
    carrier.add_argument("--service", default="")
    carrier.add_argument("--pattern", default="", help=r"tracking regex, e.g. JJD\d{18}")
    carrier.add_argument("--template", default="", help="to make numbers, e.g. KP{n:09d}IE")
    carrier.add_argument("--url", default="", help="tracking page with {tracking}")

    wave = sub.add_parser("wave", parents=[common], help="make a pick list of confirmed orders")
    wave.add_argument("orders", nargs="*", metavar="ORDER", help="order numbers (SO-000123)")
    wave.add_argument("--all", action="store_true", help="every confirmed order (up to --limit)")
    wave.add_argument("--warehouse", default="", help="warehouse code (with --all)")
    wave.add_argument("--limit", type=int, default=1000)

    move = sub.add_parser(
        "move-to", parents=[common], help="copy this store into an empty shared database"
    )
    move.add_argument("target", metavar="URL", help="postgresql://user@host/database")

    sub.add_parser(
        "selftest",
        parents=[common],
        help="prove this installation works: a demo store, a counter sale, its receipt printed",
    )


def _port(text: str) -> int:
    """A TCP port, refused by argparse in words (not a traceback from bind)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a TCP port: use 0 to 65535")
    return port


def _printer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--printer", required=True, metavar="URI", help="e.g. tcp://host:9100")
    parser.add_argument("--language", choices=("escpos", "zpl", "pdf"), default=None)
    parser.add_argument("--profile", default="default")
    parser.add_argument("--paper", type=int, default=80, help="receipt paper width, mm")
    parser.add_argument("--dpi", type=int, default=203, help="label printer resolution")


def _gui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sign-in",
        metavar="USER",
        default=argparse.SUPPRESS,
        help="sign in as USER with the password in KESTREL_PASSWORD (kiosks, scripts)",
    )
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the start-up time once the main window is shown, then exit",
    )
    parser.add_argument(
        "--open-every-screen",
        action="store_true",
        default=argparse.SUPPRESS,
        help="with --exit-when-ready: open every screen first and print resident memory",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "gui"
    setup_logging(to_file=command == "gui")
    settings = WorkstationSettings.load()
    url, source = resolve_database_url(getattr(args, "database", None), settings)
    log.info("database from %s", source)
    if command == "gui":
        from app.syscheck import gui_problem

        problem = gui_problem()  # before Qt, which would abort without saying why
        if problem:
            print(problem, file=sys.stderr)
            return 3
        from app.views.app import run_gui

        return run_gui(
            url,
            settings,
            sign_in=getattr(args, "sign_in", None),
            exit_when_ready=getattr(args, "exit_when_ready", False),
            open_every_screen=getattr(args, "open_every_screen", False),
        )
    from app import paths

    for warning in paths.WARNINGS:
        print(f"kestrel: {warning}", file=sys.stderr)
    try:
        return COMMANDS[command](args, url)
    except KestrelError as exc:
        print(f"kestrel {command}: {exc.message}", file=sys.stderr)
        return 2


def _open(url: str, *, create: bool):  # type: ignore[no-untyped-def]
    """Open the database for a command; create the schema only where the command may."""
    from app import db

    _refuse_missing_file(url, create=create)
    database = db.Database.open(url)
    db.check_connection(database.engine)
    state, _ = db.schema_state(database.engine)
    if state is db.SchemaState.EMPTY and create:
        db.migrate(database.engine)
    elif state is db.SchemaState.EMPTY:
        raise KestrelError(f"{database.description} is empty. Run `kestrel migrate` first.")
    elif state is db.SchemaState.OUTDATED:
        raise KestrelError(
            f"{database.description} has an older schema. Run `kestrel migrate` to upgrade it."
        )
    elif state is not db.SchemaState.CURRENT:
        db.migrate(database.engine)  # raises the clear SchemaError for newer / foreign
    return database


def _refuse_missing_file(url: str, *, create: bool) -> None:
    """A command that only reads or checks creates no file and no folder on its way."""
    from app import db

    path = db.sqlite_file(url)
    if path is not None and not create and not path.exists():
        where = path.parent if not path.parent.exists() else path
        raise KestrelError(
            f"There is no database at {path} ({where} does not exist). Check the address, "
            "or run `kestrel migrate` to create one."
        )


def cmd_migrate(args: argparse.Namespace, url: str) -> int:
    from app import db
    from app.core.bootstrap import ensure_base_data

    _refuse_missing_file(url, create=not args.status)
    database = db.Database.open(url)
    db.check_connection(database.engine)
    state, current = db.schema_state(database.engine)
    if args.status:
        print(
            f"{database.description}: schema {state.value} ({current or 'none'}), "
            f"this Kestrel knows {db.head_revision()}"
        )
        return 0 if state is db.SchemaState.CURRENT else 1
    db.migrate(database.engine)
    with database.write() as session:
        ensure_base_data(session)
    print(f"{database.description}: schema at {db.head_revision()}")
    if database.is_shared:
        _grant_workstations(database, args.workstation_role)
    elif args.workstation_role:
        print("(a local file has no roles: --workstation-role is for PostgreSQL)")
    return 0


def _grant_workstations(database, role: str | None) -> None:  # type: ignore[no-untyped-def]
    """The workstations' role gets its grants; the roles that had them get them renewed."""
    from app import db_roles

    if role:
        password = os.environ.get("KESTREL_WORKSTATION_PASSWORD") or (
            None
            if db_roles.role_exists(database.engine, role)
            else getpass.getpass(f"Password for the new role {role}: ")
        )
        created = db_roles.grant_workstation_role(database.engine, role, password)
        print(f"workstations sign in as {role} ({'created' if created else 'granted'})")
    roles = db_roles.renew_grants(database.engine, but=role or "")
    for other in roles:
        print(f"grants renewed for {other}")
    if not role and not roles:
        print(
            "Workstations should not sign in as the schema's owner: run "
            f"`kestrel migrate --workstation-role {db_roles.DEFAULT_ROLE}` and give them that "
            "role's sign-in."
        )


def cmd_demo(args: argparse.Namespace, url: str) -> int:
    from app.admin.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
    from app.core import auth

    database = _open(url, create=True)

    def progress(stage: str, done: int, total: int) -> None:
        if total >= 100_000:
            print(f"  {stage}: {done:,} / {total:,}", file=sys.stderr)

    with database.write() as session:
        stats = build_demo(
            session,
            auth.SYSTEM,
            products=args.products,
            customers=args.customers,
            orders=args.orders,
            seed=args.seed,
            progress=progress,
        )
    for table, count in stats.rows.items():
        print(f"  {table:<16} {count:>12,}")
    print(
        f"demo store: {stats.total_rows:,} rows in {stats.seconds:.1f} s "
        f"({stats.rows_per_second:,.0f} rows/s)"
    )
    if stats.rows.get("users"):
        names = ", ".join(u[0] for u in DEMO_USERS)
        print(f"demo sign-ins: {names} (password {DEMO_PASSWORD})")
    return 0


def cmd_check(_args: argparse.Namespace, url: str) -> int:
    from app.services.stock.integrity import check

    database = _open(url, create=False)
    with database.read() as session:
        problems = check(session)
    if not problems:
        print(f"{database.description}: stock levels match the ledger; order totals match lines.")
        return 0
    print(f"{database.description}: {len(problems)} problem(s) found:")
    for problem in problems:
        print(f"  [{problem.kind}] {problem.message}")
    return 1


def cmd_add_user(args: argparse.Namespace, url: str) -> int:
    from app.core import auth

    password = os.environ.get("KESTREL_PASSWORD") or getpass.getpass(
        f"Password for {args.username}: "
    )
    database = _open(url, create=True)
    with database.write() as session:
        actor = None if auth.user_count(session) == 0 else auth.SYSTEM
        created = auth.create_user(session, actor, args.username, password, args.role, args.name)
    print(f"user {created.username} ({created.role.value}) added")
    return 0


def cmd_printer_emulator(args: argparse.Namespace, _url: str) -> int:
    import time
    from pathlib import Path

    from app.admin.emulator import Faults, PrinterEmulator

    out = Path(args.out).resolve()
    faults = Faults(refuse=args.refuse, stall=args.stall, reset=args.reset)
    try:
        printer = PrinterEmulator(
            args.host, args.port, out, faults, args.seed, args.profile, args.paper_out
        )
    except (OSError, OverflowError) as exc:
        raise KestrelError(
            f"Cannot listen on {args.host}:{args.port} ({getattr(exc, 'strerror', None) or exc}):"
            " choose another --port or --host."
        ) from exc
    print(f"printer emulator on {printer.uri}, keeping jobs in {out} (Ctrl+C stops)", flush=True)
    seen = 0
    printer.start()
    try:
        while True:
            time.sleep(0.2)
            while seen < len(printer.jobs):
                seen += 1
                reading = printer.reading(printer.jobs[seen - 1]).strip().splitlines()
                print(f"job {seen}: {len(printer.jobs[seen - 1])} bytes, {reading[:1]}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


def _adhoc_printer(args: argparse.Namespace, role: str):  # type: ignore[no-untyped-def]
    from app.printing.transports import parse_uri
    from app.services.printing.queue import LANGUAGES, PrinterRow

    parse_uri(args.printer)  # a malformed address is refused before anything is rendered
    language = args.language or LANGUAGES[role][0]
    return PrinterRow(
        0, args.printer, args.printer, role, language, args.profile, args.paper, args.dpi, True
    )


def _send(printer, payload: bytes, language: str, name: str) -> str:  # type: ignore[no-untyped-def]
    from app.printing.transports import parse_uri, send

    delivery = send(parse_uri(printer.uri), payload, language, name)
    return delivery.where + (f" (printer: {delivery.status})" if delivery.status else "")


def cmd_print_test(args: argparse.Namespace, _url: str) -> int:
    from app.printing.documents import Company
    from app.services.printing.documents import render_test_page

    printer = _adhoc_printer(args, args.kind)
    rendered = render_test_page(printer, Company("Kestrel"))
    where = _send(printer, rendered.payload, rendered.language, "test-page")
    print(f"test page ({len(rendered.payload)} bytes) sent to {where}")
    return 0


def cmd_print(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.models import SalesOrder
    from app.services.printing.documents import render_for
    from app.services.printing.queue import ORDER_DOCUMENTS
    from app.services.sales import orders

    database = _open(url, create=False)
    printer = _adhoc_printer(args, ORDER_DOCUMENTS[args.doc])
    with database.read() as session:
        order_id = orders.find_order_id(session, args.order_number)
        if order_id is None:
            raise KestrelError(f"There is no order {args.order_number}.")
        rendered = render_for(session, printer, args.doc, order_id)
    where = _send(printer, rendered.payload, rendered.language, f"{args.doc}-{args.order_number}")
    with database.write() as session:
        order = session.get(SalesOrder, order_id)
        assert order is not None
        orders.record_event(  # as before: on the timeline, not in the audit log
            session,
            order,
            auth.SYSTEM,
            "printed",
            f"{args.doc.replace('-', ' ').capitalize()} printed to {args.printer}",
            audited=False,
        )
    print(f"{args.doc} of {args.order_number} ({len(rendered.payload)} bytes) sent to {where}")
    return 0


def cmd_carrier(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.services.fulfilment import shipping

    database = _open(url, create=False)
    if args.action == "add":
        if not args.code:
            raise KestrelError("Give the carrier's code: kestrel carrier add CODE --name NAME")
        data = shipping.CarrierInput(
            args.code, args.name or args.code, args.service, args.pattern, args.template, args.url
        )
        with database.write() as session:
            shipping.add_carrier(session, auth.SYSTEM, data)
    with database.read() as session:
        rows = shipping.carriers(session)
    for row in rows:
        made = f"  makes {row.tracking_template}" if row.tracking_template else ""
        print(f"{row.code:<10} {row.label:<30} {row.tracking_pattern or 'any number'}{made}")
    return 0


def cmd_wave(args: argparse.Namespace, url: str) -> int:
    from sqlalchemy import select

    from app.core import auth
    from app.models import SalesOrder, Warehouse
    from app.services.fulfilment import picking
    from app.services.sales import orders

    database = _open(url, create=False)
    with database.write() as session:
        ids: list[int] = []
        for number in args.orders:
            found = orders.find_order_id(session, number)
            if found is None:
                raise KestrelError(f"There is no order {number}.")
            ids.append(found)
        if args.all:
            stmt = select(SalesOrder.id).where(SalesOrder.status == "confirmed")
            if args.warehouse:
                stmt = stmt.join(Warehouse, Warehouse.id == SalesOrder.warehouse_id).where(
                    Warehouse.code == args.warehouse.upper()
                )
            ids += session.scalars(stmt.order_by(SalesOrder.id).limit(args.limit)).all()
        if not ids:
            raise KestrelError("Name the orders, or use --all.")
        wave = picking.create_wave(session, auth.SYSTEM, ids)
    print(f"{wave.number}: {wave.orders} order(s), {wave.lines} line(s) to pick")
    return 0


def cmd_move_to(args: argparse.Namespace, url: str) -> int:
    from app import db
    from app.admin.move_store import move_store
    from app.services.stock.integrity import check

    source = _open(url, create=False)
    shown = {"table": ""}

    def progress(table: str, done: int, total: int) -> None:
        if table != shown["table"] or done == total:
            shown["table"] = table
            print(f"  {table}: {done:,} / {total:,}", flush=True)

    report = move_store(source, args.target, progress)
    print(f"copied {report.rows:,} rows in {report.tables} tables")
    target = db.Database.open(args.target)
    failed = 0
    for name, database in (("local", source), ("shared", target)):
        with database.read() as session:
            problems = check(session)
        print(f"kestrel check ({name}, {database.description}): {len(problems)} problem(s)")
        failed += len(problems)
    target.dispose()
    if not failed:
        # never the password: it goes to each workstation's keyring (Settings > Database)
        print(f"Done. Point every workstation at it: kestrel --database {db.redact(args.target)}")
    return 1 if failed else 0


def cmd_selftest(_args: argparse.Namespace, url: str) -> int:
    """Everything a first sale needs, without a screen: schema (the bundled migrations),
    a demo store, a cash sale at the counter, its receipt drawn (bundled printer profiles
    and fonts) and sent to the preview printer, then `kestrel check`."""
    from sqlalchemy import select

    from app.admin.demo import build_demo
    from app.core import auth
    from app.models import Barcode, Location, Product, StockLevel
    from app.services.printing.queue import ensure_preview_printers
    from app.services.printing.worker import PrintWorker
    from app.services.sales import till
    from app.services.sales.counter import Cart, Tender, complete_sale
    from app.services.stock import catalogue
    from app.services.stock.integrity import check

    database = _open(url, create=True)
    with database.write() as session:
        if auth.user_count(session) == 0:
            auth.create_user(session, None, "admin", "selftest-pass", auth.Role.ADMIN, "Admin")
        if not session.scalar(select(Product.id).limit(1)):
            build_demo(session, auth.SYSTEM, products=30, customers=5, orders=20, with_users=False)
        ensure_preview_printers(session, "selftest")
        if till.current(session, "selftest") is None:
            till.open_session(session, auth.SYSTEM, "selftest", 10_000, "selftest")
        code = session.scalar(
            select(Barcode.code)
            .join(StockLevel, StockLevel.product_id == Barcode.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand > 0)
            .limit(1)
        )
        hit = catalogue.find_by_code(session, code or "")
        if hit is None:
            raise KestrelError("The demo store has nothing on the shop's shelves to sell.")
        cart = Cart()
        cart.add(hit)
        total = cart.totals()[2]
        sale = complete_sale(
            session, auth.SYSTEM, cart, [Tender("cash", total)], "selftest", "selftest"
        )
    worker = PrintWorker(database, "selftest", idle_poll=0.05)
    while worker.run_once():
        pass
    with database.read() as session:
        from app.services.printing import queue as printing

        (job,) = [j for j in printing.list_jobs(session, "selftest") if j.id == sale.receipt_job_id]
        problems = check(session)
    from app.core.money import to_decimal
    from app.core.settings import get_setting

    with database.read() as session:
        currency = get_setting(session, "currency")
    print(f"sale {sale.number}: {to_decimal(total, currency)} paid in cash; receipt {job.state}")
    print(f"kestrel check: {len(problems)} problem(s)")
    return 0 if job.state == "done" and not problems else 1


COMMANDS = {
    "selftest": cmd_selftest,
    "move-to": cmd_move_to,
    "carrier": cmd_carrier,
    "wave": cmd_wave,
    "printer-emulator": cmd_printer_emulator,
    "print-test": cmd_print_test,
    "print": cmd_print,
    "migrate": cmd_migrate,
    "demo": cmd_demo,
    "check": cmd_check,
    "add-user": cmd_add_user,
    **transfer_cli.COMMANDS,
}
