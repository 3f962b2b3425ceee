"""Order sources: each web shop or marketplace a named source with its export format, its
channel (web or marketplace), its webhook secret and an optional watched folder.

Managing sources is a manager's settings right; reading them is for anyone who imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require, require_any
from app.core.errors import ConflictError, NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import Channel, OrderSource
from app.services.channels.formats import FORMATS

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
MARKETPLACE_FORMATS = frozenset({"amazon-tsv"})
# "api": a source the push API made on first use (its orders come as API bodies)
SOURCE_FORMATS = (*FORMATS, "mapped", "api")


@dataclass(frozen=True)
class SourceRow:
    id: int
    name: str
    format: str
    channel: str
    has_secret: bool
    watch_dir: str
    active: bool


def _row(source: OrderSource) -> SourceRow:
    return SourceRow(
        source.id,
        source.name,
        source.format,
        source.channel,
        bool(source.secret),
        source.watch_dir,
        source.active,
    )


def add_source(
    session: Session,
    actor: Actor,
    name: str,
    fmt: str,
    *,
    secret: str = "",
    watch_dir: str = "",
    channel: str = "",
) -> SourceRow:
    """A new source; its name is how files, webhooks and reports refer to it."""
    require(actor, Permission.SETTINGS_MANAGE)
    name = clean_text(name, "Source name", max_length=60, required=True)
    if not NAME.fullmatch(name):
        raise ValidationError(
            _("'{name}' cannot name a source: letters, digits, '.', '_' and '-' only.").format(
                name=name
            ),
            "name",
        )
    if fmt not in SOURCE_FORMATS:
        raise ValidationError(
            _("'{fmt}' is not an order format ({value}).").format(
                fmt=fmt, value=", ".join(SOURCE_FORMATS)
            ),
            "format",
        )
    channel = channel or (
        Channel.MARKETPLACE.value if fmt in MARKETPLACE_FORMATS else Channel.WEB.value
    )
    if channel not in (Channel.WEB.value, Channel.MARKETPLACE.value):
        raise ValidationError(_("A source's channel is web or marketplace."), "channel")
    if find_source(session, name) is not None:
        raise ConflictError(_("There is a source named {name} already.").format(name=name))
    source = OrderSource(
        name=name,
        format=fmt,
        channel=channel,
        secret=clean_text(secret, "Secret", max_length=200),
        watch_dir=clean_text(watch_dir, "Watched folder", max_length=500),
        mapping="",
    )
    session.add(source)
    session.flush()
    audit.record(session, actor, "source.add", name, f"{fmt}, {channel}")
    changes.note(session, kind="sources")
    return _row(source)


def find_source(session: Session, name: str) -> OrderSource | None:
    return session.scalar(select(OrderSource).where(func.lower(OrderSource.name) == name.lower()))


def source_named(session: Session, name: str) -> OrderSource:
    source = find_source(session, clean_text(name, "Source", max_length=60, required=True))
    if source is None:
        raise NotFound(
            _("There is no order source named {name!r}: add it with `kestrel source add`.").format(
                name=name
            )
        )
    return source


def list_sources(session: Session, actor: Actor) -> list[SourceRow]:
    require_any(actor, Permission.DATA_IMPORT, Permission.SETTINGS_MANAGE)
    return [_row(s) for s in session.scalars(select(OrderSource).order_by(OrderSource.name))]
