"""`kestrel bin list|add|show` (the location tree and a bin's contents) and `kestrel
transit receive|show` (a warehouse-to-warehouse transfer received at the other end).

`kestrel bin list --json` prints [{"code", "name", "kind" ("bin" or "zone"), "warehouse",
"parent", "sequence", "active", "on_hand"}]; `kestrel bin show CODE --json` prints {"code",
"contents": [{"sku", "name", "on_hand", "reserved"}]}; `kestrel transit show TR-N --json`
prints {"number", "state" ("in_transit" or "received"), "from", "to", "lines": [{"sku",
"quantity", "received"}]}. A refusal exits 1 with its words on stderr; nothing is written.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))
    group = sub.add_parser("bin", help=_("bins and zones: list, add, show contents"))
    verbs = group.add_subparsers(dest="bin_command", metavar="ACTION", required=True)

    listing = verbs.add_parser("list", parents=[shared], help=_("the location tree"))
    listing.add_argument("--warehouse", default="", metavar="CODE")
    listing.add_argument("--json", action="store_true", help=_("stable JSON (see README)"))
    listing.set_defaults(handler=refusing("bin list", cmd_list))

    add = verbs.add_parser("add", parents=[shared], help=_("a new bin (or zone, --zone)"))
    add.add_argument("code")
    add.add_argument("--warehouse", required=True, metavar="CODE")
    add.add_argument("--parent", default="", metavar="CODE", help=_("the zone it goes under"))
    add.add_argument("--sequence", type=int, default=None, metavar="N", help=_("walking order"))
    add.add_argument("--name", default="")
    add.add_argument("--zone", action="store_true", help=_("a zone (holds bins, not stock)"))
    add.set_defaults(handler=refusing("bin add", cmd_add))

    show = verbs.add_parser("show", parents=[shared], help=_("what a bin holds"))
    show.add_argument("code")
    show.add_argument("--json", action="store_true", help=_("stable JSON (see README)"))
    show.set_defaults(handler=refusing("bin show", cmd_show))

    transit = sub.add_parser("transit", help=_("transfers between warehouses: receive, show"))
    actions = transit.add_subparsers(dest="transit_command", metavar="ACTION", required=True)
    receive = actions.add_parser("receive", parents=[shared], help=_("all still on the way"))
    receive.add_argument("number", metavar="TR-NUMBER")
    receive.add_argument("--bin", required=True, metavar="CODE", help=_("a bin where it arrives"))
    receive.set_defaults(handler=refusing("transit receive", cmd_receive))
    shown = actions.add_parser("show", parents=[shared], help=_("a transfer's lines"))
    shown.add_argument("number", metavar="TR-NUMBER")
    shown.add_argument("--json", action="store_true", help=_("stable JSON (see README)"))
    shown.set_defaults(handler=refusing("transit show", cmd_transit_show))


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import bins

    with open_database(url, create=False).read() as session:
        rows = bins.list_bins(session, acting_user(session, args.user), args.warehouse)
    data = [
        {
            "code": r.code,
            "name": r.name,
            "kind": "zone" if r.kind == "view" else "bin",
            "warehouse": r.warehouse,
            "parent": r.parent,
            "sequence": r.pick_sequence,
            "active": r.active,
            "on_hand": r.on_hand,
        }
        for r in rows
    ]
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    for r in data:
        state = "" if r["active"] else "  (retired)"
        units = f"  {r['on_hand']} on hand" if r["kind"] == "bin" else ""
        print(f"{r['warehouse']:<8} {r['code']:<20} #{r['sequence']:<6} {r['name']}{units}{state}")
    return 0


def cmd_add(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import bins

    kind = "zone" if args.zone else "bin"
    with open_database(url, create=False).write() as session:
        bins.add_location(
            session,
            acting_user(session, args.user),
            args.code,
            args.warehouse,
            name=args.name,
            parent_code=args.parent,
            sequence=args.sequence,
            kind=kind,
        )
    print(
        _("Added {kind} {value} in {value2}.").format(
            kind=kind, value=args.code.upper(), value2=args.warehouse.upper()
        )
    )
    return 0


def cmd_show(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import bins

    with open_database(url, create=False).read() as session:
        rows = bins.bin_contents(session, acting_user(session, args.user), args.code)
    contents = [
        {"sku": r.sku, "name": r.name, "on_hand": r.on_hand, "reserved": r.reserved} for r in rows
    ]
    if args.json:
        print(json.dumps({"code": args.code.upper(), "contents": contents}, indent=2))
        return 0
    if not contents:
        print(_("{value} is empty.").format(value=args.code.upper()))
    for c in contents:
        print(
            _("  {c:<16} {c2:>6} on hand {c3:>6} reserved  {c4}").format(
                c=c["sku"], c2=c["on_hand"], c3=c["reserved"], c4=c["name"]
            )
        )
    return 0


def cmd_receive(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import transit

    with open_database(url, create=False).write() as session:
        units = transit.receive_all(session, acting_user(session, args.user), args.number, args.bin)
    print(
        _("Received {units} unit(s) of {value} into {value2}.").format(
            units=units, value=args.number.upper(), value2=args.bin.upper()
        )
    )
    return 0


def cmd_transit_show(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import transit

    with open_database(url, create=False).read() as session:
        data = transit.show(session, acting_user(session, args.user), args.number)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(f"{data['number']}  {data['from']} -> {data['to']}  {data['state']}")
    for line in data["lines"]:
        print(
            _("  {line:<16} {line2}/{line3} received").format(
                line=line["sku"], line2=line["received"], line3=line["quantity"]
            )
        )
    return 0
