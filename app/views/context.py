"""What every screen needs, handed to its constructor (no global service locator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from app.config import WorkstationSettings
from app.core import changes
from app.core.auth import Actor
from app.core.money import format_money
from app.db import Database


class ChangeBridge(QObject):
    """Turns the services' after-commit ChangeSets into one Qt signal. Signals crossing
    threads are queued, so a commit in a worker still reaches widgets on the GUI thread."""

    changed = Signal(object)
    connection = Signal(bool)  # the database answers (True) or not, from the listener

    def __init__(self) -> None:
        super().__init__()
        changes.subscribe(self.changed.emit)

    def close(self) -> None:
        changes.unsubscribe(self.changed.emit)


@dataclass
class AppContext:
    database: Database
    actor: Actor
    workstation: WorkstationSettings
    bridge: ChangeBridge
    currency: str = "EUR"
    locale: str = "en_IE"
    prices: str = "inclusive"  # the shop's view of prices (core/tax.py), read at sign-in
    prices_include_tax: bool = True  # what the stored prices are
    wake_printer: Callable[[], None] | None = None  # set once the print worker runs

    def jobs_queued(self) -> None:
        """Tell the print worker that jobs wait (it would find them at its next poll)."""
        if self.wake_printer is not None:
            self.wake_printer()

    def money(self, minor: int, currency: str | None = None) -> str:
        return format_money(minor, currency or self.currency, self.locale)


def local_time(value: object) -> str:
    if not isinstance(value, datetime):
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
