"""Which column of a file holds which field: matched by the header's name, or by a mapping
saved for that file layout (keyed by a hash of its normalized header row) or by name.

Headers match case-, space- and punctuation-insensitively, with the variants shops'
exports use ("Sale Price", "VAT %", "EAN13", "Qty", "Zip", "E-mail address"), so the usual
files import with no mapping at all; the export writes the labels below, so what Kestrel
writes it reads back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import i18n
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_, _
from app.core.number_format import NumberFormat, from_dict
from app.core.validation import clean_text
from app.models import Setting
from app.services.transfer.header_words import WORDS

KINDS = ("products", "customers", "suppliers", "stock", "reorder-rules")
LAYOUT_PREFIX = "transfer.layout."
NAMED_PREFIX = "transfer.mapping."


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the header the export writes
    aliases: tuple[str, ...] = ()
    required: bool = False
    number: bool = False  # read in the file's number format (and looked at to detect it)


def normalize(header: str) -> str:
    """'E-mail address' -> 'emailaddress', 'VAT %' -> 'vat': what two headers share."""
    return "".join(ch for ch in header.casefold() if ch.isalnum())


_PRODUCTS = (
    Field(
        "sku",
        N_("SKU"),
        ("item sku", "variant sku", "product code", "item code", "article number"),
        required=True,
    ),
    Field("name", N_("Name"), ("product name", "item name", "title", "product")),
    Field("description", N_("Description"), ("long description", "body", "details")),
    Field(
        "price",
        N_("Price"),
        (
            "sale price",
            "selling price",
            "retail price",
            "unit price",
            "variant price",
            "regular price",
            "price incl tax",
        ),
        number=True,
    ),
    Field(
        "cost",
        N_("Cost"),
        ("cost price", "unit cost", "purchase price", "buy price", "variant cost", "cost per item"),
        number=True,
    ),
    Field(
        "tax",
        N_("Tax %"),
        ("tax", "tax rate", "tax percent", "vat", "vat %", "vat rate", "tax rate %"),
        number=True,
    ),
    Field("tax_class", N_("Tax class"), ("vat class", "tax category", "vat category")),
    Field(
        "barcode",
        N_("Barcode"),
        (
            "barcodes",
            "ean",
            "ean13",
            "ean 13",
            "ean8",
            "gtin",
            "gtin13",
            "gtin14",
            "upc",
            "upc a",
            "variant barcode",
        ),
    ),
    Field("category", N_("Category"), ("categories", "category path", "product category")),
    Field(
        "weight_g",
        N_("Weight (g)"),
        ("weight", "weight g", "weight grams", "grams", "variant grams", "weight in grams"),
        number=True,
    ),
    Field("weight_kg", N_("Weight (kg)"), ("weight kg", "kg", "weight in kg"), number=True),
)
_PARTIES = (
    Field("email", N_("E-mail"), ("email", "email address", "e-mail address", "mail")),
    Field(
        "name",
        N_("Name"),
        ("full name", "customer name", "supplier name", "company", "company name", "contact name"),
    ),
    Field("phone", N_("Phone"), ("telephone", "tel", "phone number", "mobile", "mobile phone")),
    Field(
        "street",
        N_("Street"),
        ("address", "address 1", "address line 1", "street address", "line 1", "address1"),
    ),
    Field("street2", N_("Street 2"), ("address 2", "address line 2", "line 2", "address2")),
    Field("city", N_("City"), ("town", "town city", "town / city")),
    Field("postcode", N_("Postcode"), ("post code", "zip", "zip code", "postal code", "eircode")),
    Field("region", N_("Region"), ("state", "county", "province")),
    Field("country", N_("Country"), ("country code",)),
)
# Suppliers also have their short code (`kestrel po create --supplier CODE`).
_SUPPLIERS = (*_PARTIES, Field("code", N_("Code"), ("supplier code", "short code", "vendor code")))
_STOCK = (
    Field(
        "sku", N_("SKU"), ("item sku", "variant sku", "product code", "item code"), required=True
    ),
    Field(
        "quantity",
        N_("Quantity"),
        (
            "qty",
            "on hand",
            "quantity on hand",
            "stock",
            "in stock",
            "stock level",
            "inventory",
            "count",
        ),
        required=True,
        number=True,
    ),
    Field("warehouse", N_("Warehouse"), ("warehouse code", "depot")),
    Field("bin", N_("Bin"), ("bin code", "location", "location code", "shelf")),
)
_REORDER_RULES = (
    Field("sku", N_("SKU"), ("item sku", "product code", "item code"), required=True),
    Field("warehouse", N_("Warehouse"), ("warehouse code", "depot"), required=True),
    Field(
        "min",
        N_("Min"),
        ("minimum", "min qty", "reorder point", "reorder level"),
        required=True,
        number=True,
    ),
    Field(
        "max",
        N_("Max"),
        ("maximum", "max qty", "order up to", "max stock"),
        required=True,
        number=True,
    ),
    Field("multiple", N_("Multiple"), ("order multiple", "round to", "lot size"), number=True),
    Field("supplier", N_("Supplier"), ("supplier code", "preferred supplier", "vendor")),
)
FIELDS: dict[str, tuple[Field, ...]] = {
    "products": _PRODUCTS,
    "customers": _PARTIES,
    "suppliers": _SUPPLIERS,
    "stock": _STOCK,
    "reorder-rules": _REORDER_RULES,
}


def fields(kind: str) -> tuple[Field, ...]:
    if kind not in FIELDS:
        raise ValidationError(
            _("'{kind}' is not something Kestrel imports ({value}).").format(
                kind=kind, value=", ".join(KINDS)
            )
        )
    return FIELDS[kind]


@cache
def _names(kind: str, field: Field) -> frozenset[str]:
    """Every header that means `field`: its key, its label in English and in each of
    Kestrel's languages, its English aliases and the shops' own words (header_words.py)."""
    labels = {i18n.translations(language).gettext(field.label) for language in i18n.LANGUAGES}
    words = (field.key, *labels, *field.aliases, *WORDS.get(kind, {}).get(field.key, ()))
    return frozenset(normalize(w) for w in words) - {""}


def auto_mapping(kind: str, header: Sequence[str]) -> dict[str, int]:
    """Field -> column index for the headers recognised by name (the first column wins
    when two would match the same field)."""
    found: dict[str, int] = {}
    names = {f.key: _names(kind, f) for f in fields(kind)}
    for index, text in enumerate(header):
        wanted = normalize(text)
        for key, known in names.items():
            if wanted and wanted in known and key not in found:
                found[key] = index
                break
    return found


def resolve(kind: str, header: Sequence[str], columns: dict[str, str]) -> dict[str, int]:
    """A mapping given as field -> header text, turned into field -> column index;
    a header the file lacks, or a field Kestrel does not know, is refused in words."""
    known = {f.key for f in fields(kind)}
    by_name = {normalize(h): i for i, h in reversed(list(enumerate(header))) if normalize(h)}
    out: dict[str, int] = {}
    for key, text in columns.items():
        if key not in known:
            raise ValidationError(
                _("'{key}' is not a field of {kind} ({value}).").format(
                    key=key, kind=kind, value=", ".join(sorted(known))
                )
            )
        if not text:
            continue
        index = by_name.get(normalize(text))
        if index is None:
            raise ValidationError(
                _("The mapping names a column '{text}' this file does not have.").format(text=text)
            )
        out[key] = index
    return out


def check_complete(kind: str, header: Sequence[str], mapping: dict[str, int]) -> None:
    """Every required field has a column, and no column holds two fields."""
    missing = [f for f in fields(kind) if f.required and f.key not in mapping]
    if missing:
        wants = "; ".join(
            _("{label} (or {names})").format(label=_(f.label), names=", ".join(f.aliases[:3]))
            for f in missing
        )
        raise ValidationError(
            _(
                "No column for {wants}. The file's columns are: {value}. Name the "
                "column, or map it."
            ).format(wants=wants, value=", ".join(h for h in header if h)),
            "mapping",
        )
    if kind in ("customers", "suppliers") and not {"email", "name"} & set(mapping):
        raise ValidationError(_("A file of parties needs an E-mail or a Name column."), "mapping")
    if kind == "stock" and not {"warehouse", "bin"} & set(mapping):
        raise ValidationError(_("Stock levels need a Warehouse or a Bin column."), "mapping")
    seen: dict[int, str] = {}
    for key, index in mapping.items():
        if index in seen:
            raise ValidationError(
                _("Column '{header}' is mapped to both {seen} and {key}.").format(
                    header=header[index], seen=seen[index], key=key
                ),
                "mapping",
            )
        seen[index] = key


def layout_key(kind: str, header: Sequence[str]) -> str:
    """The settings key of a file layout: the kind and a hash of its normalized header."""
    digest = hashlib.sha256("\x1f".join(normalize(h) for h in header).encode()).hexdigest()
    return f"{LAYOUT_PREFIX}{kind}.{digest[:32]}"


def _layout(session: Session, kind: str, header: Sequence[str]) -> dict[str, Any] | None:
    """The saved layout as {'columns', 'number'}; a layout saved before mappings kept the
    file's number format is its columns alone."""
    value = session.scalar(select(Setting.value).where(Setting.key == layout_key(kind, header)))
    if not value:
        return None
    stored = json.loads(value)
    if isinstance(stored.get("columns"), dict):
        return dict(stored)
    return {"columns": stored}


def saved_for_layout(session: Session, kind: str, header: Sequence[str]) -> dict[str, str] | None:
    stored = _layout(session, kind, header)
    return dict(stored["columns"]) if stored else None


def _named(session: Session, kind: str, name: str) -> dict[str, Any]:
    name = clean_text(name, "Mapping name", max_length=60, required=True)
    value = session.scalar(select(Setting.value).where(Setting.key == NAMED_PREFIX + name))
    if value is None:
        raise NotFound(_("There is no saved mapping called '{name}'.").format(name=name))
    stored = json.loads(value)
    if stored.get("kind") != kind:
        raise ValidationError(
            _("The mapping '{name}' is for {value}, not {kind}.").format(
                name=name, value=stored.get("kind"), kind=kind
            )
        )
    return dict(stored)


def named(session: Session, kind: str, name: str) -> dict[str, str]:
    return dict(_named(session, kind, name)["columns"])


def saved_number(
    session: Session, kind: str, header: Sequence[str], name: str = ""
) -> NumberFormat | None:
    """The number format saved with the mapping named, else with this file layout; None
    when none was saved (the import then detects it from the file)."""
    stored = _named(session, kind, name) if name else _layout(session, kind, header)
    number = stored.get("number") if stored else None
    return from_dict(number) if isinstance(number, dict) else None


def save_mapping(
    session: Session,
    actor: Actor,
    kind: str,
    header: Sequence[str],
    columns: dict[str, str],
    name: str = "",
    number: NumberFormat | None = None,
) -> None:
    """Remember which column is which for this file layout (and under `name`, for
    `--mapping NAME`), and how it writes its numbers, so the next file of the same shape
    needs no mapping."""
    require(actor, Permission.DATA_IMPORT)
    resolve(kind, header, columns)  # refuse a mapping this file cannot use
    kept: dict[str, object] = {"columns": columns}
    if number is not None:
        kept["number"] = number.as_dict()
    _put(session, layout_key(kind, header), json.dumps(kept, sort_keys=True))
    if name:
        name = clean_text(name, "Mapping name", max_length=60, required=True)
        _put(session, NAMED_PREFIX + name, json.dumps({"kind": kind, **kept}))


def _put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()


def mapping_for(
    session: Session,
    kind: str,
    header: Sequence[str],
    columns: dict[str, str] | None = None,
    name: str = "",
) -> dict[str, int]:
    """The columns to read: given ones first, else the mapping named, else the one saved
    for this layout, each over the headers recognised by name."""
    mapping = auto_mapping(kind, header)
    chosen = columns
    if chosen is None and name:
        chosen = named(session, kind, name)
    if chosen is None:
        chosen = saved_for_layout(session, kind, header)
    if chosen:
        given = resolve(kind, header, chosen)
        mapping = {k: i for k, i in mapping.items() if i not in given.values()} | given
        for key, text in chosen.items():
            if not text:
                mapping.pop(key, None)  # mapped to nothing: the column is left out
    check_complete(kind, header, mapping)
    return mapping
