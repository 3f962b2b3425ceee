"""The counter without its server: go offline when the server stops answering, sell from
this till's journal (receipt straight to the till's printer), and look for the server
every few seconds to sync the waiting sales.

The probe (a ping, then the sync) runs on the thread pool: an unreachable server can take
a connect timeout to say so, and the till must never freeze while it does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from app.core.auth import Actor
from app.core.errors import KestrelError
from app.core.i18n import _, ngettext
from app.db import Database
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.sales.offline import OfflineJournal, SyncReport
from app.views.counter.host import CounterHost
from app.views.errors import on_background_error
from app.views.tasks import Report, run_in_background

SYNC_EVERY_MS = 5000  # while offline sales wait: how often to look for the server


class OfflineController:
    """Whether the till sells offline, and the journal's round trips to the server."""

    def __init__(self, screen: CounterHost, journal: OfflineJournal) -> None:
        self.screen = screen
        self.journal = journal
        self.active = False
        self._probing = False
        self.timer = QTimer(screen, interval=SYNC_EVERY_MS)
        self.timer.timeout.connect(self.try_sync)
        if journal.pending_count():
            self.timer.start()

    def cache_catalogue(self) -> None:
        """Refresh the journal's copy of the shop's catalogue, in the background (its own
        journal connection: sqlite3 connections are not shared across threads)."""
        path, database = self.journal.path, self.screen.ctx.database
        workstation = self.screen.ctx.workstation.workstation_name

        def work(_report: Report) -> int:
            copy = OfflineJournal(path)
            try:
                with database.read() as session:
                    copy.cache_shop(session, workstation)
                    return copy.cache_catalogue(session)
            finally:
                copy.close()

        run_in_background(
            work, lambda _n: None, on_background_error("caching the catalogue"), owner=self.screen
        )

    def go_offline(self) -> None:
        if not self.active:
            self.active = True
            self.timer.start()
            self.show()

    def show(self) -> None:
        """The offline state on the till line and in the status bar of every screen."""
        waiting = self.journal.pending_count()
        text = ""
        if self.active:
            text = ngettext(
                "OFFLINE — selling from this till's journal; {count} sale waits",
                "OFFLINE — selling from this till's journal; {count} sales wait",
                waiting,
            ).format(count=waiting)
        elif waiting:
            text = ngettext(
                "{count} offline sale waits to be synced",
                "{count} offline sales wait to be synced",
                waiting,
            ).format(count=waiting)
        parked = self.journal.parked_count()
        if parked:
            text += ("; " if text else "") + ngettext(
                "{count} offline sale parked for a manager",
                "{count} offline sales parked for a manager",
                parked,
            ).format(count=parked)
        if text:
            self.screen.till_label.setText(text)
        window = self.screen.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text)

    def sell(self, tenders: list[Tender], key: str | None = None, uncertain: bool = False) -> None:
        """The server is away: the sale is kept in this till's journal and synced later,
        under the key its online attempt used (`uncertain`: that attempt may have landed)."""
        screen, ctx = self.screen, self.screen.ctx
        cart = screen.cart
        try:
            key = self.journal.record_sale(
                cart, tenders, screen.till, ctx.workstation.workstation_name, key
            )
            payload, uri = self.journal.receipt(cart, tenders, key)
        except KestrelError as exc:
            screen.say_error(exc.message)
            return
        self._print(payload, uri, key)
        total = cart.totals()[2]
        change = sum(t.amount for t in tenders) - total
        money = {"total": ctx.money(total), "change": ctx.money(change)}
        screen.change_label.setText(
            _("Change {amount}").format(amount=money["change"]) if change > 0 else ""
        )
        screen.cart = Cart()
        if uncertain:
            said = _(
                "The server stopped answering while saving: this sale may have been saved. "
                "Kept on this till too: {total}. When the server is back it is counted "
                "once, never twice."
            )
            if change > 0:
                said = _(
                    "The server stopped answering while saving: this sale may have been "
                    "saved. Kept on this till too: {total}. Change {change}. When the server "
                    "is back it is counted once, never twice."
                )
            screen.say_error(said.format(**money))
        else:
            said = _("Offline sale kept: {total}. It reaches the server when it is back.")
            if change > 0:
                said = _(
                    "Offline sale kept: {total}. Change {change}. It reaches the server when "
                    "it is back."
                )
            screen.say(said.format(**money))
        screen.refresh()
        self.show()
        screen.input.setFocus()

    def _print(self, payload: bytes, uri: str, key: str) -> None:
        """Straight to the till's receipt printer (the queue is on the server), on a worker."""
        from app.printing.transports import parse_uri, send

        def work(_report: Report) -> object:
            return send(parse_uri(uri), payload, "escpos", f"offline-{key[:8]}")

        def failed(exc: Exception) -> None:
            message = getattr(exc, "message", str(exc))
            self.screen.say_error(
                _("The offline receipt did not print: {reason}").format(reason=message)
            )

        run_in_background(work, lambda _d: None, failed, owner=self.screen)

    def try_sync(self) -> None:
        """Is the server back? Then sync the waiting sales (every few seconds while sales
        wait, or when asked) — on a worker, one probe at a time."""
        if not self.journal.pending_count() and not self.active:
            self.timer.stop()
            return
        if self._probing:
            return
        self._probing = True
        path, database, actor = self.journal.path, self.screen.ctx.database, self.screen.ctx.actor

        def done(report: SyncReport | None) -> None:
            self._probing = False
            self._synced(report)

        def failed(exc: Exception) -> None:
            self._probing = False
            on_background_error("syncing offline sales")(exc)

        run_in_background(
            lambda _report: sync_journal(path, database, actor), done, failed, owner=self.screen
        )

    def _synced(self, report: SyncReport | None) -> None:
        if report is None or (report.failed and not (report.synced or report.already)):
            return  # still away, or the server refused every sale (kept, with reasons)
        screen = self.screen
        self.active = False
        screen.lookup.close()  # a fresh connection for the scanner
        screen.say(
            sync_words(report), error=bool(report.conflicts or report.failed or report.parked)
        )
        screen.refresh()
        screen.drawer.show(then=self.show)  # the offline line stays on top of the till's
        if not self.journal.pending_count():
            self.timer.stop()

    def shutdown(self) -> None:
        self.timer.stop()
        self.journal.close()


def sync_words(report: SyncReport) -> str:
    """What a sync did, in a cashier's words."""
    said = [
        ngettext(
            "{count} offline sale synced.", "{count} offline sales synced.", report.synced
        ).format(count=report.synced)
    ]
    if report.already:
        said.append(
            ngettext(
                "{count} had reached the server already: counted once.",
                "{count} had reached the server already: counted once.",
                report.already,
            ).format(count=report.already)
        )
    if report.conflicts:
        count = len(report.conflicts)
        said.append(
            ngettext(
                "{count} stock conflict listed for a manager (Audit log: offline.conflict).",
                "{count} stock conflicts listed for a manager (Audit log: offline.conflict).",
                count,
            ).format(count=count)
        )
    if report.failed:
        count = len(report.failed)
        said.append(
            ngettext(
                "{count} could not be synced yet: {reason}",
                "{count} could not be synced yet: {reason}",
                count,
            ).format(count=count, reason=report.failed[0])
        )
    if report.parked:
        count = len(report.parked)
        said.append(
            ngettext(
                "{count} parked for a manager (Kestrel hit a bug; see the log).",
                "{count} parked for a manager (Kestrel hit a bug; see the log).",
                count,
            ).format(count=count)
        )
    return " ".join(said)


def sync_journal(path: Path, database: Database, actor: Actor) -> SyncReport | None:
    """The journal's sales onto the server if it answers (a cheap read first: with nothing
    waiting, sync alone would not notice the server is still away); None if it does not.
    Runs on a worker with its own journal connection (sqlite3 connections stay per thread)."""
    try:
        database.ping()
    except KestrelError:
        return None
    journal = OfflineJournal(path)
    try:
        return journal.sync(database, actor)
    except KestrelError:
        return None
    finally:
        journal.close()
