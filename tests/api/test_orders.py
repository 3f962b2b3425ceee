"""POST/GET /api/v1/orders, /stock, /products over a real database (SQLite and
PostgreSQL): created once whatever is retried, refusals naming the field, keys and
scopes, body size and the per-key rate limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.api.server import create_app
from app.models import AuditEntry, OrderSource, Product, SalesOrder
from app.services.channels import api_keys
from app.services.stock import inventory
from tests import factories
from tests.api.conftest import order_body


def _orders(database) -> int:
    with database.read() as s:
        return s.scalar(select(func.count()).select_from(SalesOrder))


def _error(response, status: int, field: str | None = None) -> dict[str, object]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"} and error["message"]
    if field is not None:
        assert error["field"] == field, error
    return error


def test_an_order_is_created_once_by_key_and_by_external_id(api):
    headers = {**api.auth(), "Idempotency-Key": "retry-1"}
    first = api.client.post("/api/v1/orders", json=order_body(), headers=headers)
    assert first.status_code == 201, first.text
    made = first.json()
    assert made["number"].startswith("SO-") and made["status"] == "new"
    assert made["tracking_url"].startswith("http://127.0.0.1:8765/track/")
    token = made["tracking_url"].rsplit("/", 1)[1]
    assert len(token) >= 40 and made["number"] not in token
    # the same key: the first answer, even with a different body
    again = api.client.post("/api/v1/orders", json=order_body("WEB-2"), headers=headers)
    assert again.status_code == 200 and again.json() == made
    # no key, the same source + external id: the same order
    same = api.client.post("/api/v1/orders", json=order_body(), headers=api.auth())
    assert same.status_code == 200 and same.json()["number"] == made["number"]
    assert _orders(api.database) == 1
    with api.database.read() as s:
        order = s.scalar(select(SalesOrder))
        source = s.get(OrderSource, order.source_id)
        assert (source.name, source.format, order.external_id) == ("headless", "api", "WEB-1")
        assert order.total == 2 * 1495 + 2990 + 495 and order.channel == "web"
        calls = s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "api.call")
        )
        assert calls == 3


def test_the_order_reads_back_with_lines_and_tracking(api):
    made = api.client.post("/api/v1/orders", json=order_body(), headers=api.auth()).json()
    got = api.client.get(f"/api/v1/orders/{made['number']}", headers=api.auth(api.reader))
    assert got.status_code == 200, got.text
    view = got.json()
    assert view["status"] == "new" and view["tracking_url"] == made["tracking_url"]
    assert [(x["sku"], x["quantity"], x["unit_price"]) for x in view["lines"]][:2] == [
        ("MUG-BLUE", 2, "14.95"),
        ("BEANS-1KG", 1, "29.90"),
    ]
    assert view["total"] == "64.75" and view["shipments"] == []
    _error(api.client.get("/api/v1/orders/SO-999999", headers=api.auth()), 404)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"currency": "USD"}, "currency"),
        ({"lines": [{"sku": "NO-SUCH", "quantity": 1, "unit_price": "1.00"}]}, "lines[0].sku"),
        ({"lines": [{"sku": "GIFT", "quantity": -2, "unit_price": "1.00"}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "GIFT", "quantity": 1, "unit_price": "-1"}]}, "lines[0].unit_price"),
        ({"lines": [{"sku": "GIFT", "quantity": 1, "unit_price": 1.5}]}, "lines[0].unit_price"),
        ({"lines": [{"sku": "GIFT", "quantity": "two", "unit_price": "1"}]}, "lines[0].quantity"),
        ({"customer": {"email": "not an address"}}, "customer.email"),
        ({"external_id": ""}, "external_id"),
        ({"source": "bad name!"}, "source"),
    ],
)
def test_a_bad_order_is_refused_naming_the_field(api, change, field):
    response = api.client.post("/api/v1/orders", json=order_body(**change), headers=api.auth())
    _error(response, 422, field)
    assert _orders(api.database) == 0


def test_an_array_or_broken_json_is_refused(api):
    _error(api.client.post("/api/v1/orders", json=[order_body()], headers=api.auth()), 422)
    broken = api.client.post(
        "/api/v1/orders",
        content=b'{"source": ',
        headers={**api.auth(), "Content-Type": "application/json"},
    )
    _error(broken, 422)


def test_keys_missing_wrong_revoked_or_without_the_scope(api, admin):
    url, body = "/api/v1/orders", order_body()
    missing = _error(api.client.post(url, json=body), 401)
    assert "Bearer" in missing["message"]
    _error(api.client.post(url, json=body, headers=api.auth("kst_" + "x" * 43)), 401)
    _error(api.client.post(url, json=body, headers={"Authorization": "Basic abc"}), 401)
    scope = _error(api.client.post(url, json=body, headers=api.auth(api.reader)), 403)
    assert "orders:write" in scope["message"]
    with api.database.write() as s:
        api_keys.revoke_key(s, admin, "shop")
    revoked = _error(api.client.post(url, json=body, headers=api.auth()), 403)
    assert "revoked" in revoked["message"]
    assert _orders(api.database) == 0
    with api.database.read() as s:
        refused = s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "api.refused")
        )
    assert refused == 5


def test_bodies_over_one_megabyte_are_refused_unread(api):
    padding = "x" * (1024 * 1024)
    big = api.client.post("/api/v1/orders", json=order_body(notes=padding), headers=api.auth())
    assert _error(big, 413)["code"] == "too_large"

    def chunks():  # 50 MB announced by nobody: counted while it streams
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            yield chunk

    streamed = api.client.post(
        "/api/v1/orders",
        content=chunks(),
        headers={**api.auth(), "Content-Type": "application/json"},
    )
    _error(streamed, 413)
    declared = api.client.post(
        "/api/v1/orders",
        content=b"{}",
        headers={**api.auth(), "Content-Length": str(50 * 1024 * 1024)},
    )
    _error(declared, 413)
    assert _orders(api.database) == 0


def test_the_rate_limit_answers_429_with_retry_after(api):
    with TestClient(create_app(api.database, rate=1, burst=3)) as client:
        answers = [
            client.get("/api/v1/stock", params={"sku": "GIFT"}, headers=api.auth())
            for _ in range(4)
        ]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert int(answers[-1].headers["Retry-After"]) >= 1
        _error(answers[-1], 429)
        other = client.get("/api/v1/orders/SO-000001", headers=api.auth(api.reader))
        assert other.status_code == 404  # another key has its own bucket


def test_stock_per_warehouse_and_products_in_pages(api, admin):
    with api.database.write() as s:
        gift = s.scalar(select(Product.id).where(Product.sku == "GIFT"))
        inventory.receive(s, admin, gift, factories.main_bin(s), 7)
    stock = api.client.get("/api/v1/stock", params={"sku": "GIFT"}, headers=api.auth())
    assert stock.status_code == 200, stock.text
    assert stock.json()["sku"] == "GIFT"
    assert [(w["on_hand"], w["available"]) for w in stock.json()["warehouses"]] == [(7, 7)]
    _error(api.client.get("/api/v1/stock", params={"sku": "NOPE"}, headers=api.auth()), 404)
    _error(
        api.client.get("/api/v1/stock", params={"sku": "GIFT"}, headers=api.auth(api.reader)), 403
    )
    seen, cursor = [], ""
    for _ in range(5):
        page = api.client.get(
            "/api/v1/products", params={"limit": 2, "cursor": cursor}, headers=api.auth()
        )
        assert page.status_code == 200, page.text
        seen += [p["sku"] for p in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and {"MUG-BLUE", "BEANS-1KG", "GIFT"} <= set(seen)
    later = api.client.get(
        "/api/v1/products", params={"updated_since": "2999-01-01T00:00:00Z"}, headers=api.auth()
    )
    assert later.json() == {"items": [], "next_cursor": None}
    _error(
        api.client.get("/api/v1/products", params={"cursor": "nonsense"}, headers=api.auth()),
        422,
        "cursor",
    )


def test_concurrent_retries_make_one_order(api):
    from concurrent.futures import ThreadPoolExecutor

    headers = {**api.auth(), "Idempotency-Key": "same-click"}

    def post(_n: int) -> tuple[int, str]:
        answer = api.client.post("/api/v1/orders", json=order_body(), headers=headers)
        return answer.status_code, answer.json().get("number", answer.text)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(post, range(6)))
    assert sorted(code for code, _ in answers) == [200] * 5 + [201], answers
    assert len({number for _, number in answers}) == 1
    assert _orders(api.database) == 1


def test_no_key_is_401_before_the_body_is_judged(api):
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        answer = api.client.post("/api/v1/orders", json={}, headers=headers)
        assert _error(answer, 401)["code"] == "unauthorized"
        assert answer.headers["WWW-Authenticate"] == "Bearer"
    _error(api.client.post("/api/v1/orders", json={}, headers=api.auth()), 422, "source")
