"""How the window feels on this workstation: light or dark theme, the window's place and
size remembered between runs, and F1 — every keyboard shortcut of the screen in front."""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.core.i18n import N_, _
from app.views.theme import THEMES, apply_theme

GLOBAL_KEYS = (
    ("Ctrl+1 … Ctrl+9", N_("Counter, Orders, Fulfilment, Inventory, … Print queue")),
    ("Ctrl+L", N_("Lock the screen / switch user")),
    ("Esc", N_("Back to the navigation list (or out of a bench page)")),
    ("F1", N_("This list")),
    (N_("Scanner"), N_("Works on every screen: order numbers open the order")),
)  # marked here, translated in ShortcutsDialog (key names stay as they are)
__all__ = ["THEMES", "ShortcutsDialog", "apply_theme", "remember_columns", "restore_window"]
FKEY = re.compile(r"^(F\d{1,2}|Ctrl\+\w|Enter|Esc)\s{1,}(.+)$")


def _window_settings() -> QSettings:
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_window(window: QMainWindow) -> None:
    stored = _window_settings().value("main/geometry")
    if isinstance(stored, QByteArray) and not stored.isEmpty():
        window.restoreGeometry(stored)


def save_window(window: QMainWindow) -> None:
    settings = _window_settings()
    settings.setValue("main/geometry", window.saveGeometry())
    settings.sync()


def remember_columns(view: QTableView) -> None:
    """A table's column widths and order, per workstation, under its object name: restored
    now, saved (after a pause) whenever the user drags a column."""
    name = view.objectName()
    if not name:
        return
    header = view.horizontalHeader()
    stored = _window_settings().value(f"columns2/{name}")  # 2: sized to content
    if isinstance(stored, QByteArray) and not stored.isEmpty():
        header.restoreState(stored)
    timer = QTimer(view, singleShot=True, interval=500)

    def save() -> None:
        settings = _window_settings()
        settings.setValue(f"columns2/{name}", header.saveState())
        settings.sync()

    timer.timeout.connect(save)

    def user_changed(*_args: object) -> None:
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:  # a person dragging
            timer.start()

    header.sectionResized.connect(user_changed)
    header.sectionMoved.connect(lambda *_a: timer.start())


def screen_keys(screen: QWidget) -> list[tuple[str, str]]:
    """The screen's own keys, read from its buttons ('F12  Pay') so they never drift."""
    found: dict[str, str] = {}
    for button in screen.findChildren(QPushButton):
        match = FKEY.match(button.text().replace("&", ""))
        if match and button.isVisibleTo(screen):
            found.setdefault(match.group(1), match.group(2).strip())
    for shortcut in screen.findChildren(QShortcut):
        key = shortcut.key().toString()
        if key and key not in found:
            found[key] = ""
    return sorted(found.items(), key=lambda kv: (len(kv[0]), kv[0]))


class ShortcutsDialog(QDialog):
    def __init__(self, title: str, screen: QWidget | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        everywhere = [(_(k), _(v)) for k, v in GLOBAL_KEYS]  # key names: no catalogue entry
        rows = [("<b>{}</b>".format(_("Everywhere")), ""), *everywhere]
        if screen is not None:
            own = [(k, v) for k, v in screen_keys(screen) if v]
            if own:  # `title` is the screen's name (SCREENS), translated here
                rows += [(f"<b>{_(title)}</b>", ""), *own]
        html = "".join(
            f"<tr><td style='padding-right:18px'>{k}</td><td>{v}</td></tr>" for k, v in rows
        )
        label = QLabel(f"<table>{html}</table>", objectName="shortcuts")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.keys = rows
