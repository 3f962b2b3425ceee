"""Start-up (app/views/app.py): a database that cannot be used is refused in words."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import db
from app.core.errors import KestrelError
from app.views.app import prepare_database


def test_unreachable_server_is_explained(qapp):
    with pytest.raises(KestrelError, match=r"Cannot open the database \(shared server"):
        prepare_database("postgresql://kestrel@127.0.0.1:1/shop")


def test_newer_schema_is_refused_at_start(qapp, tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    prepare_database(url).dispose()
    database = db.Database.open(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    database.dispose()
    with pytest.raises(KestrelError, match="newer Kestrel"):
        prepare_database(url)
