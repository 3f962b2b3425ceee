"""app/secrets.py: a shared database's password stays out of the settings file."""

from __future__ import annotations


def test_a_shared_database_password_stays_out_of_the_settings_file(tmp_path):
    from app import secrets

    url = "postgresql+psycopg://clerk:s3cret@db.shop.lan:5433/kestrel"
    assert secrets.without_password(url) == "postgresql+psycopg://clerk@db.shop.lan:5433/kestrel"
    assert secrets.with_stored_password(url) == url  # a password given is used as given
    local = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert secrets.with_stored_password(local) == local
