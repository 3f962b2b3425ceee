"""Settings > Database: test a server, create the shared schema and save the address
without its password; creating the schema also sets up the workstations' role (issue 13,
item 3), and this workstation then signs in as that role. The server is asked off the GUI
thread, so the tests settle after each button."""

from __future__ import annotations

import uuid

import psycopg
import pytest

pytestmark = pytest.mark.postgres


def test_create_step_sets_up_the_workstations_role_and_signs_in_as_it(
    qtbot, ctx, pg_empty_url, pg_server, settle
):
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy.engine import make_url

    from app import db, db_roles
    from app.config import WorkstationSettings
    from app.views.main_window import MainWindow
    from tests.views.conftest import answer_modal

    role = f"kestrel_ws_{uuid.uuid4().hex[:10]}"
    target = make_url(pg_empty_url)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_screen("Settings").database
    page.host.setText(target.host or "127.0.0.1")
    page.port.setValue(target.port or 5432)
    page.name.setText(target.database)
    page.user.setText(target.username or "postgres")
    page.role.setText(role)
    page.role_password.setText("ws-secret-1")

    def yes(box) -> None:  # type: ignore[no-untyped-def]
        box.button(QMessageBox.StandardButton.Yes).click()

    answer_modal(QMessageBox, lambda box: (yes(box), answer_modal(QMessageBox, yes)))
    try:
        page.use()
        settle()
        assert "restart Kestrel" in page.result.text(), page.result.text()
        shared = db.Database.open(pg_empty_url)
        assert db.schema_state(shared.engine)[0] is db.SchemaState.CURRENT
        assert db_roles.granted_roles(shared.engine) == [role]
        shared.dispose()
        saved = make_url(WorkstationSettings.load().database_url)
        assert saved.username == role and saved.password is None  # the password: keyring
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_settings_database_page_tests_creates_and_saves_without_the_password(
    qtbot, ctx, pg_empty_url, settle
):
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy.engine import make_url

    from app import db
    from app.config import WorkstationSettings
    from app.views.main_window import MainWindow
    from tests.views.conftest import answer_modal

    target = make_url(pg_empty_url)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_screen("Settings").database
    page.host.setText(target.host or "127.0.0.1")
    page.port.setValue(target.port or 5432)
    page.name.setText("no_such_database_here")
    page.user.setText(target.username or "postgres")
    page.test()
    settle()
    assert "Cannot open the database" in page.result.text()
    page.name.setText(target.database)
    page.password.setText("secret-in-keyring-only")
    page.test()
    settle()
    assert "empty — Kestrel can create its tables there" in page.result.text()

    answer_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    page.use()
    settle()
    assert "restart Kestrel" in page.result.text()
    assert "keyring" in page.result.text()
    shared = db.Database.open(pg_empty_url)
    assert db.schema_state(shared.engine)[0] is db.SchemaState.CURRENT
    shared.dispose()
    saved = WorkstationSettings.load()
    assert saved.database_url.startswith("postgresql+psycopg://")
    assert target.database in saved.database_url and "secret" not in saved.database_url
    page.test()
    settle()
    assert "a Kestrel store at this version" in page.result.text()
