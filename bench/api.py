"""`python -m bench.api [--database URL] [--orders N]`: the push API's figures (issue 17).

Runs `kestrel serve` in its own process on a free port over URL (default: a fresh
PostgreSQL database on the local test server, dropped afterwards), then
- order creation: N `POST /api/v1/orders` from 4 client connections (orders/s; target
  >= 200 on PostgreSQL), next to its floor: `GET /openapi.json` the same way (a round
  trip through the same server and client with no database work);
- webhook answer: 300 signed Shopify deliveries one after another (p50 / p99 in ms;
  target p99 <= 200).
Nothing here is a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg

from app import db
from app.core import auth
from app.core.bootstrap import ensure_base_data
from app.services.channels import api_keys, sources
from app.services.channels.webhooks import signature
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput

CLIENTS = 4
FILES = Path(__file__).resolve().parent.parent / "tests" / "services" / "channels" / "files"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(url: str) -> str:
    database = db.Database.open(url)
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
        for sku in ("MUG-BLUE", "BEANS-1KG"):
            catalogue.create_product(
                s, auth.SYSTEM, ProductInput(sku=sku, name=sku, price=1000, tax_rate_bp=0)
            )
        sources.add_source(s, auth.SYSTEM, "bench-shopify", "shopify-json", secret="s3cret")
        key = api_keys.create_key(s, auth.SYSTEM, "bench", list(api_keys.SCOPES)).key
    database.dispose()
    return key


def _body(n: int) -> dict[str, object]:
    return {
        "source": "bench",
        "external_id": f"B-{n}",
        "currency": "EUR",
        "customer": {"name": "Ann Byrne", "email": f"ann{n % 500}@example.ie"},
        "ship_to": {"line1": "1 Quay Street", "city": "Galway", "country": "IE"},
        "lines": [
            {"sku": "MUG-BLUE", "quantity": 2, "unit_price": "14.95"},
            {"sku": "BEANS-1KG", "quantity": 1, "unit_price": "29.90"},
        ],
    }


def _rate(base: str, key: str, count: int, request) -> float:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"}

    def client(part: range) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            for n in part:
                answer = request(http, n)
                assert answer.status_code < 300, answer.text

    parts = [range(i, count, CLIENTS) for i in range(CLIENTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, parts))
    return count / (time.perf_counter() - started)


def _webhooks(base: str, deliveries: int) -> tuple[float, float]:
    order = json.loads((FILES / "shopify_orders.json").read_text())["orders"][0]
    times = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for n in range(deliveries):
            order["id"] = 10_000_000 + n
            body = json.dumps(order).encode()
            headers = {
                "X-Shopify-Hmac-Sha256": signature("s3cret", body),
                "X-Shopify-Event-Id": f"evt-{n}",
                "Content-Type": "application/json",
            }
            started = time.perf_counter()
            answer = http.post("/webhooks/shopify/bench-shopify", content=body, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, answer.text
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def run(url: str, orders: int, workers: int = 1) -> None:
    key = _prepare(url)
    port = _port()
    env = {**os.environ, "KESTREL_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--rate", "100000"]
        + ["--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        floor = _rate(base, key, orders, lambda http, _n: http.get("/openapi.json"))
        made = _rate(base, key, orders, lambda http, n: http.post("/api/v1/orders", json=_body(n)))
        p50, p99 = _webhooks(base, 300)
    finally:
        server.terminate()
        server.wait(10)
    print(f"{'figure':<40} {'value':>10}  floor / target  ({workers} server process(es))")
    print(
        f"{'API order creation, 4 clients':<40} {made:>8.0f}/s  GET /openapi.json {floor:.0f}/s;"
        " >= 200/s on PostgreSQL"
    )
    print(f"{'webhook answer p50':<40} {p50:>8.1f}ms")
    print(f"{'webhook answer p99':<40} {p99:>8.1f}ms  <= 200 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="kestrel serve --workers N")
    args = parser.parse_args()
    if args.database:
        run(args.database, args.orders, args.workers)
        return
    admin = os.environ.get("KESTREL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"kestrel_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run(admin.rsplit("/", 1)[0] + f"/{name}", args.orders, args.workers)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
