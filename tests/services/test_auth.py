"""Users, Argon2 passwords and the permission matrix."""

from __future__ import annotations

import pytest

from app.services import auth
from app.services.auth import ROLE_PERMISSIONS, Permission, Role
from app.services.errors import AuthenticationFailed, PermissionDenied, ValidationError


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
        actor = auth.authenticate(s, " ADA ", "correct horse", "till-1")
    assert (actor.username, actor.role, actor.workstation) == ("ada", Role.ADMIN, "till-1")
    for user, password in (("ada", "wrong"), ("nobody", "correct horse")):
        with database.write() as s, pytest.raises(AuthenticationFailed, match="Wrong user name"):
            auth.authenticate(s, user, password)


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
