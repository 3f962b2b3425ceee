"""Settings -> Database: this workstation's database — the local file, or a shared
PostgreSQL server. "Test connection" says what is there (empty, this Kestrel's schema, an
older one, a newer Kestrel's, another application's); "Use this database" creates or
upgrades the schema only after an administrator confirms, keeps the password in the
keyring (never in the settings file) and takes effect at the next start. Given a
workstations' role, it also creates that role and sets its grants (db_roles.py), and this
workstation then signs in as that role, not as the schema's owner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import db, db_roles, secrets
from app.admin import shared_db
from app.core.errors import KestrelError
from app.core.i18n import N_, _
from app.views import errors
from app.views.context import AppContext
from app.views.settings.store_check import StoreCheck
from app.views.tasks import run_in_background

T = TypeVar("T")

STATES = {
    db.SchemaState.EMPTY: N_("empty — Kestrel can create its tables there"),
    db.SchemaState.CURRENT: N_("a Kestrel store at this version"),
    db.SchemaState.OUTDATED: N_("a Kestrel store at an older version — it can be upgraded"),
    db.SchemaState.NEWER: N_("a store of a newer Kestrel — install that version here"),
    db.SchemaState.FOREIGN: N_("another application's tables — choose another database"),
}


class DatabasePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current = QLabel(
            _("In use: {database}").format(database=ctx.database.description),
            objectName="db_current",
        )
        self.host = QLineEdit("127.0.0.1", objectName="db_host")
        self.port = QSpinBox(objectName="db_port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.name = QLineEdit("kestrel", objectName="db_name")
        self.user = QLineEdit("kestrel", objectName="db_user")
        self.password = QLineEdit(objectName="db_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QLineEdit(objectName="db_role")
        self.role.setPlaceholderText(
            _("{role} (not the owner; recommended)").format(role=db_roles.DEFAULT_ROLE)
        )
        self.role_password = QLineEdit(objectName="db_role_password")
        self.role_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.result = QLabel(objectName="db_result", wordWrap=True)
        form = QFormLayout()
        form.addRow(_("Server"), self.host)
        form.addRow(_("Port"), self.port)
        form.addRow(_("Database"), self.name)
        form.addRow(_("User"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Workstations sign in as"), self.role)
        form.addRow(_("Their password"), self.role_password)
        buttons = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for name, label, slot in (
            ("test", _("Test connection"), self.test),
            ("use", _("Use this database"), self.use),
            ("local", _("Use the local file"), self.use_local),
        ):
            button = QPushButton(label, objectName=f"db_{name}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        self.check = StoreCheck(ctx, self)  # `kestrel check`, on a worker
        layout.addWidget(self.check)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def url(self) -> str:
        return db.server_url(
            self.host.text(),
            self.port.value(),
            self.name.text(),
            self.user.text(),
            self.password.text(),
        )

    def _run(self, work: Callable[[], T], done: Callable[[T], None]) -> None:
        """One step against the server (connect, migrate, grant: seconds on a slow
        network) off the GUI thread; the buttons wait, a refusal is told in words."""
        for button in self.buttons:
            button.setEnabled(False)
        run_in_background(
            lambda _report: work(), lambda v: self._step_done(done, v), self._failed, owner=self
        )

    def _idle(self) -> None:
        for button in self.buttons:
            button.setEnabled(True)

    def _step_done(self, done: Callable[[T], None], value: T) -> None:
        self._idle()
        done(value)

    def _failed(self, exc: Exception) -> None:
        self._idle()
        if isinstance(exc, KestrelError):
            self.result.setText(exc.message)
        else:
            errors.report_bug(self, exc)

    def test(self) -> None:
        url = self.url()
        self.result.setText(_("Connecting…"))
        self._run(lambda: shared_db.probe(url), self._tested)

    def _tested(self, probed: shared_db.Probe) -> None:
        self.result.setText(
            _("Connected to {database}: {state}.").format(
                database=probed.description, state=_(STATES[probed.state])
            )
        )

    def use(self) -> None:
        try:
            shared_db.may_change(self.ctx.actor)
        except KestrelError as exc:
            self.result.setText(exc.message)
            return
        url = self.url()
        self.result.setText(_("Connecting…"))
        self._run(lambda: shared_db.probe(url), lambda probed: self._use_probed(url, probed))

    def _use_probed(self, url: str, probed: shared_db.Probe) -> None:
        if probed.state in shared_db.REFUSED:
            self.result.setText(_("Not used: {state}.").format(state=_(STATES[probed.state])))
            return
        if probed.state not in shared_db.TO_MIGRATE:
            self._use_role()
            return
        question = (
            _(
                "Create Kestrel's tables in {database}? Every workstation using it will need "
                "this version of Kestrel."
            )
            if probed.state is db.SchemaState.EMPTY
            else _(
                "Upgrade {database}? Every workstation using it will need this version of Kestrel."
            )
        )
        answer = QMessageBox.question(
            self,
            _("Change the shared database"),
            question.format(database=probed.description),
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.result.setText(_("Nothing changed."))
            return
        actor = self.ctx.actor
        self._run(lambda: shared_db.migrate(actor, url), lambda _none: self._use_role())

    def _use_role(self) -> None:
        role = self.role.text().strip()
        if not role:
            self._save(self.url())
            return
        answer = QMessageBox.question(
            self,
            _("Change the shared database"),
            _(
                "Let the workstations sign in as {role}, a role that does not own the "
                "schema (it may only add to the audit log, never change it)?"
            ).format(role=role),
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.result.setText(_("Roles unchanged; nothing saved."))
            return
        actor, url, password = self.ctx.actor, self.url(), self.role_password.text() or None
        self._run(
            lambda: shared_db.grant_role(actor, url, role, password),
            lambda _none: self._role_granted(role),
        )

    def _role_granted(self, role: str) -> None:
        self.user.setText(role)  # from now on this workstation signs in as the role
        self.password.setText(self.role_password.text())
        self._save(self.url())

    def use_local(self) -> None:
        try:
            shared_db.may_change(self.ctx.actor)
        except KestrelError as exc:
            self.result.setText(exc.message)
            return
        self._save("")

    def _save(self, url: str) -> None:
        settings = self.ctx.workstation
        settings.database_url = secrets.without_password(url) if url else ""
        kept = ""
        if url and self.password.text():
            kept = (
                _("The password is kept in this computer's keyring.")
                if secrets.store_password(url, self.password.text())
                else _("This computer has no keyring: Kestrel will ask for the password at start.")
            )
        settings.save()
        saved = (
            _("Saved: restart Kestrel on this workstation to use the shared database.")
            if url
            else _("Saved: restart Kestrel on this workstation to use the local file.")
        )
        self.result.setText(f"{saved} {kept}".strip())
