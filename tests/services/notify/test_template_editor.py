"""services/notify/template_editor.py: the three parts saved together or not at all, a
mistake refused with its part and line, a preview of unsaved text from a real order,
reset to the defaults."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.services.notify import template_editor, templates
from app.services.notify.templates import TemplateMistake
from tests.conftest import role_actor
from tests.services.notify.conftest import new_order, order_number

BROKEN_HTML = "<p>Hello</p>\n<p>{{ order.number }}</p>\n{% if order.total %}\n<p>no end</p>\n"


def test_the_defaults_are_shown_and_saving_them_stores_nothing(database, admin):
    with database.write() as s:
        texts = template_editor.editable(s, admin, "accepted")
        assert "order.number" in texts.parts["subject"]
        assert '{% extends "_layout.html" %}' in texts.parts["html"]
        assert texts.changed == frozenset()
        template_editor.save_all(
            s, admin, "accepted", {**texts.parts, "subject": texts.parts["subject"].strip()}
        )
        assert templates.overrides(s, "accepted") == {}


def test_a_mistake_is_refused_with_its_part_and_line_and_nothing_saved(database, admin):
    with database.write() as s:
        parts = template_editor.editable(s, admin, "shipped").parts
    with pytest.raises(TemplateMistake) as refused, database.write() as s:
        template_editor.save_all(
            s,
            admin,
            "shipped",
            {**parts, "subject": "Sent: {{ order.number }}", "html": BROKEN_HTML},
        )
    assert refused.value.part == "html" and refused.value.line == 4
    assert "The HTML has a mistake on line 4" in refused.value.message
    with database.read() as s:
        assert templates.overrides(s, "shipped") == {}  # not even the good subject


def test_an_unknown_filter_is_a_mistake_too(database, admin):
    with pytest.raises(TemplateMistake) as refused, database.write() as s:
        template_editor.save_all(s, admin, "shipped", {"txt": "Hi\n{{ order.number | shout }}"})
    assert refused.value.part == "txt" and refused.value.line == 2
    assert "shout" in refused.value.message


def test_preview_renders_unsaved_text_from_a_real_order(database, admin, floor):
    order_id = new_order(database, admin, floor)
    number = order_number(database, order_id)
    typed = {
        "subject": "Packed for you: {{ order.number }}",
        "html": "<b>{{ order.customer_name }}</b>",
    }
    with database.read() as s:
        shown = template_editor.preview_texts(s, admin, "shipped", typed)
        named = template_editor.preview_texts(s, admin, "accepted", {}, number.lower())
    assert shown.order_number == number
    assert shown.subject == f"Packed for you: {number}"
    assert shown.html == "<b>Ines Moreau</b>"
    assert number in shown.text  # the default text part
    assert named.subject == f"Your order {number} is accepted"
    with database.read() as s, pytest.raises(NotFound):
        template_editor.preview_texts(s, admin, "accepted", {}, "SO-999999")
    with database.read() as s:
        assert templates.overrides(s, "shipped") == {}  # a preview saves nothing


def test_save_then_reset(database, admin):
    with database.write() as s:
        template_editor.save_all(
            s, admin, "cancelled", {"subject": "Cancelled: {{ order.number }}"}
        )
    with database.write() as s:
        texts = template_editor.editable(s, admin, "cancelled")
        assert texts.parts["subject"] == "Cancelled: {{ order.number }}"
        assert texts.changed == frozenset({"subject"})
        back = template_editor.reset(s, admin, "cancelled")
    assert back.changed == frozenset()
    assert back.parts["subject"] == templates.default_source("cancelled", "subject")


def test_refusals_in_words(database, admin):
    with database.write() as s:
        with pytest.raises(ValidationError, match="one line"):
            template_editor.save_all(s, admin, "accepted", {"subject": "a\nb"})
        with pytest.raises(ValidationError, match="not an e-mail event"):
            template_editor.editable(s, admin, "birthday")
        with pytest.raises(PermissionDenied):
            template_editor.editable(s, role_actor(Role.CASHIER), "accepted")


def test_texts_are_per_language_and_a_customer_gets_theirs_else_the_shops(database, admin, floor):
    """The editor picks the language; the e-mail takes the customer's language's text,
    else the shop's own language's, else Kestrel's stock text (issue 21)."""
    from app.core.i18n import language_of
    from app.models import SalesOrder
    from app.services.shop import shop_details

    order_id = new_order(database, admin, floor)
    with database.read() as s:
        shop_language = language_of(shop_details(s).locale)
        stock = templates.render(s, s.get(SalesOrder, order_id), "accepted", locale="fr_FR")
    assert shop_language == "en"
    with database.write() as s:
        template_editor.save_all(
            s, admin, "accepted", {"subject": "Auftrag {{ order.number }} ok"}, "de"
        )
        assert template_editor.editable(s, admin, "accepted", "de").changed == {"subject"}
        assert template_editor.editable(s, admin, "accepted").changed == frozenset()
        assert templates.overrides(s, "accepted") == {}  # the shop's own language: untouched
    with database.read() as s:
        order = s.get(SalesOrder, order_id)
        german = templates.render(s, order, "accepted", locale="de_DE")
        assert german.subject == f"Auftrag {order.number} ok"
        french = templates.render(s, order, "accepted", locale="fr_FR")
        assert french.subject == stock.subject  # no French text, none in English: stock
    with database.write() as s:
        template_editor.save_all(
            s, admin, "accepted", {"subject": "Yours: {{ order.number }}"}, "en"
        )
        assert template_editor.editable(s, admin, "accepted").changed == {"subject"}
        typed = {"subject": "Vorschau {{ order.number }}"}
        shown = template_editor.preview_texts(s, admin, "accepted", typed, language="de")
        assert shown.subject.startswith("Vorschau ")
    with database.read() as s:
        order = s.get(SalesOrder, order_id)
        assert templates.render(s, order, "accepted", locale="fr_FR").subject == (
            f"Yours: {order.number}"  # the shop's own language's text
        )
        assert templates.render(s, order, "accepted", locale="de_AT").subject.startswith("Auftrag")
    with database.write() as s:
        template_editor.reset(s, admin, "accepted", "de")
        assert templates.overrides(s, "accepted", "de") == {}
        assert templates.overrides(s, "accepted") == {"subject": "Yours: {{ order.number }}"}
    with pytest.raises(ValidationError, match="not a language"), database.write() as s:
        template_editor.save_all(s, admin, "accepted", {"subject": "x"}, "xx-nowhere")
