"""The stock e-mails' sentences, marked for translation (issue 21): the default templates
say `{{ say("received.body") }}` and get them in the customer's language, from the same
gettext catalogues as the screens (`make i18n` extracts them from here). A shop's own
templates may use `say()` too, or write their words in any language they like."""

from __future__ import annotations

import gettext
from collections.abc import Callable

from app.core.i18n import N_

WORDS: dict[str, str] = {
    "hello": N_("Hello {name},"),
    "hello_there": N_("Hello,"),
    "order_of": N_("Order {number} of {date}"),
    "order": N_("Order {number}"),
    "total": N_("Total"),
    "total_line": N_("Total: {amount}"),
    "follow": N_("Follow your order"),
    "follow_line": N_("Follow your order: {link}"),
    "received.subject": N_("We have your order {number}"),
    "received.body": N_(
        "Thank you for your order. We have received it and will let you know when it is on its way."
    ),
    "accepted.subject": N_("Your order {number} is accepted"),
    "accepted.body": N_("Good news: we have checked your order and are getting it ready."),
    "shipped.subject": N_("Your order {number} is on its way"),
    "shipped.body": N_("Your order has left our warehouse."),
    "partly_shipped.subject": N_("Part of your order {number} is on its way"),
    "delivered.subject": N_("Your order {number} is delivered"),
    "delivered.body": N_("Your order has been delivered. We hope you enjoy it."),
    "exception.subject": N_("A delay with your order {number}"),
    "exception.body": N_(
        "There is a problem with the delivery of your order: {message}. We are on it and "
        "will be in touch."
    ),
    "cancelled.subject": N_("Your order {number} is cancelled"),
    "cancelled.body": N_(
        "Your order has been cancelled. If you paid for it already, the money comes back to you."
    ),
    "refunded.subject": N_("A refund for your order {number}"),
    "refunded.body": N_("We have made a refund for your order: {message}."),
    "return_received.subject": N_("We have your return for order {number}"),
    "return_received.body": N_(
        "Your return has arrived at our warehouse. We will check it and let you know about "
        "the refund."
    ),
}


def sayer(catalogue: gettext.NullTranslations) -> Callable[..., str]:
    """`say(key, **values)` for the templates: the sentence in the catalogue's language
    with its placeholders filled; an unknown key is shown as itself (a shop's typo shows
    in the preview instead of failing the e-mail)."""

    def say(key: str, **values: object) -> str:
        if key == "backorder":  # counted: plural forms per language
            count = int(str(values.get("count", 0)))
            return catalogue.ngettext(
                "Part of your order has left our warehouse; {count} item follows as soon as "
                "it is in stock.",
                "Part of your order has left our warehouse; {count} items follow as soon as "
                "they are in stock.",
                count,
            ).format(count=count)
        message = WORDS.get(key)
        if message is None:
            return key
        return catalogue.gettext(message).format(**values)

    return say
