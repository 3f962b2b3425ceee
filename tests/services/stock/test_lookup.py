"""The scanner's fast look-up agrees with the catalogue service on both engines."""

from __future__ import annotations

from app.services.stock import catalogue
from app.services.stock.catalogue import BarcodeInput, ProductInput
from app.services.stock.lookup import CodeLookup


def test_fast_lookup_matches_service_and_sees_new_products(database, admin):
    with database.write() as s:
        pid = catalogue.create_product(
            s,
            admin,
            ProductInput("TEA-1", "Green Tea", 450, barcodes=(BarcodeInput("CASE-TEA", 6),)),
        )
    lookup = CodeLookup(database.engine)
    try:
        hit = lookup.find("CASE-TEA")
        assert (hit.product_id, hit.pack_qty, hit.matched) == (pid, 6, "barcode")
        with database.read() as s:
            assert catalogue.find_by_code(s, "CASE-TEA") == hit
        assert lookup.find("TEA-1").matched == "sku"
        assert lookup.find("nothing") is None
        assert lookup.find("") is None
        assert lookup.find("x" * 65) is None
        # a product added after the lookup opened its connection is found at once
        with database.write() as s:
            catalogue.add_barcode(s, admin, pid, "4006381333931")
        assert lookup.find("4006381333931").product_id == pid
    finally:
        lookup.close()
    assert lookup.find("TEA-1").product_id == pid  # reopens after close
    lookup.close()
