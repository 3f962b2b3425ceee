"""The scanner's hot path: barcode or SKU to product, in microseconds.

A scan must land in the cart at once even on a million products, so this skips the ORM:
one dedicated read connection and two fixed, parameterised statements on unique
indexes. It is the one service that holds its own connection rather than taking the
caller's session, because a session per keystroke burst costs ten times the query.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine

from app.core.validation import clean_text
from app.services.stock.catalogue import ProductHit

log = logging.getLogger("kestrel.lookup")

_BY_BARCODE = (
    "SELECT p.id, p.sku, p.name, p.price, p.tax_rate_bp, b.pack_qty, p.active FROM barcodes b "
    "JOIN products p ON p.id = b.product_id WHERE b.code = {p}"
)
_BY_SKU = "SELECT id, sku, name, price, tax_rate_bp, 1, active FROM products WHERE sku = {p}"


class CodeLookup:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        mark = "%s" if engine.dialect.name == "postgresql" else "?"
        self._statements = (_BY_BARCODE.format(p=mark), _BY_SKU.format(p=mark))
        self._pooled: Any = None
        self._raw: Any = None

    def _connection(self) -> Any:
        if self._raw is None:
            self._pooled = self._engine.raw_connection()
            self._raw = self._pooled.driver_connection
            if self._engine.dialect.name == "postgresql":
                self._raw.autocommit = True  # no transaction left idle between scans
        return self._raw

    def find(self, code: str) -> ProductHit | None:
        """The product a code stands for, or None. A lost connection is reopened once."""
        if not isinstance(code, str) or not code.strip() or len(code.strip()) > 64:
            return None
        code = clean_text(code, "Code", max_length=64)
        for attempt in (1, 2):
            try:
                return self._find(code)
            except self._engine.dialect.loaded_dbapi.Error:
                self.close()
                if attempt == 2:
                    raise
                log.info("lookup connection lost; reconnecting")
        return None

    def _find(self, code: str) -> ProductHit | None:
        conn = self._connection()
        for statement, matched in zip(self._statements, ("barcode", "sku"), strict=True):
            cursor = conn.execute(statement, (code,))
            row = cursor.fetchone()
            if row is not None:
                return ProductHit(
                    row[0], row[1], row[2], row[3], row[4], row[5], matched, bool(row[6])
                )
        return None

    def close(self) -> None:
        if self._pooled is not None:
            if self._engine.dialect.name == "postgresql":
                try:
                    self._raw.autocommit = False
                except Exception:  # a dead connection cannot change mode; the pool drops it
                    log.debug("could not reset autocommit", exc_info=True)
            self._pooled.close()
        self._pooled = self._raw = None
