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

LIST_PAGE = 1000


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help="act as this user (their role), not as admin")

    run = sub.add_parser(
        "reorder", parents=[shared], help="draft purchase orders for stock below its minimum"
    )
    run.add_argument("--warehouse", default="", metavar="CODE", help="only this warehouse")
    run.add_argument(
        "--dry-run", action="store_true", help="say what it would order, write nothing"
    )
    run.add_argument("--json", action="store_true", help="stable JSON (see README)")
    run.set_defaults(handler=refusing("reorder", cmd_reorder))

    rule = sub.add_parser("reorder-rule", help="reorder rules: set, list, remove")
    verbs = rule.add_subparsers(dest="rule_command", metavar="ACTION", required=True)
    put = verbs.add_parser("set", parents=[shared], help="add or change a product's rule")
    put.add_argument("sku")
    put.add_argument("--warehouse", required=True, metavar="CODE")
    put.add_argument("--min", dest="min_qty", required=True, type=int, metavar="N")
    put.add_argument("--max", dest="max_qty", required=True, type=int, metavar="N")
    put.add_argument("--multiple", type=int, default=1, metavar="N")
    put.add_argument("--supplier", default="", metavar="CODE", help="default: the cheapest")
    put.add_argument("--lead-days", type=int, default=None, metavar="N")
    put.set_defaults(handler=refusing("reorder-rule set", cmd_set))

    show = verbs.add_parser("list", parents=[shared], help="the rules, by warehouse and SKU")
    show.add_argument("--warehouse", default="", metavar="CODE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=refusing("reorder-rule list", cmd_list))

    drop = verbs.add_parser("remove", parents=[shared], help="remove a product's rule")
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
    print(f"Reorder {verb} {len(result.purchase_orders)} purchase order(s):")
    for order in result.purchase_orders:
        number = order.number or "(dry run)"
        print(f"  {number}  {order.supplier} -> {order.warehouse}: {len(order.lines)} line(s)")
        for line in order.lines:
            print(f"    {line.sku:<20} {line.quantity:>8,}")
    if result.overstock:
        print(f"Overstock ({len(result.overstock)}):")
        for o in result.overstock:
            print(f"  {o.sku} in {o.warehouse}: {o.projected:,} projected, max {o.max:,}")
    if result.skipped:
        print(f"Not ordered ({len(result.skipped)}):")
        for s in result.skipped:
            print(f"  {s.sku} in {s.warehouse}: {s.reason}")
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
    print(f"Rule for {args.sku} in {args.warehouse}: min {args.min_qty}, max {args.max_qty}.")
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
        print("No reorder rules.")
    for r in found:
        print(
            f"{r.warehouse:<8} {r.sku:<20} min {r.min_qty:>6,}  max {r.max_qty:>6,}  "
            f"x{r.multiple:<4} {r.supplier or '(no supplier)'}  {r.lead_time_days} day(s)"
        )
    return 0


def cmd_remove(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import rules

    with open_database(url, create=False).write() as session:
        rules.remove_rule(session, acting_user(session, args.user), args.sku, args.warehouse)
    print(f"Removed the rule for {args.sku} in {args.warehouse}.")
    return 0
