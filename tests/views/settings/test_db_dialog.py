"""The dialog for a database that cannot be used: its choices."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.views.settings.db_dialog import Choice, DatabaseProblemDialog


def test_problem_dialog_choices(qtbot):
    dialog = DatabaseProblemDialog("Cannot open the database", "postgresql://x@h/db")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.findChild(object, "choice_local"), Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.LOCAL
    assert dialog.result() == DatabaseProblemDialog.DialogCode.Accepted
