"""app/config.py: where the database address comes from, and the settings file."""

from __future__ import annotations

import logging

import pytest

from app.config import WorkstationSettings, resolve_database_url


def test_database_resolution_order(monkeypatch, tmp_path):
    settings = WorkstationSettings(database_url="sqlite:///from-settings")
    monkeypatch.delenv("KESTREL_DATABASE_URL", raising=False)
    assert resolve_database_url(None, settings) == ("sqlite:///from-settings", "settings file")
    monkeypatch.setenv("KESTREL_DATABASE_URL", "sqlite:///from-env")
    assert resolve_database_url(None, settings)[0] == "sqlite:///from-env"
    assert resolve_database_url("sqlite:///cli", settings)[0] == "sqlite:///cli"
    monkeypatch.delenv("KESTREL_DATABASE_URL")
    url, source = resolve_database_url(None, WorkstationSettings())
    assert source == "default" and url.endswith("kestrel.sqlite")


@pytest.mark.allow_log(logging.WARNING, logger="kestrel.config", match="ignoring")
def test_settings_file_round_trip_and_bad_values(tmp_path):
    path = tmp_path / "kestrel.toml"
    WorkstationSettings(database_url="postgresql://h/db", workstation_name="till-2").save(path)
    loaded = WorkstationSettings.load(path)
    assert (loaded.database_url, loaded.workstation_name) == ("postgresql://h/db", "till-2")
    path.write_text('database_url = 5\nmystery = "x"\ntheme = "dark"\n')
    loaded = WorkstationSettings.load(path)
    assert loaded.database_url == "" and loaded.theme == "dark"
    path.write_text("this is [not toml")
    assert WorkstationSettings.load(path) == WorkstationSettings(
        workstation_name=WorkstationSettings().workstation_name
    )
