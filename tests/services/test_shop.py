"""app/services/shop.py: the shop's details after the wizard, on SQLite and PostgreSQL.
Bad input is refused naming its field and writes nothing; changes are audited and noticed."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image
from sqlalchemy import select

from app.core import changes, numbering
from app.core.auth import Role
from app.core.errors import PermissionDenied, ValidationError
from app.models import AuditEntry
from app.printing import documents as layouts
from app.printing.layout import Logo, Text
from app.services import shop
from app.services.printing import documents
from tests.conftest import role_actor


def _picture(kind: str, size=(800, 200), color="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind)
    return out.getvalue()


def _details(database, admin) -> shop.ShopDetails:
    with database.read() as s:
        return shop.get_shop(s, admin).details


def test_details_are_stored_audited_and_noticed(database, admin):
    seen: list[changes.ChangeSet] = []
    wanted = replace(
        _details(database, admin),
        name="  Corner   Shop ",
        address="1 Main St\nGalway",
        tax_id="IE1234567T",
        receipt_header="Open 9-5",
        currency="gbp",
        locale="en-GB",
        paper="letter",
        prices_include_tax=False,
        tax_classes={"Standard": 2000, "Zero": 0, "Luxury": 10000},
    )
    changes.subscribe(seen.append)
    try:
        with database.write() as s:
            changed = shop.update_shop(s, admin, wanted)
    finally:
        changes.unsubscribe(seen.append)
    assert "company_name" in changed and "tax_classes" in changed
    got = _details(database, admin)
    assert (got.name, got.currency, got.locale, got.paper) == (
        "Corner Shop",
        "GBP",
        "en_GB",
        "Letter",
    )
    assert got.tax_classes == {"Standard": 2000, "Zero": 0, "Luxury": 10000}
    assert not got.prices_include_tax
    assert any(shop.SETTINGS_CHANGED in c.kinds for c in seen)
    with database.write() as s:
        assert shop.update_shop(s, admin, got) == []  # nothing new: nothing written
        company = documents.company(s)
    assert (company.tax_id, company.header) == ("IE1234567T", "Open 9-5")
    with database.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("settings%")))
        assert list(actions) == ["settings.shop"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": " "}, "name", "required"),
        ({"currency": "EURO"}, "currency", "at most 3"),
        ({"currency": "XYZ"}, "currency", "not a currency"),
        ({"locale": "xx_QQ"}, "locale", "not a language"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not a time zone"),
        ({"timezone": "../etc/passwd"}, "timezone", "not a time zone"),
        ({"paper": "A5"}, "paper", "A4 or Letter"),
        ({"tax_classes": {}}, "tax_classes", "at least one"),
        ({"tax_classes": {"Standard": 10001}}, "tax_classes", "between 0 and 100"),
        ({"tax_classes": {"Standard": -1}}, "tax_classes", "between 0 and 100"),
        ({"tax_classes": {"Standard": 23.0}}, "tax_classes", "between 0 and 100"),
        ({"tax_classes": {"Std": 1, "STD": 2}}, "tax_classes", "twice"),
        ({"tax_classes": {"": 1}}, "tax_classes", "required"),
        ({"address": "x" * 501}, "address", "at most 500"),
        ({"receipt_footer": "a\x1bb"}, "receipt_footer", "control character"),
        ({"prices_include_tax": "yes"}, "prices_include_tax", "yes or no"),
        ({"prices": "gross"}, "prices", "'inclusive' or 'exclusive'"),
        ({"prices": None}, "prices", "'inclusive' or 'exclusive'"),
        ({"tax_id": "IE1234567X"}, "tax_id", "not a valid VAT number"),
        ({"tax_id": "DE 123 456 789", "locale": "en_US"}, "tax_id", "not a valid VAT number"),
        ({"tax_id": "123456789", "locale": "de_DE"}, "tax_id", "not a valid VAT number"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(database, admin, change, field, words):
    before = _details(database, admin)
    with database.write() as s, pytest.raises(ValidationError, match=words) as refused:
        shop.update_shop(s, admin, replace(before, **{"tax_id": "IE9876543H", **change}))
    assert refused.value.field == field
    assert refused.value.field in shop.FIELDS
    assert _details(database, admin) == before


def test_the_order_series_goes_on_from_the_given_number(database, admin):
    with database.write() as s:
        assert shop.order_series(s).example == "SO-000001"
        numbering.next_number(s)
        numbering.next_number(s)
    with database.write() as s:
        assert shop.order_series(s).next_number == 3
    with database.write() as s, pytest.raises(ValidationError, match="3 or more") as refused:
        shop.set_order_series(s, admin, "SO-", 2)
    assert refused.value.field == "order_next"
    with database.write() as s:
        assert shop.set_order_series(s, admin, "SO-", 500).example == "SO-000500"
    with database.write() as s:
        assert numbering.next_number(s) == "SO-000500"
    with database.write() as s:
        shop.set_order_series(s, admin, "WEB/", 7)  # a new prefix may start low
    with database.write() as s:
        assert numbering.next_number(s) == "WEB/000007"
    for prefix, number, field in (("S O", 1, "order_prefix"), ("X", 0, "order_next")):
        with database.write() as s, pytest.raises(ValidationError) as refused:
            shop.set_order_series(s, admin, prefix, number)
        assert refused.value.field == field


def test_a_logo_is_checked_stored_and_printed_on_receipts(database, admin):
    png = _picture("PNG")
    with database.write() as s:
        assert shop.set_logo(s, admin, png) == (800, 200)
    with database.read() as s:
        assert shop.logo(s) == png
        small = Image.open(io.BytesIO(shop.receipt_logo(s) or b""))
        assert small.size == (shop.RECEIPT_LOGO_WIDTH, 96)
        assert shop.get_shop(s, admin).has_logo
        company = documents.company(s)
    head = layouts.receipt(company, _receipt_data()).blocks[:2]
    assert isinstance(head[0], Logo) and isinstance(head[1], Text)
    with database.write() as s:
        shop.set_logo(s, admin, _picture("JPEG", (100, 100)))
        shop.clear_logo(s, admin)
    with database.read() as s:
        assert shop.logo(s) is None and not shop.get_shop(s, admin).has_logo
        assert not any(
            isinstance(b, Logo)
            for b in layouts.receipt(documents.company(s), _receipt_data()).blocks
        )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_picture("GIF"), "GIF picture"),
        (b"not a picture at all", "not a picture"),
        (_picture("PNG")[:60], "not a picture"),
        (b"", "Choose a PNG"),
        (b"\x89PNG" + b"\0" * (shop.MAX_LOGO_BYTES + 1), "at most 512 KB"),
        (_picture("PNG", (shop.MAX_LOGO_PIXELS + 1, 2)), "at most 4000"),
    ],
)
def test_a_bad_logo_is_refused_in_words(database, admin, data, words):
    with database.write() as s, pytest.raises(ValidationError, match=words) as refused:
        shop.set_logo(s, admin, data)
    assert refused.value.field == "logo"
    with database.read() as s:
        assert shop.logo(s) is None


@pytest.mark.parametrize("role", [Role.CLERK, Role.CASHIER, Role.PICKER])
def test_managers_only(database, admin, role):
    actor = role_actor(role)
    for call in (
        lambda s: shop.get_shop(s, actor),
        lambda s: shop.set_order_series(s, actor, "X-", 9),
        lambda s: shop.set_logo(s, actor, b""),
    ):
        with database.write() as s, pytest.raises(PermissionDenied, match="settings.manage"):
            call(s)
    with database.read() as s:
        assert shop.get_shop(s, role_actor(Role.MANAGER)).details.name


def _receipt_data() -> layouts.ReceiptData:
    from datetime import UTC, datetime

    return layouts.ReceiptData("SO-000001", datetime.now(UTC), "", (), 0, 0, 0)


@pytest.mark.parametrize(
    ("tax_id", "locale", "stored"),
    [
        ("de 123 456 788", "de_DE", "DE 123 456 788"),  # its own prefix: checked as German
        ("123456788", "de_DE", "123456788"),  # no prefix: the shop's country
        ("FR40303265045", "en_IE", "FR40303265045"),
        ("B12345674", "es_ES", "B12345674"),
        ("12-3456789", "en_US", "12-3456789"),  # no VAT rules for the US: kept as typed
    ],
)
def test_a_vat_number_is_checked_where_its_country_is_known(
    database, admin, tax_id, locale, stored
):
    with database.write() as s:
        before = shop.get_shop(s, admin).details
        shop.update_shop(s, admin, replace(before, tax_id=tax_id, locale=locale))
    assert _details(database, admin).tax_id == stored


def test_the_prices_shown_reach_the_documents(database, admin):
    with database.write() as s:
        before = shop.get_shop(s, admin).details
        assert before.prices == "inclusive"
        assert shop.update_shop(s, admin, replace(before, prices=" Exclusive ")) == ["prices"]
        company = documents.company(s)
    assert (company.prices, company.timezone) == ("exclusive", "Europe/Dublin")
