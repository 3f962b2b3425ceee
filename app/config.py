"""Per-workstation settings, declared once with types and defaults (STYLE habit 7).

Business settings (company, tax, numbering) live in the database (`core/settings.py`);
this file holds only what belongs to one machine: which database, its own name, scanner
timings. Window state is kept apart, by Qt, in the view layer.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app import paths

log = logging.getLogger("kestrel.config")

ENV_DATABASE_URL = "KESTREL_DATABASE_URL"
# A workstation's name is its till's name (40 characters in the database) and part of a
# file name (its offline journal): letters, digits, spaces, '.', '-' and '_' only.
WORKSTATION_NAME = re.compile(r"[\w .-]{1,40}")


def valid_workstation_name(name: str) -> bool:
    return bool(WORKSTATION_NAME.fullmatch(name)) and name.strip(" .") != ""


def _default_workstation_name() -> str:
    import socket  # here: the GUI's start reads settings before anything needs sockets

    name = socket.gethostname()[:40]
    return name if valid_workstation_name(name) else "workstation"


@dataclass
class WorkstationSettings:
    """Options of this workstation. Unknown keys in the file are kept out, not fatal."""

    database_url: str = ""
    workstation_name: str = field(default_factory=_default_workstation_name)
    scanner_max_key_interval_ms: int = 35
    scanner_min_length: int = 4
    theme: str = "light"

    @classmethod
    def load(cls, path: Path | None = None) -> WorkstationSettings:
        path = path or settings_path()
        if not path.exists():
            return cls()
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            log.warning("ignoring unreadable settings file %s: %s", path, exc)
            return cls()
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in raw.items():
            spec = known.get(key)
            if spec is None:
                log.warning("ignoring unknown setting %r in %s", key, path)
                continue
            expected = type(getattr(cls(), key))
            if not isinstance(value, expected):
                log.warning("ignoring setting %r: expected %s", key, expected.__name__)
                continue
            if key == "workstation_name" and not valid_workstation_name(value):
                log.warning(
                    "ignoring workstation_name in %s: 1 to 40 letters, digits, spaces, "
                    "'.', '-' or '_' (it names the till and a file)",
                    path,
                )
                continue
            values[key] = value
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        import tomli_w  # only a save writes TOML

        paths.write_private(path or settings_path(), tomli_w.dumps(asdict(self)))


def settings_path() -> Path:
    return paths.config_dir() / "kestrel.toml"


def default_database_url() -> str:
    return f"sqlite:///{paths.default_database_path()}"


def resolve_database_url(
    cli_value: str | None, settings: WorkstationSettings | None = None
) -> tuple[str, str]:
    """The database to use and where that choice came from.

    Order: the `--database` option, then KESTREL_DATABASE_URL, then the workstation
    settings file, then the local SQLite file in the user data directory.
    """
    if cli_value:
        return cli_value, "command line"
    env = os.environ.get(ENV_DATABASE_URL)
    if env:
        return env, ENV_DATABASE_URL
    settings = settings or WorkstationSettings.load()
    if settings.database_url:
        from app.secrets import with_stored_password

        return with_stored_password(settings.database_url), "settings file"
    return default_database_url(), "default"
