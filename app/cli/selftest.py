"""`kestrel selftest`: prove an installation works without a screen."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_database
from app.core.errors import KestrelError
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    selftest = sub.add_parser(
        "selftest",
        parents=[common],
        help=_("prove this installation works: a demo store, a counter sale, its receipt printed"),
    )
    selftest.set_defaults(handler=cmd_selftest)


def cmd_selftest(_args: argparse.Namespace, url: str) -> int:
    """Everything a first sale needs, without a screen: schema (the bundled migrations),
    a demo store, a cash sale at the counter, its receipt drawn (bundled printer profiles
    and fonts) and sent to the preview printer, then `kestrel check`."""
    from sqlalchemy import select

    from app.admin.demo import build_demo
    from app.core import auth
    from app.models import Barcode, Location, Product, StockLevel
    from app.services.printing.printers import ensure_preview_printers
    from app.services.printing.worker import PrintWorker
    from app.services.sales import till
    from app.services.sales.cart import Cart
    from app.services.sales.counter import Tender, complete_sale
    from app.services.stock import catalogue
    from app.services.stock.integrity import check

    database = open_database(url, create=True)
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
            raise KestrelError(_("The demo store has nothing on the shop's shelves to sell."))
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
    print(
        _("sale {number}: {value} paid in cash; receipt {state}").format(
            number=sale.number, value=to_decimal(total, currency), state=job.state
        )
    )
    print(_("kestrel check: {count} problem(s)").format(count=len(problems)))
    return 0 if job.state == "done" and not problems else 1
