"""A shared database's password lives in the operating system's keyring (Windows
Credential Manager, macOS Keychain, Secret Service), never in the settings file. Where
no keyring exists, the password is not kept: Kestrel asks for it at start."""

from __future__ import annotations

import logging

from sqlalchemy.engine import URL, make_url

log = logging.getLogger("kestrel.secrets")
SERVICE = "kestrel"


def _account(url: URL) -> str:
    return f"{url.username or ''}@{url.host or ''}:{url.port or 5432}/{url.database or ''}"


def store_password(url: str, password: str) -> bool:
    """Keep the password for this server and database; False when there is no keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, _account(make_url(url)), password)
    except (ImportError, KeyringError, RuntimeError) as exc:
        log.info("no keyring to keep the database password: %s", exc)
        return False
    return True


def stored_password(url: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(SERVICE, _account(make_url(url)))
    except (ImportError, KeyringError, RuntimeError):
        return None


def without_password(url: str) -> str:
    """The address as it may be written to a file."""
    # URL.set() treats None as "unchanged"; the URL is a named tuple, so replace it
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def with_stored_password(url: str) -> str:
    """A PostgreSQL address from the settings file, with its password from the keyring."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.password:
        return url
    password = stored_password(url)
    if not password:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def _smtp_account(user: str, host: str, port: int) -> str:
    return f"smtp:{user}@{host}:{port}"


def store_smtp_password(user: str, host: str, port: int, password: str) -> bool:
    """Keep the SMTP password in the keyring, as the database's; False when there is none."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, _smtp_account(user, host, port), password)
    except (ImportError, KeyringError, RuntimeError) as exc:
        log.info("no keyring to keep the SMTP password: %s", exc)
        return False
    return True


def stored_smtp_password(user: str, host: str, port: int) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(SERVICE, _smtp_account(user, host, port))
    except (ImportError, KeyringError, RuntimeError):
        return None
