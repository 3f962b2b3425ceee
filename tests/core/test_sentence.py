"""A timeline sentence kept as its message and fields (app/core/sentence.py): English in
the row's message, the reader's language when shown, plural forms by count, program words
translated, a person's words and old rows as written."""

from __future__ import annotations

import json

from app.core import i18n
from app.core.sentence import joined, said, said_n, shown, term, verbatim
from app.services.sales.orders import STATUS_LABELS


def _row(sentence):
    return sentence.english(), json.dumps(sentence.as_data())


def test_english_is_the_message_and_each_language_reads_its_own():
    message, data = _row(said("Put on hold: {reason}", reason="Anruf"))
    assert message == "Put on hold: Anruf"
    assert shown(message, data, i18n.translations("de")) == "Zurückgestellt: Anruf"
    assert shown(message, data, i18n.translations("fr")) == "Mise en attente : Anruf"
    assert shown(message, data, i18n.translations("es")) == "En espera: Anruf"


def test_plural_forms_follow_the_count_in_each_language():
    def shipped(count):
        return said_n(
            "Shipped {count} package with {carrier}: {numbers}",
            "Shipped {count} packages with {carrier}: {numbers}",
            count,
            carrier="DHL",
            numbers="1Z",
        )

    assert shipped(1).english() == "Shipped 1 package with DHL: 1Z"
    assert shipped(2).english() == "Shipped 2 packages with DHL: 1Z"
    de = i18n.translations("de")
    assert shown(*_row(shipped(1)), de) == "1 Paket mit DHL versandt: 1Z"
    assert shown(*_row(shipped(3)), de) == "3 Pakete mit DHL versandt: 1Z"
    assert shown(*_row(shipped(2)), i18n.translations("fr")).startswith("2 colis expédiés")


def test_a_status_is_translated_a_name_is_not():
    sentence = said("Released from hold ({status})", status=term(STATUS_LABELS, "accepted"))
    assert sentence.english() == "Released from hold (Accepted)"
    de = i18n.translations("de")
    assert shown(*_row(sentence), de) == f"Zurückstellung aufgehoben ({de.gettext('Accepted')})"
    assert de.gettext("Accepted") != "Accepted"
    carrier = said("ships with {carrier}", carrier="Accepted")  # a field, not a program word
    assert shown(*_row(carrier), de) == "Versand mit Accepted"


def test_parts_of_a_sentence_are_translated_each():
    parts = [said("ship-to address changed"), said("ships with {carrier}", carrier="UPS")]
    sentence = said("Changed: {changes}", changes=parts)
    assert sentence.english() == "Changed: ship-to address changed; ships with UPS"
    assert shown(*_row(sentence), i18n.translations("de")) == (
        "Geändert: Lieferadresse geändert; Versand mit UPS"
    )
    paid = joined([said("{method} {amount}", method="cash", amount="5.00")] * 2, ", ")
    assert said("Sold at {till}; paid {payments}", till="T1", payments=paid).english() == (
        "Sold at T1; paid cash 5.00, cash 5.00"
    )


def test_old_rows_and_notes_show_as_written():
    assert shown("Order created (phone)", "", i18n.translations("de")) == "Order created (phone)"
    assert shown("Picked", '{"job_id": 3}', i18n.translations("de")) == "Picked"
    note = verbatim("Kunde ruft zurück {nicht formatieren}")
    assert note.as_data() == {}
    assert shown(note.english(), "", i18n.translations("fr")) == note.msgid


def test_the_screens_language_is_the_default():
    message, data = _row(said("Verified and accepted"))
    i18n.use_language("de")
    try:
        assert shown(message, data) == "Geprüft und angenommen"
    finally:
        i18n.use_language(i18n.SOURCE_LANGUAGE)
    assert shown(message, data) == "Verified and accepted"
