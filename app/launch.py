"""`kestrel` and `python -m app`: a bare start goes straight to the GUI (issue 20).

Importing app.cli builds the parser of every command group, which costs more than the
sign-in window itself; a start with only the GUI's options does not need it. Anything
else (a sub-command, --help, --version, a mistake) goes to app.cli.main, which knows it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from app.config import WorkstationSettings


class _NotOnlyGui(Exception):
    pass


class _GuiOptions(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotOnlyGui(message)  # app.cli's full parser says what is wrong


def gui_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The GUI's options (app/cli/gui.py add_options) when argv has nothing else."""
    parser = _GuiOptions(add_help=False, allow_abbrev=False)
    parser.add_argument("--database")
    parser.add_argument("--sign-in")
    parser.add_argument("--exit-when-ready", action="store_true")
    parser.add_argument("--open-every-screen", action="store_true")
    try:
        args, rest = parser.parse_known_args(list(argv))
    except _NotOnlyGui:
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = gui_options(argv)
    if args is None:
        from app.cli import main as cli_main

        return cli_main(argv)
    from app.config import resolve_database_url
    from app.core import i18n
    from app.gui_start import start_gui
    from app.logs import setup_logging

    # the sign-in and first-run windows speak the workstation's language, as app.cli does;
    # the signed-in user's own choice wins after sign-in (views/app.py)
    i18n.use_language(i18n.choose_language())
    setup_logging(to_file=True)
    settings = WorkstationSettings.load()
    url, source = resolve_database_url(args.database, settings)
    logging.getLogger("kestrel.cli").info("database from %s", source)
    return start_gui(url, settings, args.sign_in, args.exit_when_ready, args.open_every_screen)
