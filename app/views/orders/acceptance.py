"""The acceptance queue in the Orders screen (F6): new orders from every channel, oldest
first, each with what needs attention, worked through from the keyboard.

    Up/Down  move           Space   mark / unmark        Ctrl+A  mark all (again: none)
    Enter/A  accept the marked orders (or the one under the cursor)
    R        reject the one under the cursor (asks the reason)
    E        fix its ship-to address or e-mail (and show the order beside the list)

Every action is a service call off the GUI thread (views/ops.py); the list reloads when
a change to orders arrives, from this workstation or another one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from app.core.changes import ChangeSet
from app.core.i18n import N_, _, ngettext
from app.db import ServiceSession as Session
from app.services.sales import acceptance
from app.services.sales.acceptance import Outcome, QueueRow
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.orders.acceptance_dialogs import FixDialog, ReasonDialog
from app.views.orders.acceptance_model import QueueModel
from app.views.widgets import make_table

RELOAD_DELAY_MS = 150  # a burst of changes (an import of many orders) reloads once
HELP = N_("Space mark · Ctrl+A all · Enter/A accept · R reject · E fix")
ACCEPT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A}


class AcceptanceView(QWidget):
    open_order = Signal(int)  # show this order beside the list

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="acceptance")
        self.ctx = ctx
        self.count_label = QLabel(objectName="acceptance_count")
        self.message = QLabel(objectName="acceptance_message")
        self.message.setWordWrap(True)
        self.model = QueueModel(self, ctx, message=self.message.setText)
        self.table = self._make_table()
        self.dialog: ReasonDialog | FixDialog | None = None
        self._stale = True  # read when first shown, and after changes while hidden
        self._keep_id: int | None = None
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.model.loaded.connect(self._restore_cursor)
        ctx.bridge.changed.connect(self._on_changes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        keys = QLabel(_(HELP), objectName="acceptance_keys")
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(keys)
        layout.addWidget(self.message)

    def _make_table(self) -> QTableView:
        table = make_table(self.model, "acceptance_table", stretch=6)  # what needs attention
        table.installEventFilter(self)
        return table

    # -- reading -----------------------------------------------------------------------

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()
        self.table.setFocus()

    def reload(self) -> None:
        self._stale = False
        current = self.current_row()
        self._keep_id = current.id if current is not None else self._keep_id
        self.model.reload()
        self._update_count()

    def _update_count(self) -> None:
        actor = self.ctx.actor

        def count(session: Session) -> int:
            return acceptance.queue_count(session, actor)

        (
            query(self.count_label, self.ctx, count)
            .on_success(self._show_count)
            .message(self.message.setText)
            .run()
        )

    def _show_count(self, count: int) -> None:
        if not count:
            said = _("Acceptance queue: no new order is waiting")
        else:
            said = ngettext(
                "Acceptance queue: {count} new order is waiting",
                "Acceptance queue: {count} new orders are waiting",
                count,
            ).format(count=f"{count:,}")
        self.count_label.setText(said)

    def _restore_cursor(self) -> None:
        if self.model.rowCount() == 0:
            return
        position = None if self._keep_id is None else self.model.position_of(self._keep_id)
        if position is None and self.table.currentIndex().isValid():
            return
        self.table.setCurrentIndex(self.model.index(position or 0, 1))

    def _on_changes(self, change: ChangeSet) -> None:
        if not change.touches_orders:
            return
        if self.isVisible():
            self._reload_timer.start()
        else:
            self._stale = True

    # -- keys --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._key(event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_A and mods & Qt.KeyboardModifier.ControlModifier:
            self.model.mark_all()
            return True
        plain = not mods & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        actions = {
            Qt.Key.Key_Space: lambda: self.model.toggle(self.table.currentIndex().row()),
            Qt.Key.Key_R: self.ask_reject,
            Qt.Key.Key_E: self.ask_fix,
        } | dict.fromkeys(ACCEPT_KEYS, self.accept_marked)
        action = actions.get(Qt.Key(key)) if plain else None
        if action is None:
            return False
        action()
        return True

    def current_row(self) -> QueueRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        row: QueueRow = self.model.row(index.row())
        return row

    # -- actions -----------------------------------------------------------------------

    def accept_marked(self) -> None:
        rows = self.model.marked()
        if not rows and (current := self.current_row()) is not None:
            rows = [current]
        if not rows:
            return
        ids, actor = [r.id for r in rows], self.ctx.actor

        def accept(session: Session) -> list[Outcome]:
            return acceptance.accept_many(session, actor, ids)

        op(self, self.ctx, accept).on_success(self._accepted).message(self.message.setText).run()

    def _accepted(self, outcomes: list[Outcome]) -> None:
        done = [o.number for o in outcomes if o.accepted]
        refused = [f"{o.number}: {o.message}" for o in outcomes if not o.accepted]
        said = [_("Accepted {numbers}.").format(numbers=", ".join(done))] if done else []
        said += [_("Not accepted — {reason}").format(reason=text) for text in refused]
        self.message.setText("\n".join(said))
        self.reload()

    def ask_reject(self) -> None:
        row = self.current_row()
        if row is None:
            return
        dialog = ReasonDialog(_("Reject {number}").format(number=row.number), self)
        dialog.chosen.connect(lambda reason: self._reject(row, reason))
        self._open(dialog)

    def _reject(self, row: QueueRow, reason: str) -> None:
        actor = self.ctx.actor

        def reject(session: Session) -> int:
            return acceptance.reject(session, actor, row.id, reason, row.version)

        (
            op(self, self.ctx, reject)
            .on_success(
                lambda _v: self._done(
                    _("{number} rejected: {reason}").format(number=row.number, reason=reason)
                )
            )
            .message(self.message.setText)
            .run()
        )

    def ask_fix(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.open_order.emit(row.id)
        dialog = FixDialog(row, self)
        dialog.fixed.connect(lambda ship_to, email: self._fix(row, ship_to, email))
        self._open(dialog)

    def _fix(self, row: QueueRow, ship_to: object, email: str | None) -> None:
        actor = self.ctx.actor

        def fix(session: Session) -> int:
            return acceptance.fix_order(
                session, actor, row.id, row.version, ship_to=ship_to, email=email
            )

        (
            op(self, self.ctx, fix)
            .on_success(lambda _v: self._done(_("{number} changed.").format(number=row.number)))
            .message(self.message.setText)
            .run()
        )

    def _open(self, dialog: ReasonDialog | FixDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.table.setFocus())
        self.dialog = dialog
        dialog.open()

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.reload()
