"""Where the shop's e-mail goes out: the SMTP server, its security, the user, and the
From and Reply-To the customers see. Shared by every workstation (a settings row); the
password is never stored there: KESTREL_SMTP_PASSWORD, else the operating system's
keyring (app/secrets.py, as the database's password)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from app import secrets
from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.services.notify.stored import notify_settings, store

KEY = "notify.smtp"
SECURITY = ("starttls", "tls", "plain")
PASSWORD_ENV = "KESTREL_SMTP_PASSWORD"
DEFAULT_DOMAIN = "kestrel.invalid"  # a Message-ID's domain before the shop has a From


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # STARTTLS after connecting, "tls" from the start, or "plain"
    user: str = ""
    from_address: str = ""  # "Shop <orders@shop.example>"
    reply_to: str = ""
    timeout: float = 20.0
    attachment_limit_kb: int = 5120

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)

    @property
    def domain(self) -> str:
        """The shop's mail domain: Message-IDs are made with it."""
        address = parseaddr(self.from_address)[1]
        return address.rpartition("@")[2] or DEFAULT_DOMAIN


def smtp_settings(session: Session) -> SmtpSettings:
    """The stored settings (no permission check: every status change reads the From)."""
    stored = notify_settings(session).get(KEY)
    if not isinstance(stored, dict):
        return SmtpSettings()
    known = SmtpSettings.__dataclass_fields__
    return SmtpSettings(**{k: v for k, v in stored.items() if k in known})


def check_address(value: str, label: str, field: str, *, required: bool = False) -> str:
    """An address as a header takes it ("Shop <a@b.example>" or "a@b.example"), checked."""
    text = clean_text(value, label, max_length=254, required=required)
    if not text:
        return ""
    name, address = parseaddr(text)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(
            _("{label}: '{text}' is not an e-mail address ({exc}).").format(
                label=label, text=text, exc=exc
            ),
            field,
        ) from None
    return text if name else address


def save_smtp_settings(
    session: Session, actor: Actor, settings: SmtpSettings, password: str | None = None
) -> SmtpSettings:
    """Check and store the server settings; the password goes to the keyring. Returns what
    was stored."""
    require(actor, Permission.SETTINGS_MANAGE)
    host = clean_text(settings.host, "SMTP server", max_length=253, required=True)
    if any(ch.isspace() or ch in "/:@" for ch in host):
        raise ValidationError(
            _("'{host}' is not a server name or address.").format(host=host), "host"
        )
    if isinstance(settings.port, bool) or not isinstance(settings.port, int):
        raise ValidationError(_("The SMTP port is a whole number (587, 465 or 25)."), "port")
    if not 1 <= settings.port <= 65535:
        raise ValidationError(_("The SMTP port is 1 to 65535 (587, 465 or 25)."), "port")
    if settings.security not in SECURITY:
        raise ValidationError(_("Security is starttls, tls or plain."), "security")
    checked = SmtpSettings(
        host=host,
        port=settings.port,
        security=settings.security,
        user=clean_text(settings.user, "SMTP user", max_length=254),
        from_address=check_address(settings.from_address, "From", "from", required=True),
        reply_to=check_address(settings.reply_to, "Reply-To", "reply_to"),
        timeout=settings.timeout,
        attachment_limit_kb=_limit(settings.attachment_limit_kb),
    )
    store(session, KEY, asdict(checked))
    if password:
        secrets.store_smtp_password(checked.user, checked.host, checked.port, password)
    audit.record(
        session, actor, "settings.smtp", checked.host, f"{checked.port} {checked.security}"
    )
    changes.note(session, kind="settings")
    return checked


def smtp_password(settings: SmtpSettings) -> str:
    """KESTREL_SMTP_PASSWORD, else the keyring's; "" when neither has one."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    return secrets.stored_smtp_password(settings.user, settings.host, settings.port) or ""


def _limit(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50_000:
        raise ValidationError(_("The attachment limit is 1 to 50,000 KB."), "attachment_limit")
    return value
