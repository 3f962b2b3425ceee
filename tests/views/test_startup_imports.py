"""The sign-in window comes before the heavy imports (issue 20): a fresh interpreter goes
the way `kestrel` starts, builds and shows the sign-in window offscreen, and must not have
imported the ORM, the models or a printing library by then (they are imported on a worker
thread while the user types, views/start.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("sqlalchemy.orm", "app.models", "app.db", "reportlab", "escpos", "PIL")

PROBE = f"""
import json, sys
from app.launch import gui_options
from app.config import WorkstationSettings
from app.views.start import ensure_app, sign_in_window

assert gui_options(["--database", "sqlite:///x.sqlite"]) is not None
app = ensure_app()
login = sign_in_window(WorkstationSettings.load())
app.processEvents()
assert login.isVisible() and login.database is None
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def _loaded_by(probe: str, home) -> list[str]:
    """The heavy modules a fresh interpreter has imported once `probe` has run."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KESTREL_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_sign_in_window_shows_before_the_orm_is_imported(tmp_path):
    assert _loaded_by(PROBE, tmp_path) == []


def test_a_sub_command_still_goes_to_the_full_command_line():
    from app.launch import gui_options

    assert gui_options([]) is not None
    assert gui_options(["--sign-in", "admin", "--exit-when-ready"]) is not None
    for argv in (["demo"], ["--help"], ["--version"], ["gui"], ["--database"], ["--data", "x"]):
        assert gui_options(argv) is None, argv


def _kestrel(
    url: str, home, password: str, *extra: str, language: str = "en"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KESTREL_HOME": str(home),
        "KESTREL_PASSWORD": password,
        "KESTREL_LANG": language,
    }
    command = [sys.executable, "-m", "app", "--database", url, *extra]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_sign_in_from_the_command_line_opens_the_main_window(store, tmp_path):
    database, _ = store
    url = database.engine.url.render_as_string(hide_password=False)
    done = _kestrel(url, tmp_path, "admin-pass", "--sign-in", "admin", "--exit-when-ready")
    assert done.returncode == 0, done.stderr
    said = [line.rsplit(" ", 2)[0] for line in done.stdout.splitlines()]
    assert said[:4] == ["sign-in window", "loaded", "signing in", "ready"]


def test_a_refused_sign_in_from_the_command_line_says_why(store, tmp_path):
    database, _ = store
    url = database.engine.url.render_as_string(hide_password=False)
    done = _kestrel(url, tmp_path, "wrong", "--sign-in", "admin", "--exit-when-ready")
    assert done.returncode == 2
    assert "Wrong user name or password." in done.stderr
    # the main window, built meanwhile for admin (PasswordCheck), never became ready
    said = [line.rsplit(" ", 2)[0] for line in done.stdout.splitlines()]
    assert said == ["sign-in window", "loaded", "signing in"]


def test_the_sign_in_speaks_the_workstations_language(store, tmp_path):
    """A bare `kestrel` skips app.cli (and its language choice): the sign-in and first-run
    windows must still speak KESTREL_LANG, not English."""
    database, _ = store
    url = database.engine.url.render_as_string(hide_password=False)
    done = _kestrel(url, tmp_path, "wrong", "--sign-in", "admin", language="de")
    assert done.returncode == 2
    assert "Falscher Benutzername oder falsches Passwort." in done.stderr


UNREACHABLE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.config import WorkstationSettings
from app.views.settings.db_dialog import Choice, DatabaseProblemDialog
from app.views.start import ensure_app, run_gui

ensure_app()
asked = []

def answer():
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, DatabaseProblemDialog):
        asked.append(dialog.windowTitle())
        dialog.pick(Choice.QUIT)
        return
    QTimer.singleShot(20, answer)

QTimer.singleShot(20, answer)
code = run_gui("postgresql://kestrel@127.0.0.1:1/shop", WorkstationSettings())
print("result", code, len(asked), flush=True)
"""


def test_an_unreachable_database_is_asked_about_after_the_sign_in_window(tmp_path):
    """The worker meets the problem; the sign-in window closes and the database dialog
    asks what to do (Quit here), as before the sign-in window came first. In a process of
    its own: a whole start does not share a process with other tests' windows."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KESTREL_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", UNREACHABLE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "result 1 1" in done.stdout, done.stderr


# Loaded by the work that needs them, not with the screens (issue 20, memory): the print
# worker's first job (python-escpos, ReportLab), the first e-mail or template shown
# (Jinja), the first file that is not UTF-8 (charset-normalizer), the first GS1 or UPC-E
# scan, or start-up where the shop keeps lots (biip: ~16 MB of GS1 prefix tables).
ON_DEMAND = ("escpos", "reportlab", "jinja2", "charset_normalizer", "biip")

SCREENS_PROBE = f"""
import json, sys
import app.views.app
for name in ("orders", "fulfilment", "stock", "purchasing", "customers", "reports",
             "counter", "settings"):
    __import__("app.views." + name + ".screen")
import app.views.settings.audit, app.views.settings.print_queue
from app.services.sales import counter, refunds, closing
from app.services.stock.scanning import parse_scan
assert parse_scan("4006381333931").kind == "gtin"
print(json.dumps(sorted(m for m in {ON_DEMAND!r} if m in sys.modules)))
"""


def test_the_screens_and_the_sale_path_leave_printing_mail_and_gs1_libraries_unloaded(
    tmp_path,
):
    assert _loaded_by(SCREENS_PROBE, tmp_path) == []


def test_a_gs1_scan_loads_its_reader_when_it_comes():
    from app.services.stock.scanning import parse_scan

    scan = parse_scan("]C1010400638133393110ABC123")
    assert scan.kind == "gs1" and scan.batch == "ABC123"
