"""E-mails in the customer's language (issue 21): the stock sentences from the gettext
catalogues (notify/wording.py), money and dates as the customer's locale writes them, the
shop's language when the customer has none; rendered when the sender takes the message
(notify/deferred.py), sent through a real SMTP server and read back."""

from __future__ import annotations

import pytest
from babel.dates import format_date
from sqlalchemy import delete, insert, select

from app.core import changes
from app.core.i18n import translations
from app.models import OutboxMessage, SalesOrder, Setting
from app.services.notify import mailbox, sender, templates, wording
from app.services.sales import customers, order_actions
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.shop import shop_details, update_shop
from tests.services.notify.conftest import new_order, outbox_rows

# what each language's "accepted" e-mail says (subject, a sentence, "Total", 2 x 10.00 + 10.00)
SAID = {
    "en": ("is accepted", "Good news: we have checked your order", "Total:", "€30.00"),
    "de": ("ist angenommen", "Gute Nachricht: Wir haben Ihre Bestellung", "Gesamt:", "30,00\xa0€"),
    "fr": ("est acceptée", "Bonne nouvelle : nous avons vérifié", "Total :", "30,00\xa0€"),
    "es": ("ha sido aceptado", "Buenas noticias: hemos revisado", "Total:", "30,00\xa0€"),
}


def _customer(database, admin, language: str) -> int:
    with database.write() as s:
        return customers.create_customer(
            s,
            admin,
            CustomerInput(
                name="Ines Moreau",
                email="ines@example.com",
                address=AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE"),
                language=language,
            ),
        )


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


@pytest.mark.parametrize("language", sorted(SAID))
def test_an_email_is_sent_and_read_back_in_the_customers_language(
    database, admin, floor, mail_shop, language
):
    customer = _customer(database, admin, "" if language == "en" else language)
    order_id = new_order(database, admin, floor, customer)
    with database.write() as s:
        order_actions.accept(s, admin, order_id)
    rows = outbox_rows(database, order_id)
    assert all(r.body == "" for r in rows)  # the status change rendered nothing
    assert sender.drain(database, "test").sent == 2
    accepted = mail_shop.recorder.received[-1].message
    subject, sentence, total, money = SAID[language]
    assert subject in accepted["Subject"]
    assert accepted["Content-Language"] == ("en-IE" if language == "en" else language)
    text, html = _text(accepted), _html(accepted)
    assert sentence in text and sentence.replace("'", "&#39;") in html
    assert f"{total} {money}" in text
    assert f'<html lang="{language}">' in html
    with database.read() as s:
        created = s.get(SalesOrder, order_id).created_at
    locale = "en_IE" if language == "en" else language
    assert format_date(created, format="long", locale=locale) in text  # the month in words
    assert accepted["Message-ID"] == rows[-1].message_id


def test_without_a_language_the_customer_gets_the_shops(database, admin, floor, mail_shop):
    with database.write() as s:
        shop = shop_details(s)
        update_shop(
            s, admin, type(shop)(**{**shop.__dict__, "locale": "de_AT", "name": "Kestrel Wien"})
        )
    order_id = new_order(database, admin, floor)  # the customer's language is ""
    assert sender.drain(database, "test").sent == 1
    received = mail_shop.recorder.received[-1].message
    assert received["Content-Language"] == "de-AT"
    assert "ist bei uns eingegangen" in received["Subject"]
    assert "Gesamt: €\xa030,00" in _text(received)  # Austrian German writes the sign first
    assert "Kestrel Wien" in _text(received)
    assert outbox_rows(database, order_id)[0].subject.startswith("Ihre Bestellung")


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_every_event_renders_translated(database, admin, floor, language):
    order_id = new_order(database, admin, floor)
    with database.read() as s:
        order = s.get(SalesOrder, order_id)
        for event in templates.EVENTS:
            english = templates.render(s, order, event, "a note")
            spoken = templates.render(s, order, event, "a note", locale=language)
            assert spoken.subject != english.subject and order.number in spoken.subject
            assert spoken.text != english.text and spoken.html != english.html
            assert "a note" in spoken.text or event not in ("exception", "refunded")


def test_counted_words_follow_the_languages_plural_forms():
    say = wording.sayer(translations("de"))
    assert "1 Artikel folgt" in say("backorder", count=1)
    assert "3 Artikel folgen" in say("backorder", count=3)
    assert "2 items follow" in wording.sayer(translations("en"))("backorder", count=2)


def test_a_template_that_fails_when_sent_fails_the_message_and_a_retry_sends_it(
    database, admin, floor, mail_shop
):
    order_id = new_order(database, admin, floor)
    (row,) = outbox_rows(database, order_id)
    with database.write() as s:  # a shop's template that Jinja reads but cannot render
        templates.save_template(s, admin, "received", "txt", "{{ say('order', nummer=1) }}")
    with database.read() as s:  # the list still shows a subject
        assert mailbox.order_emails(s, admin, order_id)[0].subject.startswith("We have your")
    result = sender.drain(database, "test")
    assert (result.sent, result.failed) == (0, 1)
    (failed,) = outbox_rows(database, order_id)
    assert failed.state == "failed" and "cannot be written" in failed.last_error
    assert failed.message_id == row.message_id and mail_shop.recorder.received == []
    with database.write() as s:
        templates.save_template(s, admin, "received", "txt", "")
        mailbox.retry(s, admin, failed.id)
    assert sender.drain(database, "test").sent == 1
    assert mail_shop.recorder.ids() == [row.message_id]


def _events(database, order_id: int) -> list[str]:
    with database.read() as s:
        query = select(OutboxMessage.event).where(OutboxMessage.order_id == order_id)
        return list(s.scalars(query.order_by(OutboxMessage.id)))


def test_the_settings_kept_across_transactions_follow_a_change(database, admin, floor, mail_shop):
    first = new_order(database, admin, floor)  # the e-mail settings are read and kept
    with database.write() as s:  # turned off in SQL, not through events.set_switch
        s.execute(insert(Setting).values(key="notify.events", value='{"accepted": false}'))
    with database.write() as s:
        order_actions.accept(s, admin, first)
    assert _events(database, first) == ["received"]
    second = new_order(database, admin, floor)
    with database.engine.begin() as raw:  # another workstation turns it on again...
        raw.execute(delete(Setting).where(Setting.key == "notify.events"))
    changes.publish(changes.ChangeSet(kinds=frozenset({"settings", "remote"})))  # ...and says so
    with database.write() as s:
        order_actions.accept(s, admin, second)
    assert _events(database, second) == ["received", "accepted"]
