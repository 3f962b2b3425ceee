"""Shopify and WooCommerce webhooks with bodies in the shops' own layout (the first
order of tests/services/channels/files/*): signed ones make one order however often they
are delivered, a bad signature is 401, WooCommerce's creation ping is 200. Both engines."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from app.models import SalesOrder
from app.services.channels.webhooks import signature
from tests.api.conftest import FILES


def _orders(database) -> int:
    with database.read() as s:
        return s.scalar(select(func.count()).select_from(SalesOrder))


def shopify_body() -> bytes:
    order = json.loads((FILES / "shopify_orders.json").read_text())["orders"][0]
    return json.dumps(order).encode()


def woo_body() -> bytes:
    order = json.loads((FILES / "woocommerce_orders.json").read_text())[0]
    for line in order["line_items"]:
        line["sku"] = line["sku"] or "GIFT"  # the gift card has no SKU in the shop's file
    return json.dumps(order).encode()


def _shopify(api, body: bytes, signed: str, event: str = "") -> object:
    headers = {"X-Shopify-Hmac-Sha256": signed, "Content-Type": "application/json"}
    if event:
        headers["X-Shopify-Event-Id"] = event
    return api.client.post("/webhooks/shopify/myshopify", content=body, headers=headers)


def _woo(api, body: bytes, signed: str, delivery: str = "") -> object:
    headers = {"X-WC-Webhook-Signature": signed, "Content-Type": "application/json"}
    if delivery:
        headers["X-WC-Webhook-Delivery-ID"] = delivery
    return api.client.post("/webhooks/woocommerce/mywoo", content=body, headers=headers)


def test_shopify_signed_once_then_replayed_ten_times(api):
    body = shopify_body()
    signed = signature("shpss_secret", body)
    started = time.perf_counter()
    first = _shopify(api, body, signed, "evt-1")
    elapsed = time.perf_counter() - started
    assert first.status_code == 200, first.text
    assert first.json()["outcome"] == "new" and first.json()["number"].startswith("SO-")
    assert elapsed < 1.0
    answers = [_shopify(api, body, signed, "evt-1").json()["outcome"] for _ in range(9)]
    assert set(answers) == {"replayed"}
    # a new delivery id for the same order: found by the shop's order id
    assert _shopify(api, body, signed, "evt-2").json()["outcome"] == "duplicate"
    assert _shopify(api, body, signed).json()["outcome"] == "duplicate"
    assert _orders(api.database) == 1
    with api.database.read() as s:
        order = s.scalar(select(SalesOrder))
        assert order.external_id == "450789469" and order.external_ref == "#1004"


def test_shopify_bad_signature_or_no_secret_is_401(api):
    body = shopify_body()
    bad = _shopify(api, body, signature("wrong secret", body), "evt-1")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized"
    tampered = _shopify(api, body.replace(b"Bob", b"Rob"), signature("shpss_secret", body))
    assert tampered.status_code == 401
    assert _shopify(api, body, "").status_code == 401
    unknown = api.client.post("/webhooks/shopify/nosuch", content=body)
    assert unknown.status_code == 404
    assert _orders(api.database) == 0


def test_woocommerce_ping_signed_bad_and_replayed(api):
    ping = api.client.post(
        "/webhooks/woocommerce/mywoo",
        content=b"webhook_id=17",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert ping.status_code == 200 and ping.json()["outcome"] == "ping"
    body = woo_body()
    assert _woo(api, body, signature("not it", body)).status_code == 401
    signed = signature("woo secret", body)
    answers = [_woo(api, body, signed, "d-9").json()["outcome"] for _ in range(10)]
    assert answers == ["new"] + ["replayed"] * 9
    assert _orders(api.database) == 1


def test_a_refused_or_unreadable_body_is_422(api):
    body = json.dumps([json.loads(shopify_body())]).encode()  # an array
    answer = _shopify(api, body, signature("shpss_secret", body))
    assert answer.status_code == 422 and answer.json()["error"]["message"]
    order = json.loads(shopify_body())
    order["line_items"][0]["sku"] = "NO-SUCH-SKU"
    unknown = json.dumps(order).encode()
    refused = _shopify(api, unknown, signature("shpss_secret", unknown))
    assert refused.status_code == 422 and "NO-SUCH-SKU" in refused.json()["error"]["message"]
    assert _orders(api.database) == 0
