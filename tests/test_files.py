"""What Kestrel writes to disk is readable by its own user only (POSIX): the database with
its WAL, the log, the settings file, and the folders they live in — whatever the umask."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from app import db, logs, paths
from app.config import WorkstationSettings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """The common default, which let every local user read the shop's files."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_database_and_its_wal_are_private(tmp_path):
    path = tmp_path / "new" / "folder" / "shop.sqlite"
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    with database.engine.connect() as conn:  # keeps the WAL and its index open
        conn.exec_driver_sql("SELECT count(*) FROM sales_orders")
        made = [path, path.with_name("shop.sqlite-wal"), path.with_name("shop.sqlite-shm")]
        assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}
    database.dispose()
    assert mode(tmp_path / "new") == mode(tmp_path / "new" / "folder") == 0o700


def test_user_folders_settings_and_log_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("KESTREL_HOME", str(tmp_path / "home"))
    for folder in (paths.data_dir(), paths.config_dir(), paths.log_dir(), paths.cache_dir()):
        assert mode(folder) == 0o700, folder
    assert mode(tmp_path / "home") == 0o700
    WorkstationSettings(database_url="sqlite:///x").save()
    assert mode(paths.config_dir() / "kestrel.toml") == 0o600
    handler = logs.PrivateLogFile(paths.log_dir() / "kestrel.log", maxBytes=200, backupCount=2)
    try:
        for n in range(20):  # past two rotations
            handler.emit(logging.makeLogRecord({"msg": f"line {n} " + "x" * 50}))
    finally:
        handler.close()
    written = sorted(paths.log_dir().glob("kestrel.log*"))
    assert len(written) == 3
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}


def test_an_existing_folder_keeps_the_mode_it_was_given(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o750)
    os.chmod(shared, 0o750)
    paths.private_file(shared / "shop.sqlite")
    assert mode(shared) == 0o750 and mode(shared / "shop.sqlite") == 0o600


def test_the_offline_journal_is_private(tmp_path):
    from app.services.sales.offline import OfflineJournal

    journal = OfflineJournal(tmp_path / "till" / "journal.sqlite")
    try:
        assert mode(tmp_path / "till" / "journal.sqlite") == 0o600
        assert mode(tmp_path / "till") == 0o700
    finally:
        journal.close()


@pytest.mark.allow_log(logging.WARNING, logger="kestrel.config", match="ignoring workstation_name")
@pytest.mark.parametrize("name", ["x" * 10_000, "../../etc/evil", "till\x00one", " . ", ""])
def test_a_workstation_name_that_would_crash_the_till_is_ignored(tmp_path, name, caplog):
    path = tmp_path / "kestrel.toml"
    WorkstationSettings(workstation_name=name).save(path)
    loaded = WorkstationSettings.load(path)
    assert loaded.workstation_name == WorkstationSettings().workstation_name
    assert "ignoring workstation_name" in caplog.text
    WorkstationSettings(workstation_name="Till 2").save(path)
    assert WorkstationSettings.load(path).workstation_name == "Till 2"
