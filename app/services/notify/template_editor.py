"""What Settings > E-mail templates edits: one event's subject, text and HTML in one
language as the shop has them (its own text, or the default), saved together (a mistake
in any part saves none of them, and says which part and line), reset to the defaults,
and previewed from a real order in that language with the text as typed, before it is
saved. `language` "" is the shop's own language (templates.own_language); a customer
whose language has no text of the shop's gets the shop's own language's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import LANGUAGES, _, customer_locale, language_of
from app.models import OrderStatus, SalesOrder
from app.services.notify import templates
from app.services.notify.events import EVENTS
from app.services.notify.templates import MAX_TEMPLATE_CHARS, PARTS
from app.services.shop import shop_details

PART_LABELS = {"subject": "subject", "txt": "plain text", "html": "HTML"}


@dataclass(frozen=True)
class TemplateTexts:
    event: str
    label: str
    parts: dict[str, str]  # part -> its text now
    changed: frozenset[str]  # parts the shop changed from the default
    language: str = ""  # the language these texts are for ("" the shop's own)


@dataclass(frozen=True)
class Preview:
    order_number: str
    subject: str
    text: str
    html: str


def events() -> dict[str, str]:
    """Every e-mail event with its label, in the order the settings page lists them."""
    return dict(EVENTS)


def languages(session: Session) -> tuple[str, ...]:
    """The languages the editor offers: the shop's own first, then the others Kestrel
    has catalogues for."""
    shop = language_of(shop_details(session).locale)
    return (shop, *(lang for lang in LANGUAGES if lang != shop))


def editable(session: Session, actor: Actor, event: str, language: str = "") -> TemplateTexts:
    """The three parts of one event in `language` as the shop wrote them, else the
    defaults (a language without texts of its own shows the defaults, not another
    language's texts: what is saved here is for this language)."""
    require(actor, Permission.SETTINGS_MANAGE)
    if event not in EVENTS:
        raise ValidationError(_("'{event}' is not an e-mail event.").format(event=event), "event")
    own = templates.overrides(session, event, language)
    parts = {part: own.get(part) or templates.default_source(event, part) for part in PARTS}
    changed = frozenset(p for p in own if own[p])
    return TemplateTexts(
        event, EVENTS[event], parts, changed, templates.own_language(session, language)
    )


def _checked(event: str, sources: Mapping[str, str]) -> dict[str, str]:
    """The parts as given, each checked; a default's own text counts as no change."""
    if event not in EVENTS:
        raise ValidationError(_("'{event}' is not an e-mail event.").format(event=event), "event")
    given: dict[str, str] = {}
    for part in PARTS:
        source = sources.get(part, "")
        if not isinstance(source, str):
            raise ValidationError(_("A template is text."), part)
        if len(source) > MAX_TEMPLATE_CHARS:
            raise ValidationError(
                _("The {part_labels} is over {max_template_chars:,} characters.").format(
                    part_labels=PART_LABELS[part], max_template_chars=MAX_TEMPLATE_CHARS
                ),
                part,
            )
        if not source.strip() or source.strip() == templates.default_source(event, part).strip():
            continue
        if part == "subject" and len(source.splitlines()) > 1:
            raise ValidationError(_("The subject is one line."), part)
        templates.check_syntax(part, source, f"The {PART_LABELS[part]}")
        given[part] = source
    return given


def save_all(
    session: Session, actor: Actor, event: str, sources: Mapping[str, str], language: str = ""
) -> None:
    """Store the shop's text for all three parts at once, in `language`; a part left as
    the default (or empty) stores nothing, so a later change of the default reaches it."""
    require(actor, Permission.SETTINGS_MANAGE)
    given = _checked(event, sources)
    for part in PARTS:
        templates.save_template(session, actor, event, part, given.get(part, ""), language)


def reset(session: Session, actor: Actor, event: str, language: str = "") -> TemplateTexts:
    """The defaults back for every part of one event in `language`; returns them."""
    require(actor, Permission.SETTINGS_MANAGE)
    save_all(session, actor, event, {}, language)
    audit.record(session, actor, "settings.email_template", event, f"reset {language}".strip())
    changes.note(session, kind="settings")
    return editable(session, actor, event, language)


def preview_texts(
    session: Session,
    actor: Actor,
    event: str,
    sources: Mapping[str, str],
    order_number: str = "",
    language: str = "",
) -> Preview:
    """The e-mail rendered from a real order with the texts as typed (not saved), in
    `language` (the shop's own when ""): the order named, else the newest one that is
    not a counter sale."""
    require(actor, Permission.SETTINGS_MANAGE)
    given = _checked(event, sources)
    number = order_number.strip().upper()
    query = select(SalesOrder).order_by(SalesOrder.id.desc()).limit(1)
    if number:
        query = query.where(SalesOrder.number == number)
    else:
        query = query.where(
            SalesOrder.channel != "counter", SalesOrder.status != OrderStatus.COMPLETED
        )
    order = session.scalar(query)
    if order is None:
        raise NotFound(
            f"There is no order {number}." if number else "There is no order to preview with yet."
        )
    own = templates.own_language(session, language)
    locale = customer_locale(own, shop_details(session).locale)
    mail = templates.render(session, order, event, given=given, locale=locale)
    return Preview(order.number, mail.subject, mail.text, mail.html)
