"""The till at the counter: open it with a float, show its state, close it with the
counted drawer and its Z report; and the two dialogs that go with it (the drawer count,
and a manager's sign-in for one approval)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.core.auth import Actor
from app.core.errors import DatabaseUnavailable, KestrelError, ValidationError
from app.core.i18n import _
from app.core.money import format_amount, parse_money
from app.services.sales import till
from app.services.sales.closing import close_and_print_z
from app.services.sales.till import TillState, ZReport
from app.views import errors
from app.views.context import AppContext
from app.views.counter.host import CounterHost
from app.views.ops import op, query
from app.views.tasks import run_in_background
from app.views.theme import mark
from app.views.widgets import count_rows, nonzero, ok_cancel


class TillController:
    """Open, show and close this workstation's till; every read and write off the GUI
    thread. `is_open` is the last state read (None until the first answer)."""

    def __init__(self, screen: CounterHost) -> None:
        self.screen = screen
        self.is_open: bool | None = None

    def show(self, then: Callable[[], None] | None = None) -> None:
        """Read the till's state again (after anything that moved cash); `then` runs once
        it is shown (the offline line that must stay on top of it)."""
        screen = self.screen
        if screen.offline:
            screen.offline_mode.show()
            return
        name = screen.till

        def shown(state: TillState | None) -> None:
            self._shown(state)
            if then is not None:
                then()

        query(screen, screen.ctx, lambda s: till.state(s, name)).on_success(shown).on_failure(
            self._unreadable
        ).run()

    def _unreadable(self, exc: KestrelError) -> None:
        if isinstance(exc, DatabaseUnavailable):
            self.screen.offline_mode.go_offline()
        else:
            self.screen.say_error(exc.message)

    def _shown(self, state: TillState | None) -> None:
        screen = self.screen
        if screen.offline:
            return  # the server went away meanwhile: the offline line stays
        self.is_open = state is not None
        if state is None:
            screen.till_label.setText(
                _("Till {till} is closed — F9 opens it with a float.").format(till=screen.till)
            )
        else:
            screen.till_label.setText(
                _("Till {till} open since {time}; cash in drawer {cash}").format(
                    till=screen.till,
                    time=f"{state.opened_at.astimezone():%H:%M}",
                    cash=screen.ctx.money(state.expected_cash),
                )
            )

    def toggle(self) -> None:
        """F9: close an open till (count the drawer), open a closed one (with a float)."""
        screen, name = self.screen, self.screen.till
        query(screen, screen.ctx, lambda s: till.current(s, name) is not None).on_success(
            self._toggle
        ).message(screen.say_error).busy(screen.buttons["till"]).run()

    def _toggle(self, open_now: bool) -> None:
        if open_now:
            self.close_till()
            return
        text, ok = QInputDialog.getText(
            self.screen,
            _("Open the till"),
            _("Opening float:"),
            text=format_amount(10000, self.screen.ctx.currency, self.screen.ctx.locale),
        )
        if ok:
            self.open_till(text)

    def open_till(self, float_text: str) -> None:
        screen, ctx = self.screen, self.screen.ctx
        try:
            amount = parse_money(float_text, ctx.currency, ctx.locale)
        except ValidationError as exc:
            screen.say_error(exc.message)
            return
        actor, name, workstation = ctx.actor, screen.till, ctx.workstation.workstation_name

        def opened(_session_id: int) -> None:
            screen.say(_("Till open with {amount}.").format(amount=ctx.money(amount)))
            screen.refresh(till_changed=True)

        op(
            screen, ctx, lambda s: till.open_session(s, actor, name, amount, workstation)
        ).on_success(opened).message(screen.say_error).busy(screen.buttons["till"]).run()

    def close_till(self, counted: dict[int, int] | None = None) -> None:
        screen, ctx = self.screen, self.screen.ctx
        if counted is None:
            dialog = CountDialog(ctx, screen)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            counted = dialog.counted()
        drawer = counted
        actor, name, workstation = ctx.actor, screen.till, ctx.workstation.workstation_name
        op(
            screen, ctx, lambda s: close_and_print_z(s, actor, name, workstation, drawer)
        ).on_success(self._closed).message(screen.say_error).busy(screen.buttons["till"]).run()

    def _closed(self, done: tuple[ZReport, str]) -> None:
        screen, money = self.screen, self.screen.ctx.money
        report, screen.z_report_path = done
        screen.say(
            _(
                "Till closed. Expected {expected}, counted {counted}, difference "
                "{difference}. Z report printing; kept as {path}."
            ).format(
                expected=money(report.expected_cash),
                counted=money(report.counted_cash),
                difference=money(report.difference),
                path=screen.z_report_path,
            ),
            error=report.difference != 0,
        )
        screen.ctx.jobs_queued()
        screen.refresh(till_changed=True)


class ManagerDialog(QDialog):
    """A manager's sign-in for one approval; the cashier stays signed in."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Manager approval"))
        self.ctx = ctx
        self.actor: Actor | None = None
        self.reason = QLabel(reason or _("This needs a manager's approval."), objectName="why")
        self.reason.setWordWrap(True)
        self.username = QLineEdit(objectName="manager_user")
        self.password = QLineEdit(objectName="manager_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="manager_error", wordWrap=True)
        mark(self.error, "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.approve)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.reason)
        form.addRow(_("Manager"), self.username)
        form.addRow(_("Password"), self.password)
        form.addRow(self.error)
        form.addRow(buttons)

    def approve(self) -> None:
        """Sign the manager in on a worker (a password hash takes a moment, and sign-in
        keeps a failure in the audit log in a transaction of its own)."""
        from app.services.access import login

        database, workstation = self.ctx.database, self.ctx.workstation.workstation_name
        username, password = self.username.text(), self.password.text()
        self.ok.setEnabled(False)
        run_in_background(
            lambda _report: login.sign_in(database, username, password, workstation),
            self._signed_in,
            self._refused,
            owner=self,
        )

    def _refused(self, exc: Exception) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, KestrelError):
            self.error.setText(exc.message)
        else:
            errors.report_bug(self, exc)

    def _signed_in(self, actor: Actor) -> None:
        from app.core import auth

        self.ok.setEnabled(True)
        if not actor.can(auth.Permission.PRICE_OVERRIDE):
            self.error.setText(_("{name} may not approve prices.").format(name=actor.display_name))
            return
        self.actor = actor
        self.accept()


class CountDialog(QDialog):
    """Count the drawer per note and coin."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Count the drawer"))
        form = QFormLayout(self)
        self.fields = count_rows(
            form,
            (
                (value, ctx.money(value), 100_000, f"count_{value}")
                for value in till.denominations(ctx.currency)
            ),
        )
        ok_cancel(self, form)

    def counted(self) -> dict[int, int]:
        return nonzero(self.fields)
