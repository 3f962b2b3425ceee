"""Stock by SKU and bin code: the overview's figures, adjustments with reason codes and
bin-to-bin transfers, their refusals in words, and integrity after receive -> transfer ->
adjust (SQLite and PostgreSQL through the `database` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core import auth
from app.core.auth import Role
from app.core.errors import NotFound, OutOfStock, PermissionDenied, ValidationError
from app.models import AuditEntry, Product
from app.services.stock import adjustments, inventory, overview
from app.services.stock.integrity import check
from tests import factories


@pytest.fixture
def stocked(database, admin):
    with database.write() as s:
        a, b = factories.main_bin(s), factories.bin_beside_main(s, "MAIN-B2", 2)
    pid = factories.product(database, admin)
    with database.write() as s:
        sku = s.get(Product, pid).sku
        inventory.receive(s, admin, pid, a, 10)
    return sku, pid, a, b


def _bins(database, admin, sku):
    with database.read() as s:
        data = overview.stock_for_sku(s, admin, sku)
    return {b["code"]: (b["on_hand"], b["reserved"]) for w in data["warehouses"] for b in w["bins"]}


def test_receive_transfer_adjust_keeps_integrity(database, admin, stocked):
    sku, pid, a, _b = stocked
    with database.write() as s:
        inventory.reserve(s, admin, pid, a, 3, inventory.MoveRef("order_line", 1))
        adjustments.transfer_by_code(s, admin, sku.lower(), "MAIN-STOCK", "main-b2", 4)
        adjustments.adjust_by_code(s, admin, sku, "MAIN-B2", -1, "damaged", "dropped")
        adjustments.adjust_by_code(s, admin, sku, "MAIN-STOCK", 2, "found")
    assert _bins(database, admin, sku) == {"MAIN-STOCK": (8, 3), "MAIN-B2": (3, 0)}
    with database.read() as s:
        data = overview.stock_for_sku(s, admin, sku)
        assert check(s) == []
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    [main] = data["warehouses"]
    assert (main["on_hand"], main["reserved"], main["available"], main["incoming"]) == (11, 3, 8, 0)
    assert [x for x in actions if x != "stock.move"] == [
        "stock.transfer",
        "stock.adjust",
        "stock.adjust",
    ]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (
            lambda s, a, k: adjustments.adjust_by_code(s, a, k, "MAIN-STOCK", -11, "lost"),
            OutOfStock,
            "Only 10",
        ),
        (
            lambda s, a, k: adjustments.adjust_by_code(s, a, k, "MAIN-STOCK", 1, "stolen"),
            ValidationError,
            "not one of: damaged, lost, found, correction",
        ),
        (
            lambda s, a, k: adjustments.adjust_by_code(s, a, k, "MAIN-STOCK", 2, "damaged"),
            ValidationError,
            "takes units away",
        ),
        (
            lambda s, a, k: adjustments.adjust_by_code(s, a, k, "NOWHERE", 1, "found"),
            NotFound,
            "no bin 'NOWHERE'",
        ),
        (
            lambda s, a, k: adjustments.transfer_by_code(s, a, k, "MAIN-STOCK", "main-stock", 1),
            ValidationError,
            "both the bin to take from and the bin to put into",
        ),
        (
            lambda s, a, _k: adjustments.transfer_by_code(
                s, a, "NO-SUCH", "MAIN-STOCK", "MAIN-B2", 1
            ),
            NotFound,
            "no product with SKU 'NO-SUCH'",
        ),
    ],
)
def test_refusals_in_words_write_nothing(database, admin, stocked, call, error, words):
    sku = stocked[0]
    with database.write() as s, pytest.raises(error, match=words):
        call(s, admin, sku)
    assert _bins(database, admin, sku) == {"MAIN-STOCK": (10, 0)}


@pytest.mark.parametrize("role", [Role.CLERK, Role.PICKER, Role.CASHIER])
def test_clerks_and_pickers_may_not_adjust(database, admin, stocked, role):
    sku = stocked[0]
    actor = auth.Actor(None, role.value, role.value, role, "test")
    with database.write() as s, pytest.raises(PermissionDenied):
        adjustments.adjust_by_code(s, actor, sku, "MAIN-STOCK", -1, "lost")
    assert _bins(database, admin, sku) == {"MAIN-STOCK": (10, 0)}
