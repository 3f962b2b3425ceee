"""Helpers for the counter's tests: the till's name, a scanned product, a filled cart."""

from __future__ import annotations

from sqlalchemy import select

from app.services.sales.cart import Cart
from app.services.stock import catalogue

TILL = "Till 1"


def hit(database, code):
    with database.read() as s:
        return catalogue.find_by_code(s, code)


def cart_of(database, *product_ids):
    from app.models import Barcode

    cart = Cart()
    for pid in product_ids:
        with database.read() as s:
            code = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
        cart.add(hit(database, code))
    return cart
