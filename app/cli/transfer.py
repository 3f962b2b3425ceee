"""`kestrel import` and `kestrel export`: products, customers, suppliers and stock levels
from and to CSV or XLSX files (the format from the file's extension).

`kestrel import KIND FILE [--mapping NAME] [--decimal , --grouping .] [--skip-bad]
[--dry-run] [--json]` previews the file (its numbers in the format given, else the one
saved with the mapping, else the one its number columns show), then (unless --dry-run)
writes it in one transaction. Without --skip-bad one bad row writes nothing and the
command exits 1; `--json` prints `{"added", "updated", "unchanged", "kept",
"refused_count", "written", "number": {"decimal", "grouping", "detected"}, "refused":
[{"row", "column", "reason"}]}`. Exit codes as for every command: 0 fine, 1 bad rows, 2
the file or database could not be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.channels import add_order_options, cmd_import_orders
from app.cli.common import field_pairs, open_database
from app.core.i18n import _

KINDS = ("products", "customers", "suppliers", "stock", "reorder-rules")

ORDER_KINDS = ("orders",)  # web-shop and marketplace orders: app/cli/channels.py
SHOWN = 50  # refused rows printed without --json


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the `import` and `export` sub-commands."""
    imp = sub.add_parser(
        "import", parents=[common], help=_("import products, customers, suppliers or stock levels")
    )
    imp.add_argument("kind", choices=(*KINDS, *ORDER_KINDS))
    imp.add_argument("file", metavar="FILE", help=_(".csv (any delimiter and encoding) or .xlsx"))
    imp.add_argument("--mapping", metavar="NAME", default="", help=_("a mapping saved by name"))
    imp.add_argument(
        "--map",
        metavar="FIELD=HEADER",
        action="append",
        default=[],
        help=_("read FIELD from the column HEADER (repeat; FIELD= leaves a column out)"),
    )
    imp.add_argument(
        "--save-mapping", metavar="NAME", default="", help=_("remember the mapping used as NAME")
    )
    imp.add_argument(
        "--decimal",
        choices=(".", ","),
        default=None,
        help=_("the file's decimal mark (default: the mapping's, else seen in the file)"),
    )
    imp.add_argument(
        "--grouping",
        metavar="MARK",
        default=None,
        help=_("the file's digit grouping mark: none, '.', ',', space, \"'\", nbsp, narrow-nbsp"),
    )
    imp.add_argument("--skip-bad", action="store_true", help=_("import the good rows, skip bad"))
    imp.add_argument("--add-only", action="store_true", help=_("leave existing rows as they are"))
    imp.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    imp.add_argument("--json", action="store_true", help=_("print the counts and refusals as JSON"))
    add_order_options(imp)
    exp = sub.add_parser(
        "export", parents=[common], help=_("export products, customers, suppliers or stock levels")
    )
    exp.add_argument("kind", choices=KINDS)
    exp.add_argument("file", metavar="FILE", help=_(".csv (UTF-8) or .xlsx"))
    imp.set_defaults(handler=cmd_import)
    exp.set_defaults(handler=cmd_export)


def _progress(json_out: bool):  # type: ignore[no-untyped-def]
    """Progress in tenths on a terminal's stderr (not with --json: a script reads stdout)."""
    shown = {"at": ("", -1)}

    def report(stage: str, done: int, total: int) -> None:
        tenth = min(done * 10 // total, 10) if total > 0 else 10
        if json_out or not sys.stderr.isatty() or shown["at"] == (stage, tenth):
            return
        shown["at"] = (stage, tenth)
        print(f"  {stage}: {tenth * 10} %", file=sys.stderr, flush=True)

    return report


def cmd_import(args: argparse.Namespace, url: str) -> int:
    if args.kind in ORDER_KINDS:
        return cmd_import_orders(args, url)
    from app.core import auth
    from app.services.transfer import headers, imports

    database = open_database(url, create=False)
    report = _progress(args.json)
    columns = field_pairs(args.map)
    number = number_option(args)
    with database.read() as session:
        preview = imports.preview(
            session, auth.SYSTEM, args.kind, args.file, columns, args.mapping, report, None, number
        )
    result: Any = preview.counts
    written = False
    if preview.ok or args.skip_bad:
        if args.save_mapping or ((columns or number) and not args.dry_run):
            with database.write() as session:
                headers.save_mapping(
                    session,
                    auth.SYSTEM,
                    args.kind,
                    preview.header,
                    preview.columns,
                    args.save_mapping,
                    number,
                )
        if not args.dry_run:
            try:
                with database.write() as session:
                    result = imports.apply(
                        session,
                        auth.SYSTEM,
                        preview,
                        skip_bad=args.skip_bad,
                        update_existing=not args.add_only,
                        report=report,
                    )
                written = True
            except imports.ImportRefused as refused:  # the file or the store changed since
                result = refused.result
    failed = bool(result.refused_total) and not args.skip_bad
    _show(args, preview, result, written)
    return 1 if failed else 0


def _show(args: argparse.Namespace, preview: Any, result: Any, written: bool) -> None:
    refused = [r.as_dict() for r in result.refused]
    if args.json:
        out = {
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "kept": result.kept,
            "refused_count": result.refused_total,
            "written": written,
            "dry_run": args.dry_run,
            "format": preview.described,
            "columns": preview.columns,
            "number": {**preview.number.as_dict(), "detected": preview.number_detected},
            "refused": refused,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    add, update = ("added", "updated") if written else ("to add", "to update")
    print(
        _(
            "{name} ({described}): {added:,} {add}, {updated:,} {update}, "
            "{unchanged:,} unchanged, {kept:,} kept, {refused_total:,} bad "
            "row(s){written}"
        ).format(
            name=preview.path.name,
            described=preview.described,
            added=result.added,
            add=add,
            updated=result.updated,
            update=update,
            unchanged=result.unchanged,
            kept=result.kept,
            refused_total=result.refused_total,
            written="" if written else "; nothing written",
        )
    )
    for r in refused[:SHOWN]:
        print(_("  row {r}, {r2}: {r3}").format(r=r["row"], r2=r["column"], r3=r["reason"]))
    if len(refused) > SHOWN:
        print(
            _("  ... and {value:,} more (--json lists them all)").format(value=len(refused) - SHOWN)
        )


def number_option(args: argparse.Namespace) -> Any:
    """The NumberFormat `--decimal`/`--grouping` give; None when neither is given."""
    from app.core.number_format import number_format

    if args.decimal is None and args.grouping is None:
        return None
    decimal = args.decimal or ("," if args.grouping == "." else ".")
    return number_format(decimal, args.grouping)


def cmd_export(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.services.transfer.export import export

    database = open_database(url, create=False)
    with database.read() as session:
        count = export(session, auth.SYSTEM, args.kind, args.file)
    print(
        _("{kind}: {count:,} row(s) written to {file}").format(
            kind=args.kind, count=count, file=args.file
        )
    )
    return 0
