"""app/services/access/users.py: managing users, on SQLite and PostgreSQL. The shop never
locks itself out, every change is audited and noticed, the minimum length is a setting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core import changes, settings
from app.core.auth import Role
from app.core.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from app.models import AuditEntry
from app.services.access import login, users
from tests.conftest import role_actor

GOOD = "plenty-long-pass"


def _audit(database, subject):
    with database.read() as s:
        return [
            (a, d)
            for a, d in s.execute(
                select(AuditEntry.action, AuditEntry.detail)
                .where(AuditEntry.subject == subject, AuditEntry.action.like("user.%"))
                .order_by(AuditEntry.id)
            )
        ]


def test_add_and_list(database, admin):
    with database.write() as s:
        row = users.add_user(s, admin, "Till.One", GOOD, "cashier", "Tom Till")
    assert (row.username, row.role, row.active, row.role_label) == (
        "till.one",
        Role.CASHIER,
        True,
        "Cashier",
    )
    with database.read() as s:
        listed = users.list_users(s, admin)
    assert [r.username for r in listed] == ["admin", "till.one"]
    assert _audit(database, "till.one") == [("user.add", "role cashier")]
    assert login.sign_in(database, "till.one", GOOD).role is Role.CASHIER


def test_the_minimum_length_is_a_shop_setting(database, admin):
    with database.write() as s, pytest.raises(ValidationError, match="at least 10") as bad:
        users.add_user(s, admin, "short", "nine-char", Role.CLERK)
    assert bad.value.field == "password"
    with database.write() as s:
        settings.set_setting(s, admin, "password_min_length", 16)
    with database.write() as s, pytest.raises(ValidationError, match="at least 16"):
        users.add_user(s, admin, "short", "fifteen-chars-x", Role.CLERK)
    with database.write() as s, pytest.raises(ValidationError, match="at least 16"):
        users.reset_password(s, admin, "admin", "fifteen-chars-x")
    with database.write() as s:
        settings.set_setting(s, admin, "password_min_length", 1)  # never below core's 8
    with database.write() as s, pytest.raises(ValidationError, match="at least 8"):
        users.add_user(s, admin, "short", "seven77", Role.CLERK)


def test_a_disabled_user_cannot_sign_in_and_is_audited(database, admin):
    with database.write() as s:
        users.add_user(s, admin, "clara", GOOD, Role.CLERK)
        users.set_active(s, admin, "clara", False)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        login.sign_in(database, "clara", GOOD, "till-1")
    with pytest.raises(AuthenticationFailed, match="Wrong user name"):
        login.sign_in(database, "clara", "not-the-password", "till-1")
    with database.read() as s:
        failed = s.scalars(
            select(AuditEntry.action).where(AuditEntry.subject == "clara").order_by(AuditEntry.id)
        ).all()
    assert failed[-2:] == ["login.failed", "login.failed"]
    with database.write() as s:
        users.set_active(s, admin, "clara", True)
    assert login.sign_in(database, "clara", GOOD).username == "clara"
    assert [a for a, _ in _audit(database, "clara")] == ["user.add", "user.disable", "user.enable"]


def test_the_last_active_admin_stays_and_nobody_demotes_themselves(database, admin):
    with database.write() as s:
        other = users.add_user(s, admin, "boss2", GOOD, Role.ADMIN)
    boss2 = login.sign_in(database, "boss2", GOOD)
    assert boss2.user_id == other.id
    for call in (
        lambda s: users.set_active(s, admin, "admin", False),
        lambda s: users.set_role(s, admin, "admin", Role.MANAGER),
    ):
        with database.write() as s, pytest.raises(ValidationError, match="yourself"):
            call(s)
    with database.write() as s:
        users.set_active(s, admin, "boss2", False)
    with database.write() as s, pytest.raises(ValidationError, match="last active admin"):
        users.set_role(s, boss2, "admin", Role.CLERK)
    with database.write() as s:
        users.set_active(s, admin, "boss2", True)
        users.set_role(s, boss2, "admin", "clerk")
    assert _audit(database, "admin") == [("user.role", "admin -> clerk")]
    system = role_actor(Role.ADMIN)  # the command line: no user of its own
    with database.write() as s, pytest.raises(ValidationError, match="last active admin"):
        users.set_active(s, system, "boss2", False)


def test_bad_names_and_roles_in_words(database, admin):
    with database.write() as s, pytest.raises(NotFound, match="no user 'ghost'"):
        users.set_active(s, admin, "ghost", False)
    with database.write() as s, pytest.raises(ValidationError, match="'chef' is not a role"):
        users.set_role(s, admin, "admin", "chef")


def test_reset_with_must_change_then_change_own(database, admin):
    with database.write() as s:
        users.add_user(s, admin, "pia", GOOD, Role.PICKER)
        users.reset_password(s, admin, "pia", "temporary-pass", must_change=True)
    with pytest.raises(AuthenticationFailed):
        login.sign_in(database, "pia", GOOD)
    pia = login.sign_in(database, "pia", "temporary-pass")
    assert pia.must_change_password
    with database.write() as s, pytest.raises(AuthenticationFailed, match="current password"):
        users.change_own_password(s, pia, "wrong-one-here", "brand-new-secret")
    with database.write() as s, pytest.raises(ValidationError, match="differ"):
        users.change_own_password(s, pia, "temporary-pass", "temporary-pass")
    with database.write() as s:
        renewed = users.change_own_password(s, pia, "temporary-pass", "brand-new-secret")
    assert not renewed.must_change_password
    assert not login.sign_in(database, "pia", "brand-new-secret").must_change_password
    assert [a for a, _ in _audit(database, "pia")] == [
        "user.add",
        "user.password_reset",
        "user.password_change",
    ]


def test_force_a_change_flag(database, admin):
    with database.write() as s:
        users.add_user(s, admin, "carl", GOOD, Role.CASHIER)
        assert users.require_password_change(s, admin, "carl").must_change_password
    assert login.sign_in(database, "carl", GOOD).must_change_password
    with database.write() as s:
        users.require_password_change(s, admin, "carl", False)
    assert not login.sign_in(database, "carl", GOOD).must_change_password
    assert _audit(database, "carl")[1:] == [("user.must_change", "on"), ("user.must_change", "off")]


def test_changes_are_noticed_after_commit(database, admin):
    seen: list[changes.ChangeSet] = []
    changes.subscribe(seen.append)
    try:
        with database.write() as s:
            users.add_user(s, admin, "nina", GOOD, Role.CLERK)
            assert not seen
    finally:
        changes.unsubscribe(seen.append)
    assert any(users.USERS_CHANGED in c.kinds for c in seen)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CLERK, Role.CASHIER, Role.PICKER])
def test_only_admins_manage_users(database, admin, role):
    with database.write() as s, pytest.raises(PermissionDenied, match="users.manage"):
        users.list_users(s, role_actor(role))
    with database.write() as s, pytest.raises(PermissionDenied):
        users.change_own_password(s, role_actor(role), "x", "y")  # no user of its own
