"""The `kestrel` command: the GUI by default, and the administrator's sub-commands.

`--database URL` is accepted before or after the sub-command; without it the database
comes from KESTREL_DATABASE_URL, then the workstation settings file, then the local file.
Exit codes: 0 fine, 1 the command found problems, 2 it could not do its work.

Each command group is one module here with `register(sub, common)`, which adds its
sub-parsers and sets each one's `handler(args, url) -> exit code`; a new group is a new
module and one line in GROUPS.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import (
    api_keys,
    bins,
    channels,
    counts,
    database,
    demo,
    fulfilment,
    gui,
    lots,
    order,
    outbox,
    printing,
    purchasing,
    queue,
    reorder,
    report,
    selftest,
    serve,
    shop,
    stock,
    transfer,
    users,
    variants,
)
from app.config import WorkstationSettings, resolve_database_url
from app.core import i18n
from app.core.errors import KestrelError
from app.core.i18n import _
from app.logs import setup_logging

log = logging.getLogger("kestrel.cli")

GROUPS = (
    gui,
    database,
    demo,
    printing,
    fulfilment,
    order,
    selftest,
    users,
    transfer,
    stock,
    counts,
    channels,
    lots,
    purchasing,
    reorder,
    bins,
    queue,
    api_keys,
    serve,
    outbox,
    variants,
    report,
    shop,
)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_("sqlite:///path/to/file.sqlite or postgresql://user@host/dbname"),
    )
    parser = argparse.ArgumentParser(
        prog="kestrel", description=_("Kestrel order management."), parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"kestrel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub, common)
    gui.add_options(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # before the parser: its help speaks the language too (a signed-in user's choice wins later)
    i18n.use_language(i18n.choose_language())
    args = _parser().parse_args(argv)
    command = args.command or "gui"
    setup_logging(to_file=command == "gui")
    settings = WorkstationSettings.load()
    url, source = resolve_database_url(getattr(args, "database", None), settings)
    log.info("database from %s", source)
    if command == "gui":
        return gui.run(args, url, settings)
    from app import paths

    for warning in paths.WARNINGS:
        print(f"kestrel: {warning}", file=sys.stderr)
    try:
        code: int = args.handler(args, url)
    except KestrelError as exc:
        print(f"kestrel {command}: {exc.message}", file=sys.stderr)
        return 2
    return code
