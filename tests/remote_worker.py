"""Another workstation, as a separate process, for tests of what crosses processes.

    python -m tests.remote_worker confirm URL ORDER_ID
    python -m tests.remote_worker sell URL TILL SALES SEED PRODUCT_ID...

`sell` makes SALES counter sales of random carts of the given products and prints one
JSON line: units sold per product, sales refused for lack of stock, retries after a
deadlock or serialization failure.
"""

from __future__ import annotations

import json
import random
import sys

from app import db
from app.core import auth
from app.core.errors import OutOfStock
from app.services.sales import order_actions, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender, complete_sale
from app.services.stock import catalogue


def confirm(url: str, order_id: str) -> None:
    database = db.Database.open(url)
    with database.write() as session:
        order_actions.confirm(session, auth.SYSTEM, int(order_id))
    database.dispose()


def sell(url: str, till_name: str, sales: str, seed: str, *product_ids: str) -> None:
    database = db.Database.open(url)
    rng = random.Random(int(seed))
    ids = [int(p) for p in product_ids]
    hits = {}
    with database.read() as session:
        for pid in ids:
            sku = catalogue.product_rows(session, [pid])[0].sku
            hits[pid] = catalogue.find_by_code(session, sku)
    with database.write() as session:
        if till.current(session, till_name) is None:
            till.open_session(session, auth.SYSTEM, till_name, 0, till_name)
    sold = dict.fromkeys(ids, 0)
    refused = 0
    retries = 0
    for _ in range(int(sales)):
        cart = Cart()
        for pid in rng.sample(ids, rng.randint(1, 3)):
            cart.add(hits[pid], rng.randint(1, 2))
        total = cart.totals()[2]

        def work(session, cart=cart, total=total):  # type: ignore[no-untyped-def]
            complete_sale(
                session,
                auth.SYSTEM,
                cart,
                [Tender("card", total)],
                till_name,
                till_name,
                print_receipt=False,
            )

        try:
            retries += database.transact(work)
        except OutOfStock:
            refused += 1
            continue
        for line in cart.lines:
            sold[line.product_id] += line.quantity
    database.dispose()
    print(json.dumps({"sold": sold, "refused": refused, "retries": retries}), flush=True)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"confirm": confirm, "sell": sell}[command](*args)
