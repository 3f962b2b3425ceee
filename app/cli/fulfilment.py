"""`kestrel carrier` and `wave`: carriers and pick lists from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_database
from app.core.errors import KestrelError
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    carrier = sub.add_parser("carrier", parents=[common], help=_("list or add carriers"))
    carrier.add_argument("action", choices=("list", "add"))
    carrier.add_argument("code", nargs="?", help=_("short code, e.g. DHL"))
    carrier.add_argument("--name", default="")
    carrier.add_argument("--service", default="")
    carrier.add_argument("--pattern", default="", help="tracking regex, e.g. JJD\\d{18}")
    carrier.add_argument("--template", default="", help=_("to make numbers, e.g. KP{n:09d}IE"))
    carrier.add_argument("--url", default="", help=_("tracking page with {tracking}"))
    carrier.set_defaults(handler=cmd_carrier)

    wave = sub.add_parser("wave", parents=[common], help=_("make a pick list of confirmed orders"))
    wave.add_argument("orders", nargs="*", metavar="ORDER", help=_("order numbers (SO-000123)"))
    wave.add_argument("--all", action="store_true", help=_("every confirmed order (up to --limit)"))
    wave.add_argument("--warehouse", default="", help=_("warehouse code (with --all)"))
    wave.add_argument("--limit", type=int, default=1000)
    wave.set_defaults(handler=cmd_wave)


def cmd_carrier(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.services.fulfilment import shipping

    database = open_database(url, create=False)
    if args.action == "add":
        if not args.code:
            raise KestrelError(_("Give the carrier's code: kestrel carrier add CODE --name NAME"))
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
    from app.services.fulfilment import waves
    from app.services.sales import order_detail

    database = open_database(url, create=False)
    with database.write() as session:
        ids: list[int] = []
        for number in args.orders:
            found = order_detail.find_order_id(session, number)
            if found is None:
                raise KestrelError(_("There is no order {number}.").format(number=number))
            ids.append(found)
        if args.all:
            stmt = select(SalesOrder.id).where(SalesOrder.status == "confirmed")
            if args.warehouse:
                stmt = stmt.join(Warehouse, Warehouse.id == SalesOrder.warehouse_id).where(
                    Warehouse.code == args.warehouse.upper()
                )
            ids += session.scalars(stmt.order_by(SalesOrder.id).limit(args.limit)).all()
        if not ids:
            raise KestrelError(_("Name the orders, or use --all."))
        wave = waves.create_wave(session, auth.SYSTEM, ids)
    print(
        _("{number}: {orders} order(s), {lines} line(s) to pick").format(
            number=wave.number, orders=wave.orders, lines=wave.lines
        )
    )
    return 0
