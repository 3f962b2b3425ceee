"""Scans at the counter: a code adds its product to the cart, a receipt starts a refund,
typed words search the catalogue by name.

The scan itself (parse -> look up -> cart line) stays on the GUI thread on purpose: the
scanner's lookup is a prepared statement on its own connection, measured at 0.04 ms median
(bench: "scan to cart line"); a round trip through the thread pool would cost more than
the lookup. What follows a scan (the shelf check) and the name search are operations.
"""

from __future__ import annotations

from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.sales.cart import CartLine
from app.services.sales.checkout import shelf_shortfall
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductHit, ProductRow
from app.services.stock.scanning import parse_scan
from app.views.counter.host import CounterHost
from app.views.ops import query


class Scans:
    def __init__(self, screen: CounterHost) -> None:
        self.screen = screen
        self._said = 0  # counts what the message line said, so a late answer cannot overwrite

    def handle(self, code: str) -> bool:
        """A scan at the counter adds its product; an order number starts a refund."""
        screen = self.screen
        screen.change_label.clear()
        scan = parse_scan(code)
        if scan.kind == "order":
            return screen.start_refund(scan.order_number)
        if screen.saving:
            screen.say_error(_("One moment: the sale is being saved. Scan it again."))
            return True
        if not scan.ok:
            self._say(scan.error, error=True)
            return True
        for candidate in scan.codes:
            hit = self.find(candidate)  # synchronous on purpose: see the module's docstring
            if hit is not None:
                try:
                    line = screen.cart.add(hit, hit.pack_qty * scan.quantity)
                except ValidationError as exc:
                    self._say(exc.message, error=True)
                    return True
                if len(screen.cart.lines) == 1 and not self._till_is_open():
                    self._say(
                        _(
                            "{product} is on the sale, but till {till} is closed: "
                            "F9 opens it with a float before you take the payment."
                        ).format(product=line.name, till=screen.till),
                        error=True,
                    )
                else:
                    self._say_added(line)
                screen.refresh()
                return True
        self._say(_("Unknown code {code}: no product has it.").format(code=code), error=True)
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self._said += 1
        self.screen.say(text, error)

    def _till_is_open(self) -> bool:
        """Said at the first scan of a sale, so a closed till is said before the cashier
        has scanned, discounted and counted the cash (offline sales need no open till).
        The till's state is the last one read (every change of it reads it again)."""
        return self.screen.offline or self.screen.drawer.is_open is not False

    def find(self, code: str) -> ProductHit | None:
        """The scanner's lookup; from the journal's cached catalogue while offline (and
        every hit online is remembered there, so the cache follows what sells)."""
        screen = self.screen
        if not screen.offline:
            try:
                hit = screen.lookup.find(code)
            except Exception:  # noqa: BLE001 (any driver error: the server is away)
                screen.offline_mode.go_offline()
            else:
                if hit is not None:
                    screen.journal.remember(code, hit)
                return hit
        return screen.journal.find(code)

    def _say_added(self, line: CartLine) -> None:
        """Tell at the scan, not at the payment, when the shop's stock cannot cover a line
        (the shelf is read after the line is on the sale: the scan does not wait for it)."""
        screen = self.screen
        if screen.offline:
            self._say(
                _("{product}: {quantity}  (offline)").format(
                    product=line.name, quantity=line.quantity
                )
            )
            return
        self._say(f"{line.name}: {line.quantity}")
        said, name, quantity, product_id = self._said, line.name, line.quantity, line.product_id

        def checked(free: int | None) -> None:
            if free is not None and said == self._said:
                self._say(
                    _(
                        "{product}: {quantity} — but the shop's stock shows only {free}. "
                        "Count the shelf or move stock to the shop before paying."
                    ).format(product=name, quantity=quantity, free=free),
                    error=True,
                )

        query(screen, screen.ctx, lambda s: shelf_shortfall(s, product_id, quantity)).on_success(
            checked
        ).message(screen.say_error).run()

    def typed_code(self) -> None:
        """Typed text: a code if it is one, else words of a product's name to pick from."""
        screen = self.screen
        text = screen.input.text().strip()
        screen.input.clear()
        if not text:
            return
        screen.change_label.clear()
        scan = parse_scan(text)
        if scan.kind != "code" or any(screen.lookup.find(code) for code in scan.codes):
            screen.handle_scan(text)
            return
        query(screen, screen.ctx, lambda s: catalogue.search_products(s, text, 0, 21)).on_success(
            lambda found: self._search_found(text, found)
        ).message(screen.say_error).run()

    def _search_found(self, text: str, found: list[ProductRow]) -> None:
        screen = self.screen
        if not found:
            self._say(_("Nothing matches '{text}'.").format(text=text), error=True)
            return
        product = found[0] if len(found) == 1 else screen.choose_product(found)
        if product is not None:
            screen.handle_scan(product.sku)
