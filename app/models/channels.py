"""Where orders come from besides the counter and the phone: web shops and marketplaces,
each a named source with its export format (and, for webhooks, its shared secret)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class OrderSource(Base):
    __tablename__ = "order_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    format: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20), default="web")  # web | marketplace
    secret: Mapped[str] = mapped_column(String(200), default="")  # webhook HMAC key
    watch_dir: Mapped[str] = mapped_column(String(500), default="")
    mapping: Mapped[str] = mapped_column(Text, default="")  # JSON, for the mapped format
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """A key an integration sends as `Authorization: Bearer KEY`: only its SHA-256 is kept
    (the key is 32 random bytes, so a fast hash is enough: nothing to brute-force), with a
    short prefix to tell keys apart in lists, its scopes and when it was last used."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated: orders:write ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
