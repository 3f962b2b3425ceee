"""`kestrel queue`: the acceptance queue from the command line (issue 17 item 2).

    kestrel queue list [--limit N] [--json]
    kestrel queue accept NUMBER... [--all-clear] [--user NAME]
    kestrel queue accept --all-clear
    kestrel queue reject NUMBER --reason TEXT

`list --json` prints the new orders oldest first, each with what needs attention:
`[{"number", "source", "external_id", "customer", "flags": [{"code", "message"}]}]`
(codes: stock_short, address_incomplete, email_invalid, price_differs,
duplicate_customer, duplicate_order). `accept` accepts each order on its own: a refused
one is reported and the others go on. With `--all-clear` only orders without a flag are
accepted (all of them when no NUMBER is given). Exit 0 when every order asked for was
accepted, 1 when one was refused or left for a person, 2 when the database cannot be used.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.i18n import _

LIST_LIMIT = 100


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    queue = sub.add_parser(
        "queue",
        parents=[common],
        help=_("new orders waiting for acceptance"),
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = queue.add_subparsers(dest="action", metavar="ACTION", required=True)
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))
    listing = actions.add_parser("list", parents=[shared], help=_("new orders and their flags"))
    listing.add_argument("--limit", type=int, default=LIST_LIMIT, help=_("at most this many"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=refusing("queue list", cmd_list))
    accept = actions.add_parser("accept", parents=[shared], help=_("accept new orders"))
    accept.add_argument("numbers", nargs="*", metavar="NUMBER")
    accept.add_argument("--all-clear", action="store_true", help=_("only orders without a flag"))
    accept.add_argument("--json", action="store_true")
    accept.set_defaults(handler=refusing("queue accept", cmd_accept))
    reject = actions.add_parser("reject", parents=[shared], help=_("turn a new order away"))
    reject.add_argument("number")
    reject.add_argument("--reason", required=True)
    reject.set_defaults(handler=refusing("queue reject", cmd_reject))


def row_json(row: Any) -> dict[str, object]:
    return {
        "number": row.number,
        "source": row.source or row.channel,
        "external_id": row.external_id,
        "customer": row.customer_name,
        "flags": [{"code": f.code, "message": f.message} for f in row.flags],
    }


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from app.services.sales import acceptance

    database = open_database(url, create=False)
    rows: list[Any] = []
    with database.read() as session:
        actor = acting_user(session, args.user)
        after, wanted = 0, max(1, args.limit)
        while len(rows) < wanted and (
            page := acceptance.queue_page(session, actor, after, min(wanted - len(rows), 500))
        ):
            rows += page
            after = page[-1].id
    if args.json:
        print(json.dumps([row_json(r) for r in rows], indent=2))
        return 0
    for row in rows:
        source = row.source or row.channel
        print(f"{row.number}  {source:<14} {row.customer_name}")
        for flag in row.flags:
            print(f"    {flag.code}: {flag.message}")
    if not rows:
        print(_("No new orders are waiting."))
    return 0


def cmd_accept(args: argparse.Namespace, url: str) -> int:
    from app.core.errors import ValidationError
    from app.services.sales import acceptance

    if not args.numbers and not args.all_clear:
        raise ValidationError(_("Name the orders to accept, or give --all-clear."), "numbers")
    database = open_database(url, create=False)
    with database.write() as session:
        actor = acting_user(session, args.user)
        if args.numbers:
            ids = acceptance.order_ids_by_number(session, args.numbers)
        else:
            ids = acceptance.clear_order_ids(session, actor)
        outcomes = acceptance.accept_many(session, actor, ids, only_clear=args.all_clear)
    if args.json:
        print(json.dumps([o.__dict__ for o in outcomes], indent=2))
    else:
        for o in outcomes:
            print(f"{o.number}: {'accepted' if o.accepted else 'not accepted: ' + o.message}")
        if not outcomes:
            print(_("No order without a flag is waiting."))
    return 0 if all(o.accepted for o in outcomes) else 1


def cmd_reject(args: argparse.Namespace, url: str) -> int:
    from app.services.sales import acceptance

    database = open_database(url, create=False)
    with database.write() as session:
        actor = acting_user(session, args.user)
        (order_id,) = acceptance.order_ids_by_number(session, [args.number])
        acceptance.reject(session, actor, order_id, args.reason)
    print(_("{value}: rejected (cancelled)").format(value=args.number.strip().upper()))
    return 0
