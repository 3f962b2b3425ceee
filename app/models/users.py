"""Users. The role decides the permissions (core/auth.py holds the matrix)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by a reset or by a manager: the next sign-in asks for a new password first.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The screens' and the CLI's language (de, fr_CA...); "" follows the workstation.
    language: Mapped[str] = mapped_column(String(16), default="", server_default="")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
