"""`kestrel serve --workers 2` in a real subprocess: each process builds its app from the
environment the command sets, and both answer the API over the same database (SQLite
here; the app itself is tested on both engines in tests/api)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from app import cli


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_two_server_processes_take_orders(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert cli.main(["--database", url, "demo", "--products", "3", "--orders", "1"]) == 0
    capsys.readouterr()
    assert (
        cli.main(["--database", url, "api-key", "create", "shop", "--scopes", "orders:read"]) == 0
    )
    key = capsys.readouterr().out.strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", url, "serve", "--port", str(port)]
        + ["--workers", "2"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            answers = [http.get("/api/v1/orders/SO-000001") for _ in range(6)]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert [a.status_code for a in answers] == [200] * 6, output
    assert answers[0].json()["number"] == "SO-000001"
    assert "2 processes" in output
