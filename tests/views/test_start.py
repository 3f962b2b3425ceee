"""Start-up in real widgets: first run on an empty store, and a database that cannot be used."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWizard
from sqlalchemy import func, select, text

from app import db
from app.core.errors import KestrelError
from app.core.settings import all_settings
from app.models import SalesOrder
from app.views.app import prepare_database
from app.views.first_run import CreateAdminDialog
from app.views.settings.db_dialog import Choice, DatabaseProblemDialog
from app.views.setup_wizard import SetupWizard


def test_first_run_creates_admin_then_loads_demo(qtbot, sqlite_db):
    create = CreateAdminDialog(sqlite_db, "till-1")
    qtbot.addWidget(create)
    create.show()
    qtbot.keyClicks(create.display_name, "Nora Owner")
    qtbot.keyClicks(create.password, "s3cret-pass")
    qtbot.keyClicks(create.repeat, "different")
    qtbot.keyClick(create.repeat, Qt.Key.Key_Return)
    assert create.error.text() == "The two passwords differ."
    create.repeat.clear()
    qtbot.keyClicks(create.repeat, "s3cret-pass")
    qtbot.keyClick(create.repeat, Qt.Key.Key_Return)
    assert create.result() == CreateAdminDialog.DialogCode.Accepted
    assert (create.actor.username, create.actor.display_name) == ("admin", "Nora Owner")

    wizard = SetupWizard(sqlite_db, create.actor, "till-1")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.company.setText("Corner Shop")
    wizard.address.setPlainText("1 Main Street\nGalway")
    wizard.next()
    wizard.currency.setCurrentText("XYZ")  # not a currency: the page stays
    wizard.next()
    assert "not a currency code" in wizard.money_error.text()
    assert wizard.currentPage() is wizard.money_page
    wizard.currency.setCurrentText("GBP")
    wizard.locale.setCurrentText("en_GB")
    wizard.next()
    assert wizard.currentPage() is wizard.database_page
    assert "kestrel.sqlite" in wizard.findChild(QLabel, "db_where").text()
    wizard.next()
    qtbot.mouseClick(wizard.findChild(QPushButton, "wizard_test"), Qt.MouseButton.LeftButton)
    assert "Test page queued" in wizard.printer_result.text()
    wizard.next()
    wizard.scanner.check("KESTREL-TEST", True)
    wizard.next()
    assert wizard.currentPage() is wizard.store_page and wizard.demo.isChecked()
    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "manager" in wizard.message and "demo1234" in wizard.message
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) > 0
        shared = all_settings(s)
        assert (shared["company_name"], shared["currency"], shared["locale"]) == (
            "Corner Shop",
            "GBP",
            "en_GB",
        )
        assert "Galway" in shared["company_address"]


def test_every_wizard_page_can_be_skipped(qtbot, sqlite_db):
    from app.core import auth

    with sqlite_db.write() as s:
        actor = auth.create_user(s, None, "admin", "s3cret-pass", auth.Role.ADMIN)
    wizard = SetupWizard(sqlite_db, actor, "till-1")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.currency.setCurrentText("NOT-A-CURRENCY")  # skipped pages keep nothing
    skip = wizard.button(QWizard.WizardButton.CustomButton1)
    for _ in range(5):
        qtbot.mouseClick(skip, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.store_page
    qtbot.mouseClick(skip, Qt.MouseButton.LeftButton)  # the last Skip: an empty store
    assert wizard.result() == QWizard.DialogCode.Accepted and not wizard.message
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 0
        assert all_settings(s)["currency"] == "EUR"


def test_unreachable_server_is_explained(qapp):
    with pytest.raises(KestrelError, match=r"Cannot open the database \(shared server"):
        prepare_database("postgresql://kestrel@127.0.0.1:1/shop")


def test_newer_schema_is_refused_at_start(qapp, tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    prepare_database(url).dispose()
    database = db.Database.open(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    database.dispose()
    with pytest.raises(KestrelError, match="newer Kestrel"):
        prepare_database(url)


def test_problem_dialog_choices(qtbot):
    dialog = DatabaseProblemDialog("Cannot open the database", "postgresql://x@h/db")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.findChild(object, "choice_local"), Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.LOCAL
    assert dialog.result() == DatabaseProblemDialog.DialogCode.Accepted
