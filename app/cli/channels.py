"""`kestrel import orders FILE --source NAME [--format F] [--skip-bad] [--dry-run] [--json]`
and `kestrel source add|list|watch [--once]`: orders from web shops and marketplaces.

`--json` prints `{"source", "format", "written", "dry_run", "created", "would_create",
"duplicates", "changed", "skipped", "refused", "orders": [{"external_id", "reference",
"rows", "outcome", "reasons", "number"}]}` (outcome: new, duplicate, changed, skipped,
refused). Exit 0 when every order was imported or known, 1 when one was refused or
changed at the source, 2 when the file or database could not be used.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import field_pairs, open_database, refusing
from app.core.i18n import _

FORMAT_CHOICES = (
    "shopify-csv",
    "shopify-json",
    "woocommerce-json",
    "woocommerce-csv",
    "amazon-tsv",
    "mapped",
)
SHOWN = 50


def add_order_options(parser: argparse.ArgumentParser) -> None:
    """The options `kestrel import orders` takes besides the shared import ones."""
    parser.add_argument("--source", metavar="NAME", default="", help="orders: the source's name")
    parser.add_argument(
        "--format",
        dest="order_format",
        choices=FORMAT_CHOICES,
        default=None,
        help="orders: the export's format (default: the source's, else detected)",
    )


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    source = sub.add_parser("source", parents=[common], help="web-shop and marketplace sources")
    actions = source.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="add an order source")
    add.add_argument("name")
    add.add_argument("--format", required=True, choices=FORMAT_CHOICES)
    add.add_argument("--secret", default="", help="the webhook's shared secret")
    add.add_argument("--watch", metavar="DIR", default="", help="a folder to import from")
    add.add_argument("--channel", choices=("web", "marketplace"), default="")
    add.set_defaults(handler=refusing("source add", cmd_source_add))
    listing = actions.add_parser("list", parents=[common], help="the order sources")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=refusing("source list", cmd_source_list))
    watch = actions.add_parser(
        "watch", parents=[common], help="import the files dropped in the sources' folders"
    )
    watch.add_argument("--once", action="store_true", help="one pass, then stop")
    watch.add_argument("--interval", type=float, default=5.0, metavar="SECONDS")
    watch.add_argument("--json", action="store_true", help="--once: what was filed, as JSON")
    watch.set_defaults(handler=refusing("source watch", cmd_source_watch))


def cmd_source_add(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.services.channels import sources

    database = open_database(url, create=False)
    with database.write() as session:
        row = sources.add_source(
            session,
            auth.SYSTEM,
            args.name,
            args.format,
            secret=args.secret,
            watch_dir=args.watch,
            channel=args.channel,
        )
    print(f"Source {row.name} added ({row.format}, {row.channel}).")
    return 0


def cmd_source_list(args: argparse.Namespace, url: str) -> int:
    from dataclasses import asdict

    from app.core import auth
    from app.services.channels import sources

    database = open_database(url, create=False)
    with database.read() as session:
        rows = sources.list_sources(session, auth.SYSTEM)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
        return 0
    for r in rows:
        watch = f", watching {r.watch_dir}" if r.watch_dir else ""
        secret = ", webhook secret set" if r.has_secret else ""
        print(f"{r.name:<20} {r.format:<18} {r.channel}{secret}{watch}")
    if not rows:
        print("No order sources yet: add one with `kestrel source add NAME --format F`.")
    return 0


def cmd_source_watch(args: argparse.Namespace, url: str) -> int:
    """Exit 0 when every file was imported (or none was waiting), 1 when one failed."""
    from dataclasses import asdict

    from app.core import auth
    from app.services.channels import watch

    database = open_database(url, create=False)
    if not args.once:
        print("Watching the sources' folders; Ctrl+C stops.", flush=True)
        try:
            watch.watch(database, auth.SYSTEM, interval=args.interval, on_filed=_print_filed)
        except KeyboardInterrupt:
            pass
        return 0
    filed = watch.watch_once(database, auth.SYSTEM, settle=min(args.interval, 1.0))
    if args.json:
        print(json.dumps([asdict(f) for f in filed], indent=2))
    else:
        for f in filed:
            _print_filed(f)
        if not filed:
            print("No file is waiting in a watched folder.")
    return 1 if any(f.outcome == watch.FAILED for f in filed) else 0


def _print_filed(filed: Any) -> None:
    print(f"{filed.source}: {filed.name} -> {filed.outcome}: {filed.summary}", flush=True)


def _import(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.core.errors import ValidationError
    from app.services.channels import order_import

    if not args.source:
        raise ValidationError(_("Say where the orders come from: --source NAME."), "source")
    database = open_database(url, create=False)
    fmt = args.order_format
    with database.write() as session:
        result = order_import.import_file(
            session,
            auth.SYSTEM,
            args.file,
            args.source,
            fmt,
            skip_bad=args.skip_bad,
            dry_run=args.dry_run,
            columns=(field_pairs(args.map) or {}) | _number_keys(args) or None,
        )
    if args.json:
        print(json.dumps(result.as_json(), indent=2, default=str))
    else:
        _print(result)
    bad = result.count(order_import.REFUSED) + result.count(order_import.CHANGED)
    return 1 if bad else 0


def _number_keys(args: argparse.Namespace) -> dict[str, str]:
    """`--decimal`/`--grouping` as the mapped format's mapping keeps them."""
    keys = {"decimal": args.decimal, "grouping": args.grouping}
    return {key: value for key, value in keys.items() if value is not None}


cmd_import_orders = _import  # a file or source it cannot use: KestrelError, exit 2


def _print(result: Any) -> None:
    from app.services.channels import order_import as oi

    verb = "would create" if not result.written else "created"
    print(
        f"{result.source} ({result.format}): {verb} {result.count(oi.NEW)}, "
        f"{result.count(oi.DUPLICATE)} already imported, {result.count(oi.CHANGED)} changed "
        f"at the source, {result.count(oi.SKIPPED)} skipped, {result.count(oi.REFUSED)} refused."
    )
    shown = [v for v in result.verdicts if v.reasons][:SHOWN]
    for v in shown:
        rows = f" (rows {', '.join(map(str, v.rows))})" if v.rows else ""
        print(f"  {v.reference}{rows}: {v.outcome}: {'; '.join(v.reasons)}")
    if result.refused and not result.written and not result.dry_run:
        print("Nothing was written: fix the file, or import the good orders with --skip-bad.")
