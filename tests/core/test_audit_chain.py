"""The audit log's hash chain (issue 13, item 3): `kestrel check` finds a rewrite, a
deletion or a cut-off tail done around Kestrel, and says from which entry on; many
writers at once still make one whole chain; entries from before the chain are chained by
the upgrade."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select

from app import db
from app.core import audit, auth
from app.models import AuditEntry
from app.services.stock.integrity import check
from tests.conftest import ENGINES

ENTRIES = 6
ADMIN = auth.Actor(None, "admin", "Ada", auth.Role.ADMIN, "ws-audit")

SQLITE_ATTACKS = {
    "insert or replace, hashes kept": (
        [
            "INSERT OR REPLACE INTO audit_log (id, at, user_id, user_name, workstation, action,"
            " subject, detail, seq, hash) SELECT id, at, user_id, user_name, workstation, "
            "action, subject, 'nothing happened', seq, hash FROM audit_log WHERE seq = {k}"
        ],
        "rewritten",
    ),
    "insert or replace, bare": (
        [
            "INSERT OR REPLACE INTO audit_log (id, at, user_name, workstation, action, subject,"
            " detail) SELECT id, at, user_name, workstation, action, subject, 'x' "
            "FROM audit_log WHERE seq = {k}"
        ],
        "missing",
    ),
    "drop trigger, delete one": (
        ["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = {k}"],
        "missing (deleted)",
    ),
    "drop trigger, cut the tail": (
        ["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq >= {k}"],
        "cut off",
    ),
    "drop trigger, update": (
        ["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET subject = 'x' WHERE seq = {k}"],
        "rewritten",
    ),
}
PG_ATTACKS = {  # as the schema's owner: what the workstations' role cannot do at all
    "owner disables triggers, updates": (
        [
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = {k}",
            "ALTER TABLE audit_log ENABLE TRIGGER USER",
        ],
        "rewritten",
    ),
    "owner disables triggers, deletes one": (
        [
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "DELETE FROM audit_log WHERE seq = {k}",
            "ALTER TABLE audit_log ENABLE TRIGGER USER",
        ],
        "missing (deleted)",
    ),
    "owner truncates": (["TRUNCATE audit_log"], "cut off"),
}


def _entries(database: db.Database, admin, count: int = ENTRIES) -> int:  # type: ignore[no-untyped-def]
    """`count` entries in two transactions; the chain's last place."""
    for half in (count // 2, count - count // 2):
        with database.write() as s:
            for n in range(half):
                audit.record(s, admin, "test.entry", f"S{n}", f"entry {n}")
    with database.read() as s:
        return int(s.scalar(select(func.max(AuditEntry.seq))) or 0)


def _attack_and_check(database: db.Database, statements: list[str], words: str) -> None:
    last = _entries(database, ADMIN)
    with database.read() as s:
        assert check(s) == []
    k = 1 if "TRUNCATE" in statements[0] else last - 2
    with database.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement.format(k=k))
    with database.read() as s:
        problems = [p for p in check(s) if p.kind == "audit-chain"]
    assert problems, "the change went unseen"
    assert f"from entry #{k} on" in problems[0].message
    assert any(words in p.message for p in problems[1:]), problems


@pytest.mark.parametrize("attack", list(SQLITE_ATTACKS))
def test_check_says_from_which_entry_a_sqlite_file_was_changed(sqlite_db, attack):
    _attack_and_check(sqlite_db, *SQLITE_ATTACKS[attack])


@pytest.mark.postgres
@pytest.mark.parametrize("attack", list(PG_ATTACKS))
def test_check_says_from_which_entry_the_owner_changed_the_log(pg_database, attack):
    from tests.conftest import _empty_pg

    _empty_pg(pg_database)
    _attack_and_check(pg_database, *PG_ATTACKS[attack])


def test_appends_from_many_writers_at_once_make_one_chain(database, admin):
    errors: list[BaseException] = []

    def workstation(n: int) -> None:
        try:
            for i in range(15):
                database.transact(
                    lambda s, i=i: audit.record_many(
                        s, admin, [("test.concurrent", f"ws{n}", str(i))] * 2
                    )
                )
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=workstation, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.read() as s:
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 4 * 15 * 2
        assert check(s) == []


@pytest.fixture(params=ENGINES)
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return request.getfixturevalue("pg_empty_url")


def test_entries_from_before_the_chain_are_chained_by_the_upgrade(empty_url):
    database = db.Database.open(empty_url)
    db.migrate(database.engine, "0009")
    old = [
        {
            "at": datetime(2026, 11, 30, 9, n, 7, 0 if n == 1 else 250_000 + n, tzinfo=UTC),
            "user_id": None,
            "user_name": "Ada Ø'Brien",
            "workstation": "till-1",
            "action": "login",
            "subject": f"S{n}",
            "detail": "ça marche",
        }
        for n in range(4)
    ]
    with database.engine.begin() as conn:  # as a 0009 Kestrel wrote them: no chain
        conn.execute(insert(AuditEntry.__table__), old)
    db.migrate(database.engine)
    with database.write() as s:
        audit.record(s, None, "after.upgrade", "S9")
    with database.read() as s:
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.id)).all()
        assert seqs == [1, 2, 3, 4, 5]
        assert check(s) == []
    database.dispose()
