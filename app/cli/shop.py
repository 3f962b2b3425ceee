"""`kestrel shop show [--json]` and `kestrel shop set KEY=VALUE ...`: the shop's details
(the Shop tab's) for administrators without the GUI.

Keys: name, address (`\\n` for a new line), tax_id, receipt_header, receipt_footer,
currency, locale (or its alias language: de_DE, fr_FR...), timezone, prices_include_tax
(yes/no: whether the catalogue's prices are gross), prices (inclusive/exclusive: how
receipts, invoices and screens show them), paper (A4/Letter). Everything is checked
by services/shop.py before anything is stored; a refusal names its field and exits 1,
nothing changed.
`show --json` prints the details as one object (tax_classes in basis points).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.i18n import _

KEYS = (
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
)
ALIASES = {"language": "locale", "lang": "locale", "tz": "timezone", "tax-id": "tax_id"}
# yes/no in English and in the catalogues' languages, whatever the command speaks
YES = ("yes", "true", "1", "on", "ja", "oui", "sí", "si")
NO = ("no", "false", "0", "off", "nein", "non")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("shop", parents=[common], help="the shop's details and language")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=[common], help="the shop's details")
    show.add_argument("--json", action="store_true", help="one JSON object")
    show.add_argument("--user", default="", help="act as this user (default: administrator)")
    show.set_defaults(handler=refusing("shop show", cmd_show))
    change = actions.add_parser("set", parents=[common], help="change details: KEY=VALUE ...")
    change.add_argument("pairs", nargs="+", metavar="KEY=VALUE", help=", ".join(KEYS))
    change.add_argument("--user", default="", help="act as this user (default: administrator)")
    change.set_defaults(handler=refusing("shop set", cmd_set))


def cmd_show(args: argparse.Namespace, url: str) -> int:
    from app.services import shop

    with open_database(url, create=False).read() as session:
        found = shop.get_shop(session, acting_user(session, args.user))
    details = asdict(found.details)
    if args.json:
        print(json.dumps(details, indent=2, ensure_ascii=False))
        return 0
    for key in (*KEYS, "tax_classes"):
        value = details[key]
        if key == "tax_classes":
            value = ", ".join(f"{name} {rate / 100:g} %" for name, rate in value.items())
        elif key == "prices_include_tax":
            value = _("yes") if value else _("no")
        elif key == "address":
            value = str(value).replace("\n", " / ")
        print(f"{key:<20} {value}")
    return 0


def parse_pairs(pairs: list[str]) -> dict[str, Any]:
    """KEY=VALUE arguments -> ShopDetails fields; an unknown key or a malformed pair is a
    ValidationError naming it."""
    from app.core.errors import ValidationError

    changes: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = ALIASES.get(key.strip().lower(), key.strip().lower())
        if not sep:
            raise ValidationError(_("Give KEY=VALUE, not '{pair}'.").format(pair=pair), "pairs")
        if key not in KEYS:
            raise ValidationError(
                _("'{key}' is not a shop setting; one of: {keys}.").format(
                    key=key, keys=", ".join(KEYS)
                ),
                key,
            )
        changes[key] = _value(key, value)
    return changes


def _value(key: str, value: str) -> Any:
    from app.core.errors import ValidationError

    if key == "prices_include_tax":
        answer = value.strip().lower()
        if answer in YES or answer == _("yes").lower():
            return True
        if answer in NO or answer == _("no").lower():
            return False
        raise ValidationError(_("Prices include tax: yes or no."), key)
    return value.replace("\\n", "\n")


def cmd_set(args: argparse.Namespace, url: str) -> int:
    from app.core.errors import ValidationError
    from app.services import shop

    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)  # first: the user's language words the rest
        changes = parse_pairs(args.pairs)
        current = shop.get_shop(session, actor).details
        try:
            changed = shop.update_shop(session, actor, replace(current, **changes))
        except ValidationError as exc:
            raise ValidationError(f"{exc.field}: {exc.message}", exc.field) from None
    if changed:
        print(_("changed: {names}").format(names=", ".join(changed)))
    else:
        print(_("nothing changed"))
    return 0
