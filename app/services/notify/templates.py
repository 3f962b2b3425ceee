"""The customer e-mails' words: Jinja2 templates per event, in plain text and HTML.

Defaults live in resources/templates/email/ (EVENT.subject, EVENT.txt, EVENT.html, on the
layouts _layout.txt and _layout.html); a shop may override any part in Settings (stored in
the settings table, checked for syntax on save), per language: a customer gets the shop's
text for an event in their language if it has one, else its text in the shop's own
language (the keys without a language, as before issue 21), else the stock text. HTML is
autoescaped: a customer's name with `<b>` in it stays text. Rendering reads the order,
its shipments and the shop once; it runs when the sender takes the message (deferred.py),
not in the status change.

The stock texts speak the customer's language (wording.py, the gettext catalogues), with
money and dates as the customer's locale writes them (`i18n.customer_locale`) and dates in the
shop's time zone.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import paths
from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.dates import document_date
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _, check_language, language_of, translations
from app.core.money import format_money
from app.models import Carrier, OrderStatus, Package, SalesOrder, Shipment
from app.services.notify import links, wording
from app.services.notify.events import EVENTS
from app.services.notify.stored import PREFIX, has_logo, notify_settings, store
from app.services.shop import shop_details

PARTS = ("subject", "txt", "html")
OVERRIDE_PREFIX = PREFIX + "template."
MAX_TEMPLATE_CHARS = 50_000
LOGO_CID = "shop-logo"

if TYPE_CHECKING:  # Jinja is imported by the first render (the sender's, or a preview)
    import jinja2


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def template_dir() -> str:
    return str(paths.resources_dir() / "templates" / "email")


@functools.cache
def _environment(part: str) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=part == "html",
        undefined=jinja2.ChainableUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # bundled files: no stat of every template on every render
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=256)
def _compiled(part: str, digest: str, source: str) -> jinja2.Template:  # noqa: ARG001
    """An override, compiled once per text (the digest keeps the cache key short to hash)."""
    return _environment(part).from_string(source)


def _key(event: str, part: str, language: str = "") -> str:
    return f"{OVERRIDE_PREFIX}{event}.{part}" + (f".{language}" if language else "")


def own_language(session: Session, language: str) -> str:
    """The language part of an override's key: "" for the shop's own language (its texts
    keep the keys they had before texts were per language), else the language ('de').
    A language Babel does not know is refused in words."""
    wanted = language_of(check_language(language)) if language.strip() else ""
    return "" if wanted in ("", language_of(shop_details(session).locale)) else wanted


def overrides(session: Session, event: str, language: str = "") -> dict[str, str]:
    """The shop's own text for the parts of one event it has changed, in `language` (the
    shop's own when "")."""
    held = notify_settings(session)
    own = own_language(session, language)
    keys = {part: _key(event, part, own) for part in PARTS}
    return {part: held[key] for part, key in keys.items() if key in held}


def overrides_for(session: Session, event: str, language: str) -> dict[str, str]:
    """What a customer reading `language` gets: the shop's texts in that language if it
    wrote any for this event, else its texts in its own language (else none: the stock
    text, itself in the customer's language)."""
    return overrides(session, event, language) or overrides(session, event)


def _template(part: str, event: str, override: str | None) -> jinja2.Template:
    if override:
        digest = hashlib.sha256(override.encode()).hexdigest()
        return _compiled(part, digest, override)
    return _environment(part).get_template(f"{event}.{part}")


def default_source(event: str, part: str) -> str:
    """The stock text of one part, as the settings page shows it before a change."""
    _check_part(event, part)
    source, _name, _uptodate = _environment(part).loader.get_source(  # type: ignore[union-attr]
        _environment(part), f"{event}.{part}"
    )
    return source


def _check_part(event: str, part: str) -> None:
    if event not in EVENTS:
        raise ValidationError(_("'{event}' is not an e-mail event.").format(event=event), "event")
    if part not in PARTS:
        raise ValidationError(
            _("'{part}' is not a part of an e-mail ({value}).").format(
                part=part, value=", ".join(PARTS)
            ),
            "part",
        )


def _shipments(session: Session, order_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            Shipment.id,
            Carrier.name,
            Carrier.service,
            Carrier.tracking_url,
            Package.tracking_number,
        )
        .join(Carrier, Carrier.id == Shipment.carrier_id, isouter=True)
        .join(Package, Package.shipment_id == Shipment.id)
        .where(Shipment.order_id == order_id)
        .order_by(Shipment.id, Package.number)
    ).all()
    found: dict[int, dict[str, Any]] = {}
    for shipment_id, carrier, service, url, number in rows:
        entry = found.setdefault(
            shipment_id, {"carrier": carrier or "", "service": service or "", "parcels": []}
        )
        link = url.replace("{tracking}", number) if url and number else ""
        entry["parcels"].append({"number": number, "url": link})
    return list(found.values())


def context(
    session: Session, order: SalesOrder, event: str, message: str = "", locale: str = ""
) -> dict[str, Any]:
    """What every template may use: shop, order (with lines and ship-to), shipments with
    their tracking numbers and links, the tracking page, the timeline's words, and
    `say()` for the stock sentences in `locale`'s language (the shop's when "")."""
    shop = shop_details(session)
    locale = locale or shop.locale

    def money(minor: int) -> str:
        return format_money(minor, order.currency, locale)

    ship_to = [
        part
        for part in (
            order.ship_name,
            order.ship_line1,
            order.ship_line2,
            " ".join(p for p in (order.ship_postcode, order.ship_city) if p),
            order.ship_region,
            order.ship_country,
        )
        if part
    ]
    shipped = event in ("shipped", "partly_shipped", "delivered", "exception")
    return {
        "event": event,
        "message": message,
        "language": language_of(locale),
        "say": wording.sayer(translations(locale)),
        "shop": {
            "name": shop.name,
            "address": shop.address,
            "address_lines": [ln for ln in shop.address.splitlines() if ln.strip()],
            "logo": f"cid:{LOGO_CID}" if has_logo(session) else "",
        },
        "order": {
            "number": order.number,
            "customer_name": order.customer_name,
            "created": (
                document_date(order.created_at, locale, shop.timezone, "long")
                if order.created_at
                else ""
            ),
            "status": order.status,
            "total": money(order.total),
            "lines": [
                {
                    "sku": ln.sku,
                    "name": ln.name,
                    "quantity": ln.quantity,
                    "shipped": ln.shipped,
                    "total": money(ln.total),
                }
                for ln in order.lines
            ],
            "backorder": sum(max(0, ln.quantity - ln.shipped) for ln in order.lines),
            "ship_to": ship_to,
        },
        "shipments": _shipments(session, order.id) if shipped else [],
        "tracking_page": links.tracking_url(session, order),
    }


def render(
    session: Session,
    order: SalesOrder,
    event: str,
    message: str = "",
    given: dict[str, str] | None = None,
    locale: str = "",
) -> RenderedMail:
    """The e-mail for one event of one order in `locale` (the shop's when ""), with the
    shop's overrides (or `given` texts instead: the editor's preview of what is not saved
    yet). A template that cannot be rendered is a ValidationError naming the event."""
    return _render(session, order, event, message, given, locale, PARTS)


def render_subject(
    session: Session, order: SalesOrder, event: str, message: str = "", locale: str = ""
) -> str:
    """The subject alone (the outbox list of a message not sent yet)."""
    return _render(session, order, event, message, None, locale, ("subject",)).subject


def _render(
    session: Session,
    order: SalesOrder,
    event: str,
    message: str,
    given: dict[str, str] | None,
    locale: str,
    parts: tuple[str, ...],
) -> RenderedMail:
    _check_part(event, "subject")
    values = context(session, order, event, message, locale)
    if given is None:
        given = overrides_for(session, event, str(values["language"]))
    done = dict.fromkeys(PARTS, "")
    import jinja2

    try:
        for part in parts:
            done[part] = _template(part, event, given.get(part)).render(values)
    except (jinja2.TemplateError, TypeError, ValueError, KeyError) as exc:
        # a template error, or say() given the wrong placeholders by a shop's template
        raise ValidationError(
            _("The '{events}' e-mail cannot be written: {exc}").format(
                events=EVENTS[event], exc=exc
            )
        ) from None
    return RenderedMail(" ".join(done["subject"].split())[:300], done["txt"], done["html"])


def save_template(  # noqa: PLR0913
    session: Session, actor: Actor, event: str, part: str, source: str, language: str = ""
) -> None:
    """Store the shop's own text for one part of one event in `language` (the shop's own
    when ""; "" as the text puts the default back). A template Jinja cannot read is
    refused with its line."""
    require(actor, Permission.SETTINGS_MANAGE)
    _check_part(event, part)
    if not isinstance(source, str):
        raise ValidationError(_("A template is text."), "template")
    if len(source) > MAX_TEMPLATE_CHARS:
        raise ValidationError(
            _("A template is at most {max_template_chars:,} characters.").format(
                max_template_chars=MAX_TEMPLATE_CHARS
            ),
            "template",
        )
    own = own_language(session, language)
    key = _key(event, part, own)
    if source.strip():
        check_syntax(part, source, "The template")
    store(session, key, source if source.strip() else None)
    where = f"{event}.{part}" + (f".{own}" if own else "")
    audit.record(session, actor, "settings.email_template", where, "saved")
    changes.note(session, kind="settings")


class TemplateMistake(ValidationError):
    """A template Jinja cannot read: the part and the line, for the editor to show."""

    def __init__(self, message: str, part: str, line: int) -> None:
        super().__init__(message, "template")
        self.part, self.line = part, line


def check_syntax(part: str, source: str, what: str) -> None:
    """Compiled, not only parsed: an unknown filter or test is a mistake too."""
    import jinja2

    try:
        _environment(part).from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateMistake(
            _("{what} has a mistake on line {lineno}: {message}").format(
                what=what, lineno=exc.lineno, message=exc.message
            ),
            part,
            exc.lineno,
        ) from None


def preview(
    session: Session, actor: Actor, event: str, order_id: int | None = None
) -> RenderedMail:
    """The e-mail as a customer would get it, rendered from a real order (the one given,
    else the newest that is not a counter sale)."""
    require(actor, Permission.SETTINGS_MANAGE)
    _check_part(event, "subject")
    if order_id is None:
        order_id = session.scalar(
            select(SalesOrder.id)
            .where(SalesOrder.channel != "counter", SalesOrder.status != OrderStatus.COMPLETED)
            .order_by(SalesOrder.id.desc())
            .limit(1)
        )
    order = session.get(SalesOrder, order_id) if order_id is not None else None
    if order is None:
        raise NotFound(_("There is no order to preview the e-mail with yet."))
    return render(session, order, event)
