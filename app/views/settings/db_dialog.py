"""When the database cannot be used: say why, and offer retry, another address, or the
local file. Never a traceback."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _


class Choice(Enum):
    RETRY = "retry"
    OTHER = "other"
    LOCAL = "local"
    QUIT = "quit"


class DatabaseProblemDialog(QDialog):
    def __init__(self, message: str, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Kestrel cannot use this database"))
        self.choice = Choice.QUIT
        self.new_url = ""
        self.url = url
        text = QLabel(message, objectName="problem")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        for choice, label in (
            (Choice.RETRY, _("&Retry")),
            (Choice.OTHER, _("&Choose another…")),
            (Choice.LOCAL, _("Use the &local file")),
            (Choice.QUIT, _("&Quit")),
        ):
            button = QPushButton(label, objectName=f"choice_{choice.value}")
            button.clicked.connect(lambda _=False, c=choice: self.pick(c))
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def pick(self, choice: Choice) -> None:
        if choice is Choice.OTHER:
            url, ok = QInputDialog.getText(
                self,
                _("Database address"),
                _("sqlite:///path/file.sqlite or postgresql://user@host:5432/database"),
                text=self.url,
            )
            if not ok or not url.strip():
                return
            self.new_url = url.strip()
        self.choice = choice
        self.accept()
