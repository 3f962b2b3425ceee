"""`kestrel stock SKU [--json]`, `kestrel adjust` and `kestrel transfer` (bin to bin).

`kestrel stock SKU --json` prints {"sku", "name", "warehouses": [{"code", "on_hand",
"reserved", "available", "incoming", "bins": [{"code", "on_hand", "reserved"}]}]};
incoming: ordered, not yet received, on open purchase orders. `--user NAME` acts with that
user's role (a clerk or picker is refused an adjustment); without it, as the system
administrator.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import acting_user as _actor
from app.cli.common import open_database, refusing
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))

    stock = sub.add_parser("stock", parents=[shared], help=_("a product's stock per warehouse/bin"))
    stock.add_argument("sku")
    stock.add_argument("--json", action="store_true", help=_("stable JSON (see README)"))
    stock.set_defaults(handler=refusing("stock", cmd_stock))

    adjust = sub.add_parser("adjust", parents=[shared], help=_("correct a bin's count"))
    adjust.add_argument("sku")
    adjust.add_argument("--bin", required=True, metavar="CODE")
    adjust.add_argument("--qty", required=True, type=int, metavar="N", help=_("signed: -2 or 3"))
    adjust.add_argument("--reason", required=True, help=_("damaged, lost, found or correction"))
    adjust.add_argument("--note", default="")
    adjust.add_argument("--lot", default="", help=_("the lot or serial the units are in"))
    adjust.set_defaults(handler=refusing("adjust", cmd_adjust))

    move = sub.add_parser(
        "transfer",
        parents=[shared],
        help=_("move units from bin to bin"),
        description=_(
            "Move units from one bin to another. Within a warehouse they move at "
            "once; to a bin of another warehouse they leave for in-transit under a "
            "TR- number and arrive with `kestrel transit receive TR-NUMBER --bin "
            "CODE` (or by scan)."
        ),
    )
    move.add_argument("sku")
    move.add_argument("--from", dest="source", required=True, metavar="BIN")
    move.add_argument("--to", dest="target", required=True, metavar="BIN")
    move.add_argument("--qty", required=True, type=int, metavar="N")
    move.add_argument("--lot", default="", help=_("the lot or serial the units are in"))
    move.set_defaults(handler=refusing("transfer", cmd_transfer))


def cmd_stock(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import overview

    with open_database(url, create=False).read() as session:
        data = overview.stock_for_sku(session, _actor(session, args.user), args.sku)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(f"{data['sku']}  {data['name']}")
    if not data["warehouses"]:
        print(_("  no stock anywhere"))
    for w in data["warehouses"]:
        print(
            _("  {w}: on hand {w2}, reserved {w3}, available {w4}, incoming {w5}").format(
                w=w["code"], w2=w["on_hand"], w3=w["reserved"], w4=w["available"], w5=w["incoming"]
            )
        )
        for b in w["bins"]:
            print(
                _("    {b}: on hand {b2}, reserved {b3}").format(
                    b=b["code"], b2=b["on_hand"], b3=b["reserved"]
                )
            )
    return 0


def cmd_adjust(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import adjustments

    with open_database(url, create=False).write() as session:
        actor = _actor(session, args.user)
        adjustments.adjust_by_code(
            session, actor, args.sku, args.bin, args.qty, args.reason, args.note, args.lot
        )
    print(
        _("Adjusted {sku} in {bin} by {qty:+d} ({reason}).").format(
            sku=args.sku, bin=args.bin, qty=args.qty, reason=args.reason
        )
    )
    return 0


def cmd_transfer(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import adjustments, transit

    with open_database(url, create=False).write() as session:
        actor = _actor(session, args.user)
        if args.lot:  # a named lot moves bin to bin within its warehouse
            adjustments.transfer_by_code(
                session, actor, args.sku, args.source, args.target, args.qty, args.lot
            )
            said = f"Moved {args.qty} x {args.sku} from {args.source} to {args.target}."
        else:
            said = transit.move_between_bins(
                session, actor, args.sku, args.source, args.target, args.qty
            )
    print(said)
    return 0
