"""Settings -> Database: this workstation's database — the local file, or a shared
PostgreSQL server. "Test connection" says what is there (empty, this Kestrel's schema, an
older one, a newer Kestrel's, another application's); "Use this database" creates or
upgrades the schema only after an administrator confirms, keeps the password in the
keyring (never in the settings file) and takes effect at the next start. Given a
workstations' role, it also creates that role and sets its grants (db_roles.py), and this
workstation then signs in as that role, not as the schema's owner."""

from __future__ import annotations

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
from app.core.auth import Permission
from app.core.errors import KestrelError
from app.views.context import AppContext

STATES = {
    db.SchemaState.EMPTY: "empty — Kestrel can create its tables there",
    db.SchemaState.CURRENT: "a Kestrel store at this version",
    db.SchemaState.OUTDATED: "a Kestrel store at an older version — it can be upgraded",
    db.SchemaState.NEWER: "a store of a newer Kestrel — install that version here",
    db.SchemaState.FOREIGN: "another application's tables — choose another database",
}


class DatabasePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current = QLabel(f"In use: {ctx.database.description}", objectName="db_current")
        self.host = QLineEdit("127.0.0.1", objectName="db_host")
        self.port = QSpinBox(objectName="db_port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.name = QLineEdit("kestrel", objectName="db_name")
        self.user = QLineEdit("kestrel", objectName="db_user")
        self.password = QLineEdit(objectName="db_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QLineEdit(objectName="db_role")
        self.role.setPlaceholderText(f"{db_roles.DEFAULT_ROLE} (not the owner; recommended)")
        self.role_password = QLineEdit(objectName="db_role_password")
        self.role_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.result = QLabel(objectName="db_result", wordWrap=True)
        form = QFormLayout()
        form.addRow("Server", self.host)
        form.addRow("Port", self.port)
        form.addRow("Database", self.name)
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        form.addRow("Workstations sign in as", self.role)
        form.addRow("Their password", self.role_password)
        buttons = QHBoxLayout()
        for name, label, slot in (
            ("test", "Test connection", self.test),
            ("use", "Use this database", self.use),
            ("local", "Use the local file", self.use_local),
        ):
            button = QPushButton(label, objectName=f"db_{name}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
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

    def _probe(self) -> tuple[db.Database, db.SchemaState] | None:
        try:
            database = db.Database.open(self.url())
            db.check_connection(database.engine)
            state, _ = db.schema_state(database.engine)
        except KestrelError as exc:
            self.result.setText(exc.message)
            return None
        return database, state

    def test(self) -> None:
        probed = self._probe()
        if probed is None:
            return
        database, state = probed
        database.dispose()
        self.result.setText(f"Connected to {database.description}: {STATES[state]}.")

    def use(self) -> None:
        if not self.ctx.actor.can(Permission.SETTINGS_MANAGE):
            self.result.setText("Only an administrator or manager changes the database.")
            return
        probed = self._probe()
        if probed is None:
            return
        database, state = probed
        try:
            if state in (db.SchemaState.NEWER, db.SchemaState.FOREIGN):
                self.result.setText(f"Not used: {STATES[state]}.")
                return
            if state in (db.SchemaState.EMPTY, db.SchemaState.OUTDATED):
                verb = "Create Kestrel's tables in" if state is db.SchemaState.EMPTY else "Upgrade"
                answer = QMessageBox.question(
                    self,
                    "Change the shared database",
                    f"{verb} {database.description}? Every workstation using it will need "
                    "this version of Kestrel.",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    self.result.setText("Nothing changed.")
                    return
                db.migrate(database.engine)
                db_roles.renew_grants(database.engine)
            role = self.role.text().strip()
            if role:
                answer = QMessageBox.question(
                    self,
                    "Change the shared database",
                    f"Let the workstations sign in as {role}, a role that does not own the "
                    "schema (it may only add to the audit log, never change it)?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    self.result.setText("Roles unchanged; nothing saved.")
                    return
                db_roles.grant_workstation_role(
                    database.engine, role, self.role_password.text() or None
                )
                self.user.setText(role)  # from now on this workstation signs in as the role
                self.password.setText(self.role_password.text())
        except KestrelError as exc:
            self.result.setText(exc.message)
            return
        finally:
            database.dispose()
        self._save(self.url())

    def use_local(self) -> None:
        if not self.ctx.actor.can(Permission.SETTINGS_MANAGE):
            self.result.setText("Only an administrator or manager changes the database.")
            return
        self._save("")

    def _save(self, url: str) -> None:
        settings = self.ctx.workstation
        settings.database_url = secrets.without_password(url) if url else ""
        kept = ""
        if url and self.password.text():
            kept = (
                " The password is kept in this computer's keyring."
                if secrets.store_password(url, self.password.text())
                else " This computer has no keyring: Kestrel will ask for the password at start."
            )
        settings.save()
        where = "the shared database" if url else "the local file"
        self.result.setText(f"Saved: restart Kestrel on this workstation to use {where}.{kept}")
