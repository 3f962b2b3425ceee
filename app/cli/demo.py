"""`kestrel demo`: fill an empty store with a demo shop (and its sign-ins)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import open_database
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help=_("fill an empty store with demo data"))
    demo.add_argument("--products", type=int, default=300)
    demo.add_argument("--customers", type=int, default=80)
    demo.add_argument("--orders", type=int, default=400)
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace, url: str) -> int:
    from app.admin.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
    from app.core import auth

    database = open_database(url, create=True)

    def progress(stage: str, done: int, total: int) -> None:
        if total >= 100_000:
            print(f"  {stage}: {done:,} / {total:,}", file=sys.stderr)

    with database.write() as session:
        stats = build_demo(
            session,
            auth.SYSTEM,
            products=args.products,
            customers=args.customers,
            orders=args.orders,
            seed=args.seed,
            progress=progress,
        )
    for table, count in stats.rows.items():
        print(f"  {table:<16} {count:>12,}")
    print(
        _(
            "demo store: {total_rows:,} rows in {seconds:.1f} s ({rows_per_second:,.0f} rows/s)"
        ).format(
            total_rows=stats.total_rows,
            seconds=stats.seconds,
            rows_per_second=stats.rows_per_second,
        )
    )
    if stats.rows.get("users"):
        names = ", ".join(u[0] for u in DEMO_USERS)
        print(
            _("demo sign-ins: {names} (password {demo_password})").format(
                names=names, demo_password=DEMO_PASSWORD
            )
        )
    return 0
