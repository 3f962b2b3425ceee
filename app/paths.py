"""Every file location Kestrel uses, resolved in one place (STYLE habit 8).

User directories come from platformdirs; bundled resources come from the source tree or,
inside a PyInstaller bundle, from its unpack directory. KESTREL_HOME overrides the user
directories as a whole, which tests and portable installs use.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "Kestrel"
APP_AUTHOR = "Kestrel"


def _home_override() -> Path | None:
    value = os.environ.get("KESTREL_HOME")
    return Path(value) if value else None


WARNINGS: list[str] = []  # said to the user at start (a home that cannot be written...)
_WRITABLE: set[Path] = set()  # folders found writable once this run


def _ensure(path: Path) -> Path:
    """The folder, made if needed. A home that cannot be written (a locked-down kiosk, a
    read-only profile) falls back to a temporary folder, and the user is told."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        if path not in _WRITABLE:  # probed once; a probe of its own per thread and call
            with tempfile.NamedTemporaryFile(dir=path, prefix=".kestrel-write-test-"):
                pass
    except OSError as exc:
        fallback = Path(tempfile.gettempdir()) / f"kestrel-{os.getpid()}" / path.name
        fallback.mkdir(parents=True, exist_ok=True)
        message = (
            f"Kestrel cannot write to {path} ({exc.strerror or exc}); it uses {fallback} "
            "for now, which is not kept. Give this user a writable home folder, or set "
            "KESTREL_HOME to one."
        )
        if message not in WARNINGS:
            WARNINGS.append(message)
        return fallback
    _WRITABLE.add(path)
    return path


def data_dir() -> Path:
    """Where the local database and saved previews live."""
    home = _home_override()
    if home:
        return _ensure(home / "data")
    return _ensure(Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)))


def config_dir() -> Path:
    """Where the per-workstation settings file lives."""
    home = _home_override()
    if home:
        return _ensure(home / "config")
    return _ensure(Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)))


def log_dir() -> Path:
    home = _home_override()
    if home:
        return _ensure(home / "logs")
    return _ensure(Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)))


def cache_dir() -> Path:
    """Files Kestrel can make again (the error sound)."""
    home = _home_override()
    if home:
        return _ensure(home / "cache")
    return _ensure(Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)))


def default_database_path() -> Path:
    return data_dir() / "kestrel.sqlite"


def resources_dir() -> Path:
    """Bundled resources: next to the package in a checkout, in _MEIPASS when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def migrations_dir() -> Path:
    return Path(__file__).resolve().parent / "migrations"
