"""First start on an empty database: create the administrator, then demo store or empty."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services import auth
from app.services.auth import Actor, Role
from app.services.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from app.services.errors import KestrelError, ValidationError
from app.views.errors import describe
from app.views.tasks import run_in_background


class CreateAdminDialog(QDialog):
    """The first user of a new store is its administrator."""

    def __init__(self, database: Database, workstation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Kestrel")
        self.database = database
        self.workstation = workstation
        self.actor: Actor | None = None
        self.username = QLineEdit("admin", objectName="username")
        self.display_name = QLineEdit(objectName="display_name")
        self.password = QLineEdit(objectName="password")
        self.repeat = QLineEdit(objectName="repeat")
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="error")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create administrator")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        intro = QLabel(
            "This store has no users yet. Create the administrator, who can add "
            "everyone else later."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow("User name", self.username)
        form.addRow("Your name", self.display_name)
        form.addRow("Password", self.password)
        form.addRow("Password again", self.repeat)
        form.addRow(self.error)
        form.addRow(buttons)

    def create(self) -> None:
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError("The two passwords differ.")
            with self.database.write() as session:
                created = auth.create_user(
                    session,
                    None,
                    self.username.text(),
                    self.password.text(),
                    Role.ADMIN,
                    self.display_name.text(),
                )
        except KestrelError as exc:
            self.error.setText(exc.message)
            return
        self.actor = Actor(
            created.user_id, created.username, created.display_name, created.role, self.workstation
        )
        self.accept()


class StoreChoiceDialog(QDialog):
    """Load the demo store (in the background, with progress) or start empty."""

    def __init__(self, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your store")
        self.database = database
        self.actor = actor
        self.loaded_demo = False
        self.message = ""
        layout = QVBoxLayout(self)
        text = QLabel(
            "Start with a demo store to try Kestrel: products with barcodes, two warehouses, "
            "customers and orders in every status. Or start with an empty store."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.demo_button = QPushButton("Load demo store", objectName="load_demo")
        self.empty_button = QPushButton("Start empty", objectName="start_empty")
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.load_demo)
        self.empty_button.clicked.connect(self.accept)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.empty_button)
        self.progress: QProgressDialog | None = None

    def load_demo(self) -> None:
        self.demo_button.setEnabled(False)
        self.empty_button.setEnabled(False)
        progress = QProgressDialog("Building the demo store...", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self.progress = progress
        database, actor = self.database, self.actor
        stop = threading.Event()  # set on the GUI thread, read by the worker
        progress.canceled.connect(stop.set)

        def work(report):  # type: ignore[no-untyped-def]
            with database.write() as session:
                return build_demo(
                    session,
                    actor,
                    progress=report,
                    cancelled=stop.is_set,
                )

        run_in_background(work, self._done, self._failed, self._progress)

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setLabelText(f"Building the demo store: {stage}…")
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _done(self, _stats: object) -> None:
        if self.progress is not None:
            self.progress.reset()
        self.loaded_demo = True
        names = ", ".join(name for name, _, _ in DEMO_USERS)
        self.message = (
            f"The demo store is ready. Demo sign-ins: {names}; "
            f"each with the password {DEMO_PASSWORD}."
        )
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if self.progress is not None:
            self.progress.reset()
        self.demo_button.setEnabled(True)
        self.empty_button.setEnabled(True)
        QMessageBox.warning(self, "Demo store", describe(exc))
