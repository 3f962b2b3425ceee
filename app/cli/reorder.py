"""`kestrel reorder [--warehouse CODE] [--dry-run] [--json]` and `kestrel reorder-rule
set|list|remove`: the buyer's run and its rules (services/purchasing/ holds the rules).

`kestrel reorder --json` prints {"purchase_orders": [{"number", "supplier", "warehouse",
"lines": [{"sku", "quantity"}]}], "overstock": [{"sku", "warehouse", "projected", "max",
"excess"}], "skipped": [{"sku", "warehouse", "reason"}]}: supplier and warehouse as codes
(a supplier without a code by its name); with --dry-run the numbers are null and nothing
is written. `kestrel reorder-rule list --json` prints [{"sku", "warehouse", "min", "max",
"multiple", "supplier", "lead_days"}]. A refusal exits 1 with its words on stderr.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.i18n import _

LIST_PAGE = 1000


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))

    run = sub.add_parser(
        "reorder", parents=[shared], help=_("draft purchase orders for stock below its minimum")
    )
    run.add_argument("--warehouse", default="", metavar="CODE", help=_("only this warehouse"))
    run.add_argument(
        "--dry-run", action="store_true", help=_("say what it would order, write nothing")
    )
    run.add_argument("--json", action="store_true", help=_("stable JSON (see README)"))
    run.set_defaults(handler=refusing("reorder", cmd_reorder))

    rule = sub.add_parser("reorder-rule", help=_("reorder rules: set, list, remove"))
    verbs = rule.add_subparsers(dest="rule_command", metavar="ACTION", required=True)
    put = verbs.add_parser("set", parents=[shared], help=_("add or change a product's rule"))
    put.add_argument("sku")
    put.add_argument("--warehouse", required=True, metavar="CODE")
    put.add_argument("--min", dest="min_qty", required=True, type=int, metavar="N")
    put.add_argument("--max", dest="max_qty", required=True, type=int, metavar="N")
    put.add_argument("--multiple", type=int, default=1, metavar="N")
    put.add_argument("--supplier", default="", metavar="CODE", help=_("default: the cheapest"))
    put.add_argument("--lead-days", type=int, default=None, metavar="N")
    put.set_defaults(handler=refusing("reorder-rule set", cmd_set))

    show = verbs.add_parser("list", parents=[shared], help=_("the rules, by warehouse and SKU"))
    show.add_argument("--warehouse", default="", metavar="CODE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=refusing("reorder-rule list", cmd_list))

    drop = verbs.add_parser("remove", parents=[shared], help=_("remove a product's rule"))
    drop.add_argument("sku")
    drop.add_argument("--warehouse", required=True, metavar="CODE")
    drop.set_defaults(handler=refusing("reorder-rule remove", cmd_remove))


def cmd_reorder(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing.reorder import run_reorder

    database = open_database(url, create=False)
    with database.read() if args.dry_run else database.write() as session:
        actor = acting_user(session, args.user)
        result = run_reorder(session, actor, args.warehouse, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return 0
    verb = "would draft" if args.dry_run else "drafted"
    print(
        _("Reorder {verb} {count} purchase order(s):").format(
            verb=verb, count=len(result.purchase_orders)
        )
    )
    for order in result.purchase_orders:
        number = order.number or "(dry run)"
        print(
            _("  {number}  {supplier} -> {warehouse}: {count} line(s)").format(
                number=number,
                supplier=order.supplier,
                warehouse=order.warehouse,
                count=len(order.lines),
            )
        )
        for line in order.lines:
            print(f"    {line.sku:<20} {line.quantity:>8,}")
    if result.overstock:
        print(_("Overstock ({count}):").format(count=len(result.overstock)))
        for o in result.overstock:
            print(
                _("  {sku} in {warehouse}: {projected:,} projected, max {max:,}").format(
                    sku=o.sku, warehouse=o.warehouse, projected=o.projected, max=o.max
                )
            )
    if result.skipped:
        print(_("Not ordered ({count}):").format(count=len(result.skipped)))
        for s in result.skipped:
            print(
                _("  {sku} in {warehouse}: {reason}").format(
                    sku=s.sku, warehouse=s.warehouse, reason=s.reason
                )
            )
    return 0


def cmd_set(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import rules

    data = rules.RuleInput(
        args.sku,
        args.warehouse,
        args.min_qty,
        args.max_qty,
        args.multiple,
        args.supplier,
        args.lead_days,
    )
    with open_database(url, create=False).write() as session:
        rules.set_rule(session, acting_user(session, args.user), data)
    print(
        _("Rule for {sku} in {warehouse}: min {min_qty}, max {max_qty}.").format(
            sku=args.sku, warehouse=args.warehouse, min_qty=args.min_qty, max_qty=args.max_qty
        )
    )
    return 0


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import rules

    found: list[rules.RuleRow] = []
    with open_database(url, create=False).read() as session:
        actor = acting_user(session, args.user)
        while True:  # every rule, a page at a time
            page = rules.list_rules(session, actor, args.warehouse, len(found), LIST_PAGE)
            found += page
            if len(page) < LIST_PAGE:
                break
    if args.json:
        out = [
            {
                "sku": r.sku,
                "warehouse": r.warehouse,
                "min": r.min_qty,
                "max": r.max_qty,
                "multiple": r.multiple,
                "supplier": r.supplier or None,
                "lead_days": r.lead_time_days,
            }
            for r in found
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(_("No reorder rules."))
    for r in found:
        print(
            _(
                "{warehouse:<8} {sku:<20} min {min_qty:>6,}  max {max_qty:>6,}  "
                "x{multiple:<4} {supplier}  {lead_time_days} day(s)"
            ).format(
                warehouse=r.warehouse,
                sku=r.sku,
                min_qty=r.min_qty,
                max_qty=r.max_qty,
                multiple=r.multiple,
                supplier=r.supplier or "(no supplier)",
                lead_time_days=r.lead_time_days,
            )
        )
    return 0


def cmd_remove(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import rules

    with open_database(url, create=False).write() as session:
        rules.remove_rule(session, acting_user(session, args.user), args.sku, args.warehouse)
    print(
        _("Removed the rule for {sku} in {warehouse}.").format(
            sku=args.sku, warehouse=args.warehouse
        )
    )
    return 0
