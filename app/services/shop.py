"""The shop's own details after the first-run wizard: name, address, tax id, logo,
receipt header and footer, currency and locale, tax classes, the order number series and
the paper size. Managers only (SETTINGS_MANAGE).

Everything is checked before anything is stored, and a refusal names its field
(ValidationError.field is one of FIELDS) so the Shop tab can point at it. Every change
is audited and sends a `settings` change notice (other screens and workstations re-read
what they show). The values live in the settings table (core/settings.py); the order
series in number_sequences (core/numbering.py).
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.core import audit, changes, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.numbering import ORDER_SERIES, PG_ORDER_SEQUENCE, sync_pg_order_sequence
from app.core.settings import LOGO_KEY, all_settings, set_setting
from app.core.tax import PRICES
from app.core.validation import clean_text
from app.models import NumberSequence, Setting
from app.services.stock import tax_classes

SETTINGS_CHANGED = "settings"  # the change notice's kind
PAPER_SIZES = ("A4", "Letter")
MAX_TAX_CLASSES = 30
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000  # on either side
RECEIPT_LOGO_WIDTH = 384  # dots: fits 58 mm paper, and 80 mm centres it
RECEIPT_LOGO_KEY = LOGO_KEY + "_receipt"
FIELDS = (
    "name",
    "address",
    "tax_id",
    "receipt_header",
    "receipt_footer",
    "currency",
    "locale",
    "timezone",
    "prices_include_tax",
    "prices",
    "paper",
    "tax_classes",
    "order_prefix",
    "order_next",
    "logo",
)


@dataclass(frozen=True)
class ShopDetails:
    name: str
    address: str
    tax_id: str = ""
    receipt_header: str = ""
    receipt_footer: str = ""
    currency: str = "EUR"
    locale: str = "en_IE"
    timezone: str = "Europe/Dublin"  # the shop's local day: reports, "today", receipts
    prices_include_tax: bool = True  # what stored prices mean: gross (True) or net
    paper: str = "A4"
    tax_classes: dict[str, int] = field(default_factory=dict)
    prices: str = "inclusive"  # how documents and screens show prices (core/tax.py)


@dataclass(frozen=True)
class OrderSeries:
    prefix: str
    next_number: int
    width: int = 6

    @property
    def example(self) -> str:
        return f"{self.prefix}{self.next_number:0{self.width}d}"


@dataclass(frozen=True)
class Shop:
    details: ShopDetails
    series: OrderSeries
    has_logo: bool


def get_shop(session: Session, actor: Actor) -> Shop:
    """What the Shop tab shows."""
    require(actor, Permission.SETTINGS_MANAGE)
    return Shop(shop_details(session), order_series(session), logo(session) is not None)


def shop_details(session: Session) -> ShopDetails:
    """The shop's stored details, with no permission check: the one reader of these settings,
    shared by the Shop tab and every printed document (which any role may print)."""
    shared = all_settings(session)
    return ShopDetails(
        name=str(shared["company_name"]),
        address=str(shared["company_address"]),
        tax_id=str(shared["company_tax_id"]),
        receipt_header=str(shared["receipt_header"]),
        receipt_footer=str(shared["receipt_footer"]),
        currency=str(shared["currency"]),
        locale=str(shared["locale"]),
        timezone=str(shared["timezone"]),
        prices_include_tax=bool(shared["prices_include_tax"]),
        paper=str(shared["document_paper"]),
        tax_classes=dict(shared["tax_classes"]),
        prices=str(shared["prices"]),
    )


def update_shop(session: Session, actor: Actor, details: ShopDetails) -> list[str]:
    """Store the shop's details, all checked first; returns the names of what changed."""
    require(actor, Permission.SETTINGS_MANAGE)
    values: dict[str, Any] = {
        "company_name": _text(details.name, "Shop name", "name", 100, required=True),
        "company_address": _text(details.address, "Address", "address", 500),
        "company_tax_id": check_tax_id(
            _text(details.tax_id, "Tax id", "tax_id", 40), details.locale
        ),
        "receipt_header": _text(details.receipt_header, "Receipt header", "receipt_header", 200),
        "receipt_footer": _text(details.receipt_footer, "Receipt footer", "receipt_footer", 200),
        "currency": check_currency(details.currency),
        "locale": check_locale(details.locale),
        "timezone": check_timezone(details.timezone),
        "prices_include_tax": _flag(details.prices_include_tax),
        "prices": check_prices(details.prices),
        "document_paper": _paper(details.paper),
        "tax_classes": check_tax_classes(details.tax_classes),
    }
    before = all_settings(session)
    changed = [key for key, value in values.items() if before[key] != value]
    if "tax_classes" in changed:  # products of a class follow its new rate (or refuse)
        tax_classes.follow_classes(session, actor, before["tax_classes"], values["tax_classes"])
    for key in changed:
        set_setting(session, actor, key, values[key])
    if changed:
        audit.record(session, actor, "settings.shop", "shop", ", ".join(changed))
        changes.note(session, kind=SETTINGS_CHANGED)
    return changed


def set_timezone(session: Session, actor: Actor, zone: str) -> str:
    """The shop's time zone alone (the set-up wizard's money page): checked, stored and
    audited as update_shop does; returns the zone as stored."""
    require(actor, Permission.SETTINGS_MANAGE)
    checked = check_timezone(zone)
    if all_settings(session)["timezone"] != checked:
        set_setting(session, actor, "timezone", checked)
        audit.record(session, actor, "settings.shop", "shop", "timezone")
        changes.note(session, kind=SETTINGS_CHANGED)
    return checked


def check_currency(code: object) -> str:
    """An ISO 4217 code Babel knows (EUR, GBP, USD…)."""
    from babel.numbers import list_currencies

    given = _text(code, "Currency", "currency", 3, required=True).upper()
    if given not in list_currencies():
        raise ValidationError(
            _("'{given}' is not a currency code (EUR, GBP, USD…).").format(given=given), "currency"
        )
    return given


def check_timezone(value: object) -> str:
    """An IANA zone name (Europe/Dublin, America/New_York) the system's zone data knows."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    given = _text(value, "Time zone", "timezone", 60, required=True)
    try:
        ZoneInfo(given)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("'{given}' is not a time zone (Europe/Dublin, Europe/Berlin…).").format(given=given),
            "timezone",
        ) from None
    return given


def check_prices(value: object) -> str:
    """'inclusive' (prices shown with their tax) or 'exclusive' (net, tax added)."""
    given = value.strip().lower() if isinstance(value, str) else ""
    if given not in PRICES:
        raise ValidationError(
            _("Prices are shown 'inclusive' or 'exclusive' of tax, not '{given}'.").format(
                given=str(value).strip()[:40]
            ),
            "prices",
        )
    return given


def check_tax_id(value: str, locale: object) -> str:
    """The shop's VAT number, checked with python-stdnum where its country is known: the
    number's own EU prefix (DE, FR...), else the country of the shop's locale (de_DE ->
    Germany). A country stdnum has no VAT rules for keeps the number as typed."""
    from stdnum.eu import vat as eu_vat
    from stdnum.exceptions import ValidationError as NumberError
    from stdnum.util import get_cc_module

    given = " ".join(value.upper().split())
    if not given:
        return ""
    prefix = given[:2]
    region = str(locale).replace("-", "_").partition("_")[2][:2].lower()
    if prefix.lower() in eu_vat.MEMBER_STATES | {"el"}:
        validate = eu_vat.validate
    else:
        known = len(region) == 2 and region.isascii() and region.isalpha()
        module = get_cc_module(region, "vat") if known else None
        if module is None:
            return " ".join(value.split())
        validate = module.validate
    try:
        validate(given)
    except (NumberError, ValueError):  # ValueError: digits no VAT number has (١٢٣)
        raise ValidationError(
            _("'{given}' is not a valid VAT number: check its digits.").format(given=given),
            "tax_id",
        ) from None
    return given


def check_locale(value: object) -> str:
    from babel import Locale, UnknownLocaleError

    given = _text(value, "Locale", "locale", 20, required=True).replace("-", "_")
    try:
        return str(Locale.parse(given))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(
            _("'{given}' is not a language and region (en_IE, de_DE…).").format(given=given),
            "locale",
        ) from None


def check_tax_classes(classes: object) -> dict[str, int]:
    """Named classes, each a rate in basis points 0..10000 (2300 = 23 %); one at least."""
    if not isinstance(classes, dict) or not classes:
        raise ValidationError(_("Give at least one tax class (e.g. Standard 23 %)."), "tax_classes")
    if len(classes) > MAX_TAX_CLASSES:
        raise ValidationError(
            _("At most {max_tax_classes} tax classes.").format(max_tax_classes=MAX_TAX_CLASSES),
            "tax_classes",
        )
    checked: dict[str, int] = {}
    for name, rate in classes.items():
        label = _text(name, "Tax class name", "tax_classes", tax_classes.NAME_MAX, required=True)
        if label.casefold() in {n.casefold() for n in checked}:
            raise ValidationError(
                _("The tax class '{label}' is there twice.").format(label=label), "tax_classes"
            )
        if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 10000:
            raise ValidationError(
                _(
                    "The rate of '{label}' must be between 0 and 100 % (0 to 10000 basis points)."
                ).format(label=label),
                "tax_classes",
            )
        checked[label] = rate
    return checked


def order_series(session: Session) -> OrderSeries:
    """The order numbers' prefix and the number the next order gets."""
    row = session.get(NumberSequence, ORDER_SERIES)
    if row is None:
        return OrderSeries("SO-", 1)
    following = row.next_value
    if session.get_bind().dialect.name == "postgresql":
        last, called = session.execute(
            text(f"SELECT last_value, is_called FROM {PG_ORDER_SEQUENCE}")
        ).one()
        following = max(following, last + 1 if called else last)
    return OrderSeries(row.prefix, following, row.width)


def set_order_series(session: Session, actor: Actor, prefix: str, next_number: int) -> OrderSeries:
    """A new prefix, and the number to go on from. With the same prefix the numbers only
    go forward: a number already given is never given again (it is unique)."""
    require(actor, Permission.SETTINGS_MANAGE)
    prefix = _text(prefix, "Order number prefix", "order_prefix", 10)
    if any(not (ch.isalnum() or ch in "-/_.") for ch in prefix):
        raise ValidationError(
            _("An order number prefix uses letters, digits, '-', '/', '_' or '.' only."),
            "order_prefix",
        )
    if isinstance(next_number, bool) or not isinstance(next_number, int):
        raise ValidationError(_("The next order number must be a whole number."), "order_next")
    if not 1 <= next_number <= 999_999_999:
        raise ValidationError(_("The next order number is 1 to 999,999,999."), "order_next")
    current = order_series(session)
    if (prefix, next_number) == (current.prefix, current.next_number):
        return current  # saved unchanged with the rest of the Shop tab: nothing to note
    if prefix == current.prefix and next_number < current.next_number:
        raise ValidationError(
            f"Orders up to {current.prefix}{current.next_number - 1:0{current.width}d} exist: "
            f"the next number is {current.next_number} or more (or change the prefix).",
            "order_next",
        )
    row = session.get(NumberSequence, ORDER_SERIES)
    if row is None:
        row = NumberSequence(name=ORDER_SERIES, prefix=prefix, width=6, next_value=next_number)
        session.add(row)
    row.prefix, row.next_value = prefix, next_number
    session.flush()
    sync_pg_order_sequence(session)
    series = OrderSeries(prefix, next_number, row.width)
    audit.record(session, actor, "settings.order_series", "order numbers", series.example)
    changes.note(session, kind=SETTINGS_CHANGED)
    return series


def set_logo(session: Session, actor: Actor, data: bytes) -> tuple[int, int]:
    """Store a PNG or JPEG logo (checked with Pillow), and a receipt-width copy for the
    receipt printers. Returns the picture's width and height."""
    require(actor, Permission.SETTINGS_MANAGE)
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationError(_("Choose a PNG or JPEG picture for the logo."), "logo")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is {value:,} KB; at most {value2} KB fit.").format(
                value=len(data) // 1024, value2=MAX_LOGO_BYTES // 1024
            ),
            "logo",
        )
    size, receipt_png = _checked_picture(bytes(data))
    _store(session, LOGO_KEY, base64.b64encode(bytes(data)).decode("ascii"))
    _store(session, RECEIPT_LOGO_KEY, base64.b64encode(receipt_png).decode("ascii"))
    audit.record(session, actor, "settings.logo", "shop", f"{size[0]}x{size[1]}")
    changes.note(session, kind=SETTINGS_CHANGED)
    return size


def clear_logo(session: Session, actor: Actor) -> None:
    require(actor, Permission.SETTINGS_MANAGE)
    for key in (LOGO_KEY, RECEIPT_LOGO_KEY):
        row = session.get(Setting, key)
        if row is not None:
            session.delete(row)
    audit.record(session, actor, "settings.logo", "shop", "removed")
    changes.note(session, kind=SETTINGS_CHANGED)


def logo(session: Session) -> bytes | None:
    """The logo as stored (the settings page shows it); None without one."""
    return _load(session, LOGO_KEY)


def receipt_logo(session: Session) -> bytes | None:
    """The logo as a PNG at most RECEIPT_LOGO_WIDTH dots wide (receipts print it)."""
    return _load(session, RECEIPT_LOGO_KEY)


def _checked_picture(data: bytes) -> tuple[tuple[int, int], bytes]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        with Image.open(io.BytesIO(data)) as picture:
            if kind not in ("PNG", "JPEG"):
                raise ValidationError(
                    _("The logo is a {kind} picture: use PNG or JPEG.").format(
                        kind=kind or "unknown"
                    ),
                    "logo",
                )
            size = picture.size
            if max(size) > MAX_LOGO_PIXELS or min(size) < 1:
                raise ValidationError(
                    _(
                        "The logo is {size}x{size2} pixels; at most {max_logo_pixels} a side."
                    ).format(size=size[0], size2=size[1], max_logo_pixels=MAX_LOGO_PIXELS),
                    "logo",
                )
            picture.load()
            small = picture.convert("RGBA")
            if small.width > RECEIPT_LOGO_WIDTH:
                height = max(1, round(small.height * RECEIPT_LOGO_WIDTH / small.width))
                small = small.resize((RECEIPT_LOGO_WIDTH, height))
            flat = Image.new("RGB", small.size, "white")  # transparency prints as paper
            flat.paste(small, mask=small.getchannel("A"))
            out = io.BytesIO()
            flat.save(out, "PNG")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The logo is not a picture Kestrel can read (PNG or JPEG)."), "logo"
        ) from None
    return size, out.getvalue()


def _store(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    session_cache.forget(session)


def _load(session: Session, key: str) -> bytes | None:
    stored = session.scalar(select(Setting.value).where(Setting.key == key))
    return base64.b64decode(json.loads(stored)) if stored else None


def _text(value: object, label: str, field_name: str, max_length: int, **kw: bool) -> str:
    try:
        return clean_text(value, label, max_length=max_length, **kw)
    except ValidationError as exc:
        raise ValidationError(exc.message, field_name) from None


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(_("Prices include tax: yes or no."), "prices_include_tax")
    return value


def _paper(value: object) -> str:
    given = _text(value, "Paper size", "paper", 10, required=True)
    for size in PAPER_SIZES:
        if given.casefold() == size.casefold():
            return size
    raise ValidationError(
        _("'{given}' is not a paper size (A4 or Letter).").format(given=given), "paper"
    )
