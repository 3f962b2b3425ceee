"""`kestrel variants make SKU --axis NAME=V1,V2 ... [--json]` and `kestrel variants list SKU
[--json]`: the sizes and colours of a template product, each its own product.

`list --json` prints `{"template", "variants": [{"sku", "name", "attrs", "price",
"on_hand", "active"}]}` (price in minor units); `make --json` prints `{"made": [SKU...]}`.
Exit 1: refused, with the reason.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import open_database, refusing
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("variants", parents=[common], help=_("sizes and colours of a product"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    make = actions.add_parser("make", parents=[common], help=_("make a template's variants"))
    make.add_argument("sku", help=_("the template product's SKU"))
    make.add_argument(
        "--axis",
        action="append",
        required=True,
        metavar="NAME=V1,V2",
        help=_("an axis and its values, like size=S,M,L (repeat for colour=...)"),
    )
    make.add_argument("--json", action="store_true")
    make.set_defaults(handler=refusing("variants make", cmd_make))
    listing = actions.add_parser("list", parents=[common], help=_("a template's variants"))
    listing.add_argument("sku")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=refusing("variants list", cmd_list))


def _axes(pairs: list[str]) -> dict[str, list[str]]:
    from app.core.errors import ValidationError

    axes: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, values = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(
                _("--axis takes NAME=V1,V2, not '{pair}'.").format(pair=pair), "axis"
            )
        axes[name.strip()] = [v.strip() for v in values.split(",")]
    return axes


def cmd_make(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.models import Product
    from app.services.stock import variants

    with open_database(url, create=False).write() as session:
        made = variants.make_variants(session, auth.SYSTEM, args.sku, _axes(args.axis))
        skus = [session.get_one(Product, pid).sku for pid in made]
    if args.json:
        print(json.dumps({"made": skus}))
    else:
        print(f"{len(skus)} variant(s) made" + (": " + ", ".join(skus) if skus else "."))
    return 0


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from dataclasses import asdict

    from app.core import auth
    from app.services.stock import variants

    with open_database(url, create=False).read() as session:
        rows = variants.variants_of(session, auth.SYSTEM, args.sku)
    if args.json:
        shown = [{k: v for k, v in asdict(r).items() if k != "id"} for r in rows]
        print(json.dumps({"template": args.sku, "variants": shown}, indent=2))
        return 0
    for r in rows:
        print(
            _("{sku:<24} {attrs:<30} on hand {on_hand}").format(
                sku=r.sku, attrs=r.attrs, on_hand=r.on_hand
            )
        )
    if not rows:
        print(
            _("{sku} has no variants: make them with `kestrel variants make`.").format(sku=args.sku)
        )
    return 0
