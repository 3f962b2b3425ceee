"""The GUI's start for `kestrel gui` (app/cli/gui.py) and a bare `kestrel` (app/launch.py),
kept apart from both so neither imports the other."""

from __future__ import annotations

import sys

from app.config import WorkstationSettings


def start_gui(
    url: str,
    settings: WorkstationSettings,
    sign_in: str | None = None,
    exit_when_ready: bool = False,
    open_every_screen: bool = False,
) -> int:
    """`kestrel gui` and a bare `kestrel`, after a check that Qt can start."""
    from app.syscheck import gui_problem

    problem = gui_problem()  # before Qt, which would abort without saying why
    if problem:
        print(problem, file=sys.stderr)
        return 3
    from app.views.start import run_gui

    return run_gui(url, settings, sign_in, exit_when_ready, open_every_screen)
