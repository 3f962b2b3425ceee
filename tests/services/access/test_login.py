"""Signing in: passwords checked, the back-off after failures, the same work for unknown
names, and every attempt in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from app.core import auth
from app.core.auth import Role
from app.core.errors import AuthenticationFailed, TooManyAttempts, ValidationError
from app.models import AuditEntry, utcnow
from app.services.access import login, throttle


def test_authenticate(database):
    with database.write() as s:
        auth.create_user(s, None, "ada", "correct horse", Role.ADMIN)
    with database.write() as s:
        actor = login.authenticate(s, " ADA ", "correct horse", "till-1")
    assert (actor.username, actor.role, actor.workstation) == ("ada", Role.ADMIN, "till-1")
    for user, password in (("ada", "wrong"), ("nobody", "correct horse")):
        with database.write() as s, pytest.raises(AuthenticationFailed, match="Wrong user name"):
            login.authenticate(s, user, password)


def _fail(database, name, workstation, times):
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            login.sign_in(database, name, "not the password", workstation)


def _actions(database, name):
    with database.read() as s:
        return [
            a
            for (a,) in s.execute(
                select(AuditEntry.action).where(AuditEntry.subject == name).order_by(AuditEntry.id)
            )
        ]


def test_wrong_passwords_make_the_user_wait_even_with_the_right_one(database, admin):
    free = throttle.PER_USER.free
    _fail(database, "admin", "till-1", free)
    with pytest.raises(TooManyAttempts, match="try again in 30 seconds"):
        login.sign_in(database, "admin", "admin-pass", "till-2")
    assert _actions(database, "admin") == ["login.failed"] * free + ["login.blocked"]
    later = utcnow() + throttle.BASE + timedelta(seconds=1)
    with database.write() as s:
        assert login.authenticate(s, "admin", "admin-pass", "till-2", now=later).username == "admin"
    login.sign_in(database, "admin", "admin-pass", "till-2")  # the success started afresh


def test_the_wait_doubles_and_unknown_names_wait_alike(database, admin):
    _fail(database, "nobody", "till-1", throttle.PER_USER.free)
    with pytest.raises(TooManyAttempts, match="30 seconds"):
        login.sign_in(database, "nobody", "x", "till-1")
    free, rule = throttle.PER_USER.free, throttle.PER_USER
    assert throttle.wait_after(free - 1, rule) == timedelta(0)
    assert throttle.wait_after(free + 3, rule) == 8 * throttle.BASE
    assert throttle.wait_after(100, rule) == throttle.MOST


def test_a_workstation_that_keeps_failing_waits_for_every_name(database, admin):
    for n in range(throttle.PER_WORKSTATION.free):
        _fail(database, f"guess{n}", "till-9", 1)
    with pytest.raises(TooManyAttempts, match="this workstation"):
        login.sign_in(database, "admin", "admin-pass", "till-9")
    assert login.sign_in(database, "admin", "admin-pass", "till-1").username == "admin"


class _CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str] = []

    def verify(self, hash, password):  # noqa: A002 (argon2's own name)
        self.verified.append(hash)
        return super().verify(hash, password)


def test_unknown_names_cost_the_same_argon2_work(database, admin, monkeypatch):
    hasher = _CountingHasher()
    monkeypatch.setattr(auth, "_hasher", hasher)
    login._dummy_hash.cache_clear()
    for name in ("admin", "nobody"):
        with database.write() as s, pytest.raises(AuthenticationFailed):
            login.authenticate(s, name, "wrong password")
    known, unknown = (extract_parameters(h) for h in hasher.verified)
    assert known == unknown
    login._dummy_hash.cache_clear()


@pytest.mark.parametrize("name", ["ad\x00min", "a" * 10_000, "\ud800"])
def test_sign_in_names_that_crashed_are_refused_in_words(database, name):
    with pytest.raises(ValidationError, match="User name"):
        login.sign_in(database, name, "whatever1", "till-1")
