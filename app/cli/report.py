"""`kestrel report NAME --from DATE --to DATE [--warehouse CODE] [--channel NAME]
[--category NAME] [--group day|week|month] --format csv|xlsx|pdf|json --out FILE` and
`kestrel report --list`: the Reports screen's reports, for scripts and the month's end.
`kestrel report fold [--rebuild] [--json]` folds the closed days into the reports'
summaries (services/reports/fold.py; the elected workstation also does it hourly).

Dates are the shop's local days (both ends included); without them the last 30 days up
to today. `--format json` (the default) prints to stdout unless `--out FILE` says where;
csv also prints with `--out -`. The JSON is ReportResult.as_json: {"report", "from",
"to", "currency", "timezone", "rows": [...], "totals": {...}, "notes": [...]}; for
`sales` each row is {"period", "channel", "orders", "gross", "tax", "refunds", "net"},
money in minor units. A refusal (bad range, unknown report or format, a file that
cannot be written) exits 1 with its words on stderr and leaves any earlier file as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.errors import ValidationError
from app.core.i18n import _

DEFAULT_DAYS = 30


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "report",
        parents=[common],
        help="run a report to CSV, XLSX, PDF or JSON (`--list` names them)",
        description="Run a report. `kestrel report --list` names every report.",
    )
    cmd.add_argument("name", nargs="?", default="", metavar="NAME", help="the report to run")
    cmd.add_argument("--list", action="store_true", help="list the reports and what they mean")
    cmd.add_argument("--from", dest="start", default="", metavar="DATE", help="YYYY-MM-DD")
    cmd.add_argument("--to", dest="end", default="", metavar="DATE", help="YYYY-MM-DD")
    cmd.add_argument("--warehouse", default="", metavar="CODE")
    cmd.add_argument("--channel", default="", metavar="NAME", help="counter, phone, web ...")
    cmd.add_argument("--category", default="", metavar="NAME")
    cmd.add_argument("--group", default="day", metavar="day|week|month")
    cmd.add_argument("--format", dest="fmt", default="", metavar="csv|xlsx|pdf|json")
    cmd.add_argument("--out", default="", metavar="FILE", help="where to write; - is stdout")
    cmd.add_argument("--user", default="", help="act as this user (their role), not as admin")
    cmd.add_argument("--rebuild", action="store_true", help="fold: drop every fold first")
    cmd.add_argument("--json", action="store_true", help="fold: print the outcome as JSON")
    cmd.set_defaults(handler=refusing("report", cmd_report))


def cmd_report(args: argparse.Namespace, url: str) -> int:
    from app.services.reports.base import catalogue

    reports = catalogue()
    if args.list:
        return _list(reports, args.fmt)
    if not args.name:
        raise ValidationError(_("Name a report (`kestrel report --list` shows them)."))
    if args.name == "fold":
        return _fold(args, url)
    fmt = _format(args.fmt or "json")
    out = _target(args.out, fmt)
    from app.services.reports.base import run_report

    database = open_database(url, create=False)
    with database.read() as session:
        actor = acting_user(session, args.user)
        if args.name not in reports:
            known = ", ".join(reports)
            raise ValidationError(
                _("There is no report called '{name}' (reports: {known}).").format(
                    name=args.name, known=known
                )
            )
        filters = _filters(session, args)
        result = run_report(session, actor, args.name, filters)
    database.dispose()
    return _write(result, fmt, out)


def _fold(args: argparse.Namespace, url: str) -> int:
    """Fold the closed days now: progress on stderr, the outcome on stdout."""
    from app.services.reports.fold import fold

    database = open_database(url, create=False)
    with database.read() as session:
        actor = acting_user(session, args.user)

    def progress(done: int, total: int) -> None:
        print(f"folded {done} / {total} day(s)", file=sys.stderr, flush=True)

    try:
        outcome = fold(database, actor, rebuild=args.rebuild, progress=progress)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(outcome.as_json(), indent=2))
    else:
        print(
            f"{outcome.folded} day(s) folded ({outcome.refolded} again), up to "
            f"{outcome.last_closed}, in {outcome.zone}"
        )
    return 0


def _list(reports: Any, fmt: str) -> int:
    """Words by default; `--format json` for scripts (name, title, definition, filters)."""
    from app.services.reports.base import described

    if fmt.strip().lower() == "json":
        listing = [
            {"name": r.name, "title": r.title, "definition": described(r)}
            | {"filters": sorted(r.uses)}
            for r in reports.values()
        ]
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return 0
    for r in reports.values():
        uses = ", ".join(sorted(r.uses)) or "date range only"
        print(f"{r.name:<20} {r.title}\n{'':<20} {described(r)}\n{'':<20} filters: {uses}\n")
    return 0


def _format(fmt: str) -> str:
    from app.services.reports.exports import FORMATS

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise ValidationError(
            _("'{fmt}' is not a report format: use one of {value}.").format(
                fmt=fmt, value=", ".join(FORMATS)
            )
        )
    return fmt


def _target(out: str, fmt: str) -> Path | None:
    """None is stdout. A folder that is missing or read-only is refused before the report
    runs, so a long report is not computed for nothing."""
    if out in ("", "-"):
        if fmt in ("xlsx", "pdf"):
            raise ValidationError(_("A {fmt} report needs a file: add --out FILE.").format(fmt=fmt))
        if fmt == "csv" and out == "":
            raise ValidationError(_("Add --out FILE (or --out - to print the CSV)."))
        return None
    path = Path(out).expanduser()
    if path.is_dir():
        raise ValidationError(
            _("{path} is a folder: give a file name, e.g. {value}.").format(
                path=path, value=path / "report"
            )
        )
    folder = path.parent
    if not folder.is_dir():
        raise ValidationError(
            _("Cannot write {path}: the folder {folder} does not exist.").format(
                path=path, folder=folder
            )
        )
    if not os.access(folder, os.W_OK):
        raise ValidationError(
            _("Cannot write {path}: the folder {folder} is not writable.").format(
                path=path, folder=folder
            )
        )
    return path


def _filters(session: Any, args: argparse.Namespace) -> Any:
    from app.services.reports.base import Filters
    from app.services.reports.periods import shop_zone

    today = dt.datetime.now(shop_zone(session)).date()
    end = _date(args.end, "--to") if args.end else today
    start = _date(args.start, "--from") if args.start else end - dt.timedelta(DEFAULT_DAYS - 1)
    return Filters(
        start,
        end,
        warehouse=args.warehouse or None,
        channel=args.channel.strip().lower() or None,
        category=args.category or None,
        group=args.group.strip().lower(),
    )


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            _("{option} takes a date as YYYY-MM-DD, not '{text}'.").format(option=option, text=text)
        ) from None


def _write(result: Any, fmt: str, out: Path | None) -> int:
    from app.services.reports.exports import export, write_csv_to

    if out is None:
        if fmt == "json":
            print(json.dumps(result.as_json(), indent=2, ensure_ascii=False, default=str))
        else:
            write_csv_to(result, sys.stdout)
        return 0
    partial = out.with_name(out.name + ".part")
    try:
        export(result, fmt, partial)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(
            _("Cannot write {out}: {strerror}.").format(out=out, strerror=exc.strerror or exc)
        ) from None
    print(f"{result.title}: {len(result.rows)} row(s) written to {out}", file=sys.stderr)
    return 0
