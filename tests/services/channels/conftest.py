"""A Shopify source watching a folder, and files dropped in it (test_watch.py and
test_watch_worker.py)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.core.settings import set_setting
from app.services.channels import sources
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput

FILES = Path(__file__).parent / "files"


@pytest.fixture
def inbox(database, admin, tmp_path):
    """The shop's products and a Shopify source watching tmp/in (orders in USD)."""
    folder = tmp_path / "in"
    folder.mkdir()
    with database.write() as s:
        for sku, price in (("MUG-BLUE", 1500), ("BEANS-1KG", 3000), ("STICKER", 200)):
            catalogue.create_product(
                s, admin, ProductInput(sku=sku, name=sku.title(), price=price, tax_rate_bp=0)
            )
        set_setting(s, admin, "currency", "USD")
        sources.add_source(s, admin, "myshop", "shopify-csv", watch_dir=str(folder))
        sources.add_source(s, admin, "quiet", "shopify-csv")  # no folder: not looked at
    return folder


def drop(folder: Path, name: str, mtime: int, text: str | None = None) -> Path:
    path = folder / name
    if text is None:
        shutil.copy(FILES / "shopify_orders.csv", path)
    else:
        path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def report_of(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
