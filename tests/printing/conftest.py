"""Printing fixtures: fixed documents for golden files, and the printer emulator."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.admin.emulator import PrinterEmulator
from app.printing.documents import (
    Company,
    ProductLabelData,
    ReceiptData,
    ReceiptLine,
    ShippingLabelData,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KESTREL_UPDATE_GOLDEN") == "1"

COMPANY = Company("Café Kestrel", "1 Quay Street\nGalway H91", "Danke schön! Straße ñ € £")
RECEIPT = ReceiptData(
    number="SO-000123",
    at=datetime(2026, 11, 22, 10, 30, tzinfo=UTC),
    cashier="Cathy",
    lines=(
        ReceiptLine(
            2, "Organic coffee beans 500 g, a name long enough to wrap", 1230, 2460, 2300, 460
        ),
        ReceiptLine(1, "Sea salt", 350, 350, 0, 0),
    ),
    subtotal=2350,
    tax_total=460,
    total=2810,
    payments=(("cash", 3000),),
    change=190,
)
PRODUCT = ProductLabelData("Crème brûlée dessert, 4 pack", "CRB-0001", "€4.50", "4006381333931")
SHIPMENT = ShippingLabelData(
    sender=("Café Kestrel", "1 Quay Street", "Galway H91", "IE"),
    recipient=("Orla Walsh", "2 Main Street", "Dublin D02 X285", "IE"),
    order_number="SO-000123",
    tracking="1Z999AA10123456784",
    carrier="UPS Standard",
    package=1,
    packages=2,
    weight_g=1250,
)


def golden(name: str, data: bytes) -> bytes:
    """The stored golden bytes (written when KESTREL_UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no golden file {name}; run with KESTREL_UPDATE_GOLDEN=1 once")
        path.write_bytes(data)
    return path.read_bytes()


@pytest.fixture(autouse=True)
def local_timezone(monkeypatch):
    """Receipts show local time: pin it, so golden files match on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()


@pytest.fixture
def emulator(tmp_path):
    with PrinterEmulator(port=0, out_dir=tmp_path / "printed") as printer:
        yield printer
