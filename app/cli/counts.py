"""`kestrel count start|scan|show|approve|cancel`: cycle counts for a stock keeper's script
or a workstation without a screen (services/stock/counts.py holds the rules).

`kestrel count show CNT-N --json` prints {"number", "state", "blind", "scope", "lines":
[{"sku", "bin", "expected", "counted", "variance", "value"}]} (value in minor units; expected,
variance and value are null in an open blind count for a user who may not adjust stock).
A refusal exits 1 with its words on stderr; nothing is written.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))
    count = sub.add_parser("count", help=_("cycle counts: start, scan, show, approve, cancel"))
    verbs = count.add_subparsers(dest="count_command", metavar="ACTION", required=True)

    start = verbs.add_parser("start", parents=[shared], help=_("open a count"))
    scope = start.add_mutually_exclusive_group(required=True)
    scope.add_argument("--bin", metavar="CODE", help=_("one bin"))
    scope.add_argument("--zone", metavar="CODE", help=_("every bin under a location"))
    scope.add_argument("--sku", action="append", metavar="SKU", help=_("products (repeat)"))
    start.add_argument("--blind", action="store_true", help=_("hide expected quantities"))
    start.add_argument("--json", action="store_true")
    start.set_defaults(handler=refusing("count start", cmd_start))

    scan = verbs.add_parser("scan", parents=[shared], help=_("count a scanned code in a bin"))
    scan.add_argument("number", metavar="COUNT-NUMBER")
    scan.add_argument("--bin", required=True, metavar="CODE")
    scan.add_argument("--code", required=True, metavar="BARCODE", help=_("a barcode or SKU"))
    scan.add_argument("--qty", type=int, default=1, metavar="N")
    scan.set_defaults(handler=refusing("count scan", cmd_scan))

    show = verbs.add_parser("show", parents=[shared], help=_("a count's lines and variances"))
    show.add_argument("number", metavar="COUNT-NUMBER")
    show.add_argument("--json", action="store_true", help=_("stable JSON (see module docstring)"))
    show.set_defaults(handler=refusing("count show", cmd_show))

    for verb, helptext in (("approve", "apply the variances"), ("cancel", "drop the count")):
        closing = verbs.add_parser(verb, parents=[shared], help=helptext)
        closing.add_argument("number", metavar="COUNT-NUMBER")
        closing.set_defaults(handler=refusing(f"count {verb}", cmd_close), verb=verb)


def cmd_start(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import counts

    with open_database(url, create=False).write() as session:
        count_id = counts.start(
            session,
            acting_user(session, args.user),
            bin_code=args.bin,
            zone_code=args.zone,
            skus=args.sku,
            blind=args.blind,
        )
    number = counts.number(count_id)
    print(json.dumps({"number": number}) if args.json else f"Count {number} started.")
    return 0


def cmd_scan(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import counts

    with open_database(url, create=False).write() as session:
        result = counts.scan(
            session,
            acting_user(session, args.user),
            counts.parse_number(args.number),
            args.bin,
            args.code,
            args.qty,
        )
    print(
        _("{sku} in {bin}: +{added}, counted {counted}").format(
            sku=result.sku, bin=result.bin, added=result.added, counted=result.counted
        )
    )
    return 0


def cmd_show(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import counts

    with open_database(url, create=False).read() as session:
        count_id = counts.parse_number(args.number)
        count, lines = counts.show(session, acting_user(session, args.user), count_id)
        head = {
            "number": counts.number(count.id),
            "state": count.state,
            "blind": bool(count.blind),
            "scope": count.scope,
        }
    if args.json:
        print(json.dumps({**head, "lines": [asdict(line) for line in lines]}, indent=2))
        return 0
    print(
        f"{head['number']} ({head['state']}{', blind' if head['blind'] else ''}): {head['scope']}"
    )
    for ln in lines:
        expected = "?" if ln.expected is None else ln.expected
        variance = "" if ln.variance is None else f"  variance {ln.variance:+d}"
        print(
            _("  {bin:<16} {sku:<20} expected {expected}  counted {counted}{variance}").format(
                bin=ln.bin, sku=ln.sku, expected=expected, counted=ln.counted, variance=variance
            )
        )
    return 0


def cmd_close(args: argparse.Namespace, url: str) -> int:
    from app.services.stock import counts

    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        count_id = counts.parse_number(args.number)
        if args.verb == "approve":
            made = counts.approve(session, actor, count_id)
            said = f"Count {counts.number(count_id)} approved: {made} adjustment(s) made."
        else:
            counts.cancel(session, actor, count_id)
            said = f"Count {counts.number(count_id)} cancelled: nothing moved."
    print(said)
    return 0
