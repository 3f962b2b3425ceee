"""`kestrel gui` (the default): the application's window, after a check that Qt can start."""

from __future__ import annotations

import argparse
from typing import Any

from app.config import WorkstationSettings
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    gui = sub.add_parser("gui", parents=[common], help=_("start the application (the default)"))
    add_options(gui)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The GUI's options, on `kestrel gui` and on bare `kestrel` alike."""
    parser.add_argument(
        "--sign-in",
        metavar="USER",
        default=argparse.SUPPRESS,
        help=_("sign in as USER with the password in KESTREL_PASSWORD (kiosks, scripts)"),
    )
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("print the start-up time once the main window is shown, then exit"),
    )
    parser.add_argument(
        "--open-every-screen",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("with --exit-when-ready: open every screen first and print resident memory"),
    )


def run(args: argparse.Namespace, url: str, settings: WorkstationSettings) -> int:
    from app.gui_start import start_gui

    return start_gui(
        url,
        settings,
        sign_in=getattr(args, "sign_in", None),
        exit_when_ready=getattr(args, "exit_when_ready", False),
        open_every_screen=getattr(args, "open_every_screen", False),
    )
