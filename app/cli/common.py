"""What several command groups share: opening the database the way a command may."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.errors import (
    ConflictError,
    InvalidTransition,
    KestrelError,
    NotFound,
    OutOfStock,
    PermissionDenied,
    ValidationError,
)
from app.core.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.core.auth import Actor
    from app.db import Database


def open_database(url: str, *, create: bool) -> Database:
    """Open the database for a command; create the schema only where the command may."""
    from app import db

    refuse_missing_file(url, create=create)
    database = db.Database.open(url)
    db.check_connection(database.engine)
    state, _detail = db.schema_state(database.engine)
    if state is db.SchemaState.EMPTY and create:
        db.migrate(database.engine)
    elif state is db.SchemaState.EMPTY:
        raise KestrelError(
            _("{description} is empty. Run `kestrel migrate` first.").format(
                description=database.description
            )
        )
    elif state is db.SchemaState.OUTDATED:
        raise KestrelError(
            _("{description} has an older schema. Run `kestrel migrate` to upgrade it.").format(
                description=database.description
            )
        )
    elif state is not db.SchemaState.CURRENT:
        db.migrate(database.engine)  # raises the clear SchemaError for newer / foreign
    return database


def refuse_missing_file(url: str, *, create: bool) -> None:
    """A command that only reads or checks creates no file and no folder on its way."""
    from app import db

    path = db.sqlite_file(url)
    if path is not None and not create and not path.exists():
        where = path.parent if not path.parent.exists() else path
        raise KestrelError(
            _(
                "There is no database at {path} ({where} does not exist). Check the "
                "address, or run `kestrel migrate` to create one."
            ).format(path=path, where=where)
        )


def acting_user(session: Session, username: str) -> Actor:
    """The user a command acts as (`--user NAME`, their role), else the system administrator."""
    from sqlalchemy import func, select

    from app.core import auth
    from app.core.errors import NotFound
    from app.models import User

    if not username:
        return auth.SYSTEM
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active:
        raise NotFound(
            _("There is no user {username} (or the account is disabled).").format(username=username)
        )
    if user.language:  # the user's own language for what the command says
        from app.core import i18n

        i18n.use_language(user.language)
    name = user.display_name or user.username
    return auth.Actor(user.id, user.username, name, auth.Role(user.role), "command line")


# What a command refuses in words (exit 1); any other KestrelError is main()'s exit 2.
REFUSALS = (
    ValidationError,
    NotFound,
    OutOfStock,
    InvalidTransition,
    PermissionDenied,
    ConflictError,
)
Handler = Callable[[argparse.Namespace, str], int]


def refusing(name: str, handler: Handler) -> Handler:
    """A refusal is exit 1 with its words on stderr after `kestrel NAME: `; nothing is
    written (the handler's transaction rolls back). A database that cannot be used stays
    the KestrelError main() turns into exit 2."""

    def run(args: argparse.Namespace, url: str) -> int:
        try:
            return handler(args, url)
        except REFUSALS as exc:
            print(
                _("kestrel {name}: {message}").format(name=name, message=exc.message),
                file=sys.stderr,
            )
            return 1

    return run


def field_pairs(pairs: list[str], option: str = "--map") -> dict[str, str] | None:
    """`FIELD=HEADER` options as a dict (None when none were given); `FIELD=` maps the
    field to nothing."""
    from app.core.errors import ValidationError

    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep:
            raise ValidationError(
                _("{option} takes FIELD=HEADER, not '{pair}'.").format(option=option, pair=pair),
                "map",
            )
        mapping[field.strip()] = header.strip()
    return mapping
