"""The API in-process (Starlette's TestClient over the ASGI app) on the `database`
fixture's real SQLite file and PostgreSQL database, with a small catalogue and keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.server import create_app
from app.services.channels import api_keys, sources
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput

FILES = Path(__file__).resolve().parent.parent / "services" / "channels" / "files"
SKUS = (("MUG-BLUE", 1495), ("BEANS-1KG", 2990), ("GIFT", 1000))


@dataclass
class Api:
    client: TestClient
    database: object
    key: str  # every scope
    reader: str  # orders:read only

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}


def shop_data(database, admin) -> tuple[str, str]:
    with database.write() as s:
        for sku, price in SKUS:
            catalogue.create_product(
                s, admin, ProductInput(sku=sku, name=sku.title(), price=price, tax_rate_bp=0)
            )
        sources.add_source(s, admin, "myshopify", "shopify-json", secret="shpss_secret")
        sources.add_source(s, admin, "mywoo", "woocommerce-json", secret="woo secret")
        full = api_keys.create_key(s, admin, "shop", list(api_keys.SCOPES)).key
        reader = api_keys.create_key(s, admin, "reader", ["orders:read"]).key
    return full, reader


@pytest.fixture
def api(database, admin):
    full, reader = shop_data(database, admin)
    with TestClient(create_app(database), raise_server_exceptions=True) as client:
        yield Api(client, database, full, reader)


def order_body(external_id: str = "WEB-1", **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "source": "headless",
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"name": "Ann Byrne", "email": "ann@example.ie", "phone": "+353 1 555 0100"},
        "ship_to": {
            "name": "Ann Byrne",
            "line1": "1 Quay Street",
            "line2": "",
            "city": "Galway",
            "postcode": "H91 A2B3",
            "region": "",
            "country": "IE",
        },
        "lines": [
            {"sku": "MUG-BLUE", "quantity": 2, "unit_price": "14.95"},
            {"sku": "BEANS-1KG", "quantity": 1, "unit_price": "29.90"},
        ],
        "shipping": {"method": "An Post", "price": "4.95"},
        "notes": "Leave at the door",
    }
    body.update(changes)
    return body


def shipped_order(api, admin) -> dict[str, object]:
    """An order made over the API, then accepted, confirmed and shipped with a carrier
    whose tracking page takes the number; a staff note on it the customer must not see."""
    from sqlalchemy import select

    from app.models import Product, SalesOrder
    from app.services.fulfilment import express, shipping
    from app.services.sales import order_actions
    from app.services.stock import inventory
    from tests import factories

    with api.database.write() as s:
        for sku in ("MUG-BLUE", "BEANS-1KG"):
            product = s.scalar(select(Product.id).where(Product.sku == sku))
            inventory.receive(s, admin, product, factories.main_bin(s), 10)
        shipping.add_carrier(
            s,
            admin,
            shipping.CarrierInput(
                "AP", "An Post", "Parcel", tracking_url="https://track.example/{tracking}?x=1"
            ),
        )
    made = api.client.post("/api/v1/orders", json=order_body(), headers=api.auth()).json()
    with api.database.write() as s:
        order_id = s.scalar(select(SalesOrder.id).where(SalesOrder.number == made["number"]))
        order_actions.add_note(s, admin, order_id, "Customer rude on phone <b>internal</b>")
        order_actions.accept(s, admin, order_id)
        order_actions.confirm(s, admin, order_id)
        express.ship_unverified(s, admin, order_id, "AP", "AP123456789IE", 900)
    return made
