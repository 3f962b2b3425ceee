"""Users, Argon2 passwords and the permission matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from app.core import auth
from app.core.auth import ROLE_PERMISSIONS, Permission, Role
from app.core.errors import (
    AuthenticationFailed,
    PermissionDenied,
    TooManyAttempts,
    ValidationError,
)
from app.models import AuditEntry, utcnow
from app.services.access import login, throttle


def test_first_user_is_admin_then_only_admins_add_users(database):
    with database.write() as s:
        with pytest.raises(ValidationError, match="administrator"):
            auth.create_user(s, None, "bob", "secret-1", Role.CLERK)
        admin = auth.create_user(s, None, "Ada", "secret-1", Role.ADMIN)
        assert admin.username == "ada"
    with database.write() as s, pytest.raises(PermissionDenied):
        auth.create_user(s, None, "eve", "secret-1", Role.ADMIN)
    manager = auth.Actor(None, "m", "Mia", Role.MANAGER)
    with database.write() as s, pytest.raises(PermissionDenied, match="users.manage"):
        auth.create_user(s, manager, "eve", "secret-1", Role.CLERK)
    with database.write() as s:
        auth.create_user(s, admin, "carl", "secret-2", Role.CASHIER)


def test_authenticate(database):
    with database.write() as s:
        auth.create_user(s, None, "ada", "correct horse", Role.ADMIN)
    with database.write() as s:
        actor = login.authenticate(s, " ADA ", "correct horse", "till-1")
    assert (actor.username, actor.role, actor.workstation) == ("ada", Role.ADMIN, "till-1")
    for user, password in (("ada", "wrong"), ("nobody", "correct horse")):
        with database.write() as s, pytest.raises(AuthenticationFailed, match="Wrong user name"):
            login.authenticate(s, user, password)


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("", "secret-1", "required"), ("a b", "secret-1", "letters"), ("ok", "123", "at least")],
)
def test_bad_user_input(database, username, password, message):
    with database.write() as s, pytest.raises(ValidationError, match=message):
        auth.create_user(s, None, username, password, Role.ADMIN)


def test_matrix_shape():
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    assert Permission.USERS_MANAGE not in ROLE_PERMISSIONS[Role.MANAGER]
    assert Permission.ORDERS_CANCEL not in ROLE_PERMISSIONS[Role.CASHIER]
    assert Permission.STOCK_ADJUST not in ROLE_PERMISSIONS[Role.PICKER]


@pytest.mark.parametrize(
    "password",
    ["1234567", " " * 8, "\t" * 10, "12345678", "Password1", "qwerty123", "aaaaaaaaaa", "abababab"],
)
def test_short_blank_and_common_passwords_are_refused(database, password):
    with database.write() as s, pytest.raises(ValidationError, match="password|characters"):
        auth.create_user(s, None, "ada", password, Role.ADMIN)
    with database.read() as s:
        assert auth.user_count(s) == 0


def test_the_shipped_list_is_there_and_the_demo_password_passes():
    from app.admin.demo import DEMO_PASSWORD

    assert {"123456", "password", "iloveyou"} <= auth.common_passwords()
    assert auth.check_password(DEMO_PASSWORD) == DEMO_PASSWORD


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
