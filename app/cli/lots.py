"""`kestrel lot expiring [--days N] [--warehouse CODE] [--json]` and `kestrel lot trace SKU
LOT [--json]`: the lot books for a script, a recall, or a workstation without a screen
(services/stock/lot_reports.py holds the queries).

`kestrel lot expiring --json` prints {"within_days", "lots": [{"sku", "name", "lot",
"expires_on", "bin", "on_hand"}]} (dates ISO 8601; expired lots first). `kestrel lot trace
--json` prints {"sku", "name", "lot", "expires_on", "received": [{"at", "quantity", "bin",
"origin", "purchase_order", "supplier"}], "delivered": [{"at", "quantity", "order",
"customer"}], "on_hand": [{"bin", "quantity"}]}. Exit 1 with words on stderr when refused.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))
    lot = sub.add_parser("lot", help=_("lots and serials: expiring soon, trace one lot"))
    verbs = lot.add_subparsers(dest="lot_command", metavar="ACTION", required=True)

    soon = verbs.add_parser("expiring", parents=[shared], help=_("lots that expire soon"))
    soon.add_argument("--days", type=int, default=30, metavar="N", help=_("look N days ahead"))
    soon.add_argument("--warehouse", default=None, metavar="CODE")
    soon.add_argument("--json", action="store_true", help=_("stable JSON (see module docstring)"))
    soon.set_defaults(handler=refusing("lot expiring", cmd_expiring))

    trace = verbs.add_parser("trace", parents=[shared], help=_("where a lot came from and went"))
    trace.add_argument("sku")
    trace.add_argument("lot")
    trace.add_argument("--json", action="store_true", help=_("stable JSON (see module docstring)"))
    trace.set_defaults(handler=refusing("lot trace", cmd_trace))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def cmd_expiring(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import lot_reports

    with open_database(url, create=False).read() as session:
        actor = acting_user(session, args.user)
        rows = lot_reports.expiring(session, actor, args.days, args.warehouse, limit=1000)
    if args.json:
        lots = [
            {
                "sku": r.sku,
                "name": r.name,
                "lot": r.lot,
                "expires_on": _iso(r.expires_on),
                "bin": r.bin,
                "on_hand": r.on_hand,
            }
            for r in rows
        ]
        print(json.dumps({"within_days": args.days, "lots": lots}, indent=2))
        return 0
    if not rows:
        print(_("No lot on the shelves expires within {days} days.").format(days=args.days))
    for r in rows:
        print(
            _("{expires_on}  {sku}  lot {lot}  {on_hand} in {bin}  {name}").format(
                expires_on=r.expires_on,
                sku=r.sku,
                lot=r.lot,
                on_hand=r.on_hand,
                bin=r.bin,
                name=r.name,
            )
        )
    return 0


def cmd_trace(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import lot_reports

    with open_database(url, create=False).read() as session:
        found = lot_reports.trace(session, acting_user(session, args.user), args.sku, args.lot)
    data = {
        "sku": found.sku,
        "name": found.name,
        "lot": found.lot,
        "expires_on": _iso(found.expires_on),
        "received": [
            {
                "at": _iso(r.at),
                "quantity": r.quantity,
                "bin": r.bin,
                "origin": r.origin,
                "purchase_order": r.purchase_order or None,
                "supplier": r.supplier or None,
            }
            for r in found.received
        ],
        "delivered": [
            {
                "at": _iso(d.at),
                "quantity": d.quantity,
                "order": d.order or None,
                "customer": d.customer or None,
            }
            for d in found.delivered
        ],
        "on_hand": [{"bin": b, "quantity": q} for b, q in found.on_hand],
    }
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(
        _("{sku}  {name}  lot {lot}  expires {expires_on}").format(
            sku=found.sku, name=found.name, lot=found.lot, expires_on=found.expires_on or "never"
        )
    )
    for r in found.received:
        source = f"{r.purchase_order} from {r.supplier}" if r.purchase_order else r.origin
        print(
            _("  in   {value}  {quantity} into {bin}  ({source})").format(
                value=_iso(r.at), quantity=r.quantity, bin=r.bin, source=source
            )
        )
    for d in found.delivered:
        print(
            _("  out  {value}  {quantity} on {order}  to {customer}").format(
                value=_iso(d.at),
                quantity=d.quantity,
                order=d.order or "-",
                customer=d.customer or "-",
            )
        )
    for b, q in found.on_hand:
        print(_("  now  {q} in {b}").format(q=q, b=b))
    return 0
