"""Users, Argon2 passwords and the permission matrix."""

from __future__ import annotations

import pytest

from app.core import auth
from app.core.auth import ROLE_PERMISSIONS, Permission, Role
from app.core.errors import (
    PermissionDenied,
    ValidationError,
)


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
    for permission in (Permission.CUSTOMERS_MERGE, Permission.SUPPLIERS_EDIT):
        holders = {role for role in Role if permission in ROLE_PERMISSIONS[role]}
        assert holders == {Role.ADMIN, Role.MANAGER}, permission


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
