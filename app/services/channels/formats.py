"""Which reader a file or body goes to, by the format's name as `kestrel import orders
--format` and a source's settings spell it, or detected from the file itself."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.number_format import locale_format
from app.services.channels import amazon, mapped, shopify, woocommerce
from app.services.channels.external import Parsed
from app.services.transfer.readers import Table, detect_encoding, open_table

TableReader = Callable[[Sequence[str], Iterator[tuple[int, Sequence[str]]]], Parsed]
JsonReader = Callable[..., Parsed]

TABLE_READERS: dict[str, TableReader] = {
    shopify.CSV_FORMAT: shopify.from_csv,
    woocommerce.CSV_FORMAT: woocommerce.from_csv,
    amazon.TSV_FORMAT: amazon.from_tsv,
}
JSON_READERS: dict[str, JsonReader] = {
    shopify.JSON_FORMAT: shopify.from_json,
    woocommerce.JSON_FORMAT: woocommerce.from_json,
}
FORMATS = (*TABLE_READERS, *JSON_READERS)
MAX_JSON_BYTES = 64 * 1024 * 1024


def _rows(
    table: Table, numeric: dict[int, frozenset[int]] | None = None
) -> Iterator[tuple[int, Sequence[str]]]:
    """(number, cells) of each row; an XLSX row's number cells noted in `numeric`."""
    for row in table.rows():
        if numeric is not None and row.numeric:
            numeric[row.number] = row.numeric
        yield row.number, row.cells


def detect(path: Path) -> str:
    """The format a file is in, from its content: a JSON file's shape, a table's header."""
    if path.suffix.lower() == ".json":
        data = load_json(path)
        sample = data[0] if isinstance(data, list) and data else data
        if isinstance(sample, dict) and ("orders" in sample or "line_items" in sample):
            body = sample.get("orders", [sample])
            first = body[0] if isinstance(body, list) and body else {}
            if isinstance(first, dict) and ("billing" in first or "date_created" in first):
                return woocommerce.JSON_FORMAT
            return shopify.JSON_FORMAT
        raise ValidationError(
            _("{name}: not an order JSON Kestrel knows.").format(name=path.name), "file"
        )
    with open_table(path) as table:
        header = {h.strip().lower() for h in table.header}
    if {"order-id", "quantity-purchased"} <= header:
        return amazon.TSV_FORMAT
    if {"lineitem quantity", "name"} <= header:
        return shopify.CSV_FORMAT
    if header & {"order_id", "order id", "order_number"}:
        return woocommerce.CSV_FORMAT
    raise ValidationError(
        _(
            "{name}: its columns are not a Shopify, WooCommerce or Amazon orders "
            "export; choose the format, or import it as a mapped file."
        ).format(name=path.name),
        "file",
    )


def load_json(path: Path) -> Any:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise ValidationError(
            _("{name} is larger than {value} MB.").format(
                name=path.name, value=MAX_JSON_BYTES >> 20
            ),
            "file",
        )
    encoding = detect_encoding(path)
    try:
        return json.loads(path.read_text(encoding=encoding))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _("{name} is not valid JSON: {exc}.").format(name=path.name, exc=exc), "file"
        ) from exc


def read_file(
    path: Path | str,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    currency: str = "EUR",
    locale: str = "",
) -> tuple[str, Parsed]:
    """(format, what was read) from an export file; the format is detected when None.
    The mapped format reads columns by `mapping` (field -> header), its orders in
    `currency` unless the file has a currency column, its numbers in the format the
    mapping names, else the one its cells show, else `locale`'s."""
    path = Path(path)
    fmt = fmt or detect(path)
    if fmt == mapped.MAPPED_FORMAT:
        with open_table(path) as table:
            numeric: dict[int, frozenset[int]] = {}
            parsed = mapped.from_table(
                table.header,
                _rows(table, numeric),
                mapping,
                currency,
                locale_format(locale) if locale else None,
                numeric,
            )
            return fmt, parsed
    if fmt in JSON_READERS:
        return fmt, JSON_READERS[fmt](load_json(path))
    if fmt not in TABLE_READERS:
        raise ValidationError(
            _("{fmt!r} is not an order format Kestrel reads ({value}, mapped).").format(
                fmt=fmt, value=", ".join(FORMATS)
            ),
            "format",
        )
    with open_table(path) as table:
        return fmt, TABLE_READERS[fmt](table.header, _rows(table))


def read_body(fmt: str, body: bytes) -> Parsed:
    """One webhook body: a single order object (an array is refused)."""
    if fmt not in JSON_READERS:
        raise ValidationError(_("{fmt!r} has no webhook bodies.").format(fmt=fmt), "format")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _("The body is not valid JSON: {exc}.").format(exc=exc), "body"
        ) from exc
    return JSON_READERS[fmt](data, single=True)
