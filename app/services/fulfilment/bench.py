"""What a scan at the fulfilment bench is, so the screen can hand it to the right page."""

from __future__ import annotations

from typing import Literal

from app.services.stock.scanning import parse_scan

ScanKind = Literal["pick_list", "return", "order", "other"]


def scan_kind(code: str) -> ScanKind:
    """A pick list (PL…) opens scan-to-pick, a return label (RMA…) goods-in, an order
    number packing; anything else (items, bins, tracking labels) is for the page shown."""
    text = code.strip().upper()
    if text.startswith("PL"):
        return "pick_list"
    if text.startswith("RMA"):
        return "return"
    if parse_scan(code).kind == "order":
        return "order"
    return "other"
