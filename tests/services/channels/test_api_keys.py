"""API keys: shown once and stored as SHA-256 only, scopes checked, revocation at once,
a name taken or a scope unknown refused in words. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from app.core.auth import Role
from app.core.errors import AuthenticationFailed, ConflictError, PermissionDenied, ValidationError
from app.models import ApiKey
from app.services.channels import api_keys
from tests.conftest import role_actor


def test_a_key_is_shown_once_and_kept_hashed(database, admin):
    with database.write() as s:
        made = api_keys.create_key(s, admin, "shop", "orders:write, stock:read")
    assert made.row.scopes == ("orders:write", "stock:read")
    with database.read() as s:
        row = s.scalar(select(ApiKey))
        assert row.key_hash == hashlib.sha256(made.key.encode()).hexdigest()
        assert made.key not in (row.key_hash, row.scopes, row.name) and len(row.prefix) == 12
    with database.write() as s:
        found = api_keys.authenticate(s, made.key, "stock:read")
        assert found.name == "shop" and found.last_used_at is not None
    with database.read() as s:
        assert s.scalar(select(ApiKey.last_used_at)) is not None


def test_wrong_missing_scope_and_revoked(database, admin):
    with database.write() as s:
        key = api_keys.create_key(s, admin, "shop", ["orders:read"]).key
    with database.write() as s:
        for bad in ("", "kst_nope", "x" * 500, key + "x"):
            with pytest.raises(AuthenticationFailed):
                api_keys.authenticate(s, bad, "orders:read")
        with pytest.raises(PermissionDenied, match="orders:write scope"):
            api_keys.authenticate(s, key, "orders:write")
    with database.write() as s:
        api_keys.revoke_key(s, admin, "SHOP")
    with database.write() as s, pytest.raises(PermissionDenied, match="revoked"):
        api_keys.authenticate(s, key, "orders:read")
    with database.read() as s:
        assert [k.revoked_at is not None for k in api_keys.list_keys(s, admin)] == [True]


def test_refusals_in_words(database, admin):
    with database.write() as s:
        api_keys.create_key(s, admin, "shop", "orders:read")
    with database.write() as s, pytest.raises(ConflictError):
        api_keys.create_key(s, admin, "Shop", "orders:read")
    with database.write() as s, pytest.raises(ValidationError, match="not a scope"):
        api_keys.create_key(s, admin, "other", "orders:read,admin")
    with database.write() as s, pytest.raises(ValidationError, match="at least one"):
        api_keys.create_key(s, admin, "other", "")
    with database.write() as s, pytest.raises(PermissionDenied):
        api_keys.create_key(s, role_actor(Role.CLERK), "other", "orders:read")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=120))
def test_any_bearer_text_is_refused_in_words(sqlite_db, text):
    with sqlite_db.write() as s, pytest.raises((AuthenticationFailed, PermissionDenied)):
        api_keys.authenticate(s, text, "orders:read")


def test_a_key_revoked_elsewhere_is_refused_once_its_second_is_over(database, admin, monkeypatch):
    """A key found is remembered for KEY_CACHE_SECONDS: a revocation by another process
    (here the row written directly) is seen once that second is over, not before."""
    with database.write() as s:
        key = api_keys.create_key(s, admin, "shop", ["orders:read"]).key
    clock = [1000.0]
    monkeypatch.setattr(api_keys.time, "monotonic", lambda: clock[0])
    with database.write() as s:
        api_keys.authenticate(s, key, "orders:read")
    with database.write() as s:
        s.execute(update(ApiKey).values(revoked_at=func.now()))
    clock[0] += api_keys.KEY_CACHE_SECONDS / 2
    with database.write() as s:  # remembered: no query
        assert api_keys.authenticate(s, key, "orders:read").name == "shop"
    clock[0] += api_keys.KEY_CACHE_SECONDS
    with database.write() as s, pytest.raises(PermissionDenied, match="revoked"):
        api_keys.authenticate(s, key, "orders:read")
