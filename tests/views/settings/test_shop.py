"""app/views/settings/shop.py: the Shop tab in real widgets: shown, saved, refused by field."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from app.core import numbering
from app.services import shop
from app.views.settings.shop import ShopPage, format_tax_classes, parse_tax_classes


def _page(qtbot, ctx, settle) -> ShopPage:
    page = ShopPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle()
    return page


def _replace(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_shows_and_saves_the_shop(qtbot, ctx, settle):
    page = _page(qtbot, ctx, settle)
    assert page.fields["tax_classes"].toPlainText() == "Standard = 23\nReduced = 13.5\nZero = 0"
    _replace(qtbot, page.fields["name"], "Harbour Hardware")
    _replace(qtbot, page.fields["tax_id"], "IE9876543H")
    _replace(qtbot, page.fields["currency"], "gbp")
    page.fields["tax_classes"].setPlainText("Standard = 20\nReduced = 5,5")
    page.fields["paper"].setCurrentText("Letter")
    assert page.fields["prices"].currentData() == "inclusive"
    page.fields["prices"].setCurrentIndex(page.fields["prices"].findData("exclusive"))
    _replace(qtbot, page.fields["order_prefix"], "HH-")
    _replace(qtbot, page.fields["order_next"], "90000")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "Saved."
    with ctx.database.write() as s:
        got = shop.get_shop(s, ctx.actor)
        assert numbering.next_number(s) == "HH-090000"
    assert (got.details.name, got.details.currency, got.details.paper) == (
        "Harbour Hardware",
        "GBP",
        "Letter",
    )
    assert got.details.tax_classes == {"Standard": 2000, "Reduced": 550}
    assert got.details.prices == "exclusive"
    assert page.fields["currency"].text() == "GBP"  # shown again as stored
    assert page.fields["prices"].currentData() == "exclusive"


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("currency", "XYZ", "Currency: 'XYZ' is not a currency code"),
        ("locale", "qq_ZZ", "Locale: 'qq_ZZ' is not a language"),
        ("name", "", "Shop name is required."),
        ("tax_classes", "Standard 23", "Tax classes, line 1"),
        ("tax_classes", "Standard = 101", "Tax classes: The rate of 'Standard'"),
        ("order_next", "ten", "Next order number: a whole number"),
        ("order_prefix", "S O", "An order number prefix uses"),
    ],
)
def test_bad_input_is_refused_naming_its_field(qtbot, ctx, settle, field, text, words):
    page = _page(qtbot, ctx, settle)
    widget = page.fields[field]
    if field == "tax_classes":
        widget.setPlainText(text)
    else:
        _replace(qtbot, widget, text)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text().startswith(words), page.message.text()
    assert widget.property("kind") == "error"
    with ctx.database.read() as s:
        assert shop.get_shop(s, ctx.actor).details.currency == "EUR"  # nothing was saved


def test_a_logo_is_chosen_shown_and_removed(qtbot, ctx, settle, tmp_path):
    page = _page(qtbot, ctx, settle)
    assert page.logo.text() == "No logo" and not page.remove_logo_button.isEnabled()
    bad = tmp_path / "logo.gif"
    Image.new("RGB", (40, 40), "red").save(bad, "GIF")
    page.load_logo(bad)
    settle()
    assert page.message.text() == "The logo is a GIF picture: use PNG or JPEG."
    good = tmp_path / "logo.png"
    Image.new("RGB", (600, 150), "navy").save(good, "PNG")
    page.load_logo(good)
    settle()
    assert page.message.text() == "Logo stored (600×150 pixels)."
    assert not page.logo.pixmap().isNull() and page.remove_logo_button.isEnabled()
    page.load_logo(tmp_path / "missing.png")
    assert page.message.text().startswith("Logo: missing.png cannot be read")
    qtbot.mouseClick(page.remove_logo_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "Logo removed."
    with ctx.database.read() as s:
        assert shop.logo(s) is None


def test_tax_classes_text_round_trips():
    classes = {"Standard": 2300, "Reduced": 1350, "Zero": 0, "Odd": 1}
    assert parse_tax_classes(format_tax_classes(classes)) == classes
    assert parse_tax_classes("A = 7 %\n\n B = 13,5 ") == {"A": 700, "B": 1350}
