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


PRIVATE_DIR = 0o700  # on POSIX: only this user reads the shop's data, settings and log
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Make the folder (and missing parents) readable by this user only. A folder that is
    there already keeps its mode: whoever made it chose it."""
    for missing in reversed([p for p in (path, *path.parents) if not p.exists()]):
        try:
            missing.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # another process made it a moment ago
            pass
    return path


def private_file(path: Path) -> Path:
    """Create the file empty, readable by this user only, unless it is there already
    (SQLite gives its -wal and -shm files the database file's mode)."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    return path


def write_private(path: Path, text: str) -> None:
    """Write a whole file readable by this user only, replacing the old one at once."""
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def _ensure(path: Path) -> Path:
    """The folder, made if needed. A home that cannot be written (a locked-down kiosk, a
    read-only profile) falls back to a temporary folder, and the user is told."""
    try:
        private_dir(path)
        if path not in _WRITABLE:  # probed once; a probe of its own per thread and call
            with tempfile.NamedTemporaryFile(dir=path, prefix=".kestrel-write-test-"):
                pass
    except OSError as exc:
        fallback = private_dir(Path(tempfile.gettempdir()) / f"kestrel-{os.getpid()}" / path.name)
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
