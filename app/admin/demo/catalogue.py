"""Products (with EAN-13 codes and search tokens) and customers (with addresses)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from stdnum import ean

from app.admin.demo.builder import Builder, DemoStats
from app.admin.demo.data import (
    ADJECTIVES,
    BRANDS,
    CITIES,
    FIRST,
    ITEMS,
    LAST,
    STREETS,
    shelf_price,
    sku_prefix,
)
from app.core.bulk import insert_rows, next_id
from app.services.stock.search import tokens


def products(b: Builder, count: int, stats: DemoStats) -> None:
    rng = b.rng
    first = next_id(b.s, "products")
    b.first_product = first
    first_barcode = next_id(b.s, "barcodes")
    created = b.now - timedelta(days=800)

    def gen() -> Iterator[tuple[object, ...]]:
        for i in range(count):
            brand, adj = rng.choice(BRANDS), rng.choice(ADJECTIVES)
            item, sizes, tax, base = rng.choice(ITEMS)
            size = rng.randrange(len(sizes))
            name = f"{brand} {adj} {item} {sizes[size]}"
            sku = f"{sku_prefix(item)}-{i + 1:07d}"
            price = shelf_price(base, size, adj, rng)
            b.prices.append(price)
            b.taxes.append(tax)
            b.names.append((sku, name))
            b.product_bin.append(rng.choice(b.main_bins))
            if i % 50_000 == 0:
                b.tick("products", i, count)
            yield (
                first + i,
                sku,
                name,
                "",
                price,
                price * rng.randrange(45, 70) // 100,
                tax,
                rng.randrange(50, 2000),
                True,
                True,
                created,
                created,
            )

    stats.rows["products"] = insert_rows(
        b.s,
        "products",
        (
            "id",
            "sku",
            "name",
            "description",
            "price",
            "cost",
            "tax_rate_bp",
            "weight_g",
            "track_stock",
            "active",
            "created_at",
            "updated_at",
        ),
        gen(),
    )

    def codes() -> Iterator[tuple[object, ...]]:
        for i in range(count):
            body = f"20{i + 1:010d}"
            yield (first_barcode + i, body + ean.calc_check_digit(body), first + i, 1, "EAN-13")

    stats.rows["barcodes"] = insert_rows(
        b.s, "barcodes", ("id", "code", "product_id", "pack_qty", "symbology"), codes()
    )

    def words() -> Iterator[tuple[object, ...]]:
        for i, (sku, name) in enumerate(b.names):
            if i % 100_000 == 0:
                b.tick("search index", i, count)
            for token in tokens(name, sku):
                yield (token, first + i)

    stats.rows["product_tokens"] = insert_rows(
        b.s, "product_tokens", ("token", "product_id"), words()
    )


def customers(b: Builder, count: int, stats: DemoStats) -> None:
    rng = b.rng
    first = next_id(b.s, "parties")
    first_address = next_id(b.s, "addresses")
    created = b.now - timedelta(days=800)
    for i in range(count):
        given, family = rng.choice(FIRST), rng.choice(LAST)
        name = f"{given} {family}"
        email = f"{given}.{family}{i + 1}@example.com".lower().replace("'", "")
        phone = f"+353 8{rng.randrange(3, 9)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
        city, postcode, country = rng.choice(CITIES)
        street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
        b.customer_rows.append((name, email, phone, (street, city, postcode, country)))
        b.customer_ids.append(first + i)
    stats.rows["parties"] = insert_rows(
        b.s,
        "parties",
        (
            "id",
            "name",
            "email",
            "phone",
            "is_customer",
            "is_supplier",
            "is_walk_in",
            "note",
            "created_at",
        ),
        (
            (first + i, n, e, p, True, False, False, "", created)
            for i, (n, e, p, _) in enumerate(b.customer_rows)
        ),
    )
    stats.rows["addresses"] = insert_rows(
        b.s,
        "addresses",
        (
            "id",
            "party_id",
            "kind",
            "name",
            "line1",
            "line2",
            "city",
            "postcode",
            "region",
            "country",
            "is_default",
        ),
        (
            (first_address + i, first + i, "shipping", n, a[0], "", a[1], a[2], "", a[3], True)
            for i, (n, _, _, a) in enumerate(b.customer_rows)
        ),
    )
    stats.rows["party_tokens"] = insert_rows(
        b.s,
        "party_tokens",
        ("token", "party_id"),
        ((t, first + i) for i, (n, e, p, _) in enumerate(b.customer_rows) for t in tokens(n, e, p)),
    )
