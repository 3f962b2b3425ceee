"""Changing the sale on the counter: quantity, price (a manager approves below cost),
discounts, the customer, removing a line, parking and resuming, and selling a gift card.
The rules are the services' (counter, tendering, parking, gift cards); reads and writes
run off the GUI thread as operations."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import QDialog, QInputDialog

from app.core.auth import Actor
from app.core.errors import KestrelError, PermissionDenied, ValidationError
from app.core.i18n import _, ngettext
from app.core.money import parse_money
from app.services.sales import customers, parking, tendering
from app.services.sales.cart import Cart, CartLine, check_discount, check_price, spread_discount
from app.services.sales.checkout import gift_card_line
from app.services.sales.customers import CustomerRow
from app.services.stock.catalogue import ProductHit
from app.views.counter.host import CounterHost
from app.views.counter.payment import GiftCardDialog
from app.views.ops import op, query


class CartEdits:
    """The F-keys that change the sale; they ask through the screen (so tests can answer)."""

    def __init__(self, screen: CounterHost) -> None:
        self.screen = screen

    def _selected_line(self) -> CartLine | None:
        row = self.screen.current_row()
        return None if row is None else self.screen.cart.lines[row]

    def change_quantity(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        value = self.screen.ask_quantity(line.quantity, line.name)
        if value is not None:
            line.quantity = value
            self.screen.refresh()

    def change_price(self) -> None:
        """A price change; below cost it needs a manager, who signs it here."""
        screen = self.screen
        line = self._selected_line()
        if line is None:
            return
        text = screen.ask_price(line.unit_price)
        if text is None:
            return
        try:
            price = parse_money(text, screen.ctx.currency, screen.ctx.locale)
        except ValidationError as exc:
            screen.say_error(exc.message)
            return
        self._check_price(line, price, screen.ctx.actor)

    def _check_price(self, line: CartLine, price: int, actor: Actor, manager: bool = False) -> None:
        screen, product_id = self.screen, line.product_id

        def refused(exc: KestrelError) -> None:
            if not isinstance(exc, PermissionDenied) or manager:
                screen.say_error(exc.message)
                return
            approver = screen.ask_manager(
                _("{product} at {price}: {reason}").format(
                    product=line.name, price=screen.ctx.money(price), reason=exc.message
                )
            )
            if approver is None:
                screen.say_error(_("Price not changed: a manager did not approve it."))
                return
            self._check_price(line, price, approver, manager=True)

        def allowed(_price: int) -> None:
            line.unit_price = price
            line.approved_by = actor.display_name if manager else ""
            said = (
                _("{product}: {price} (approved by {manager})") if manager else "{product}: {price}"
            )
            screen.say(
                said.format(
                    product=line.name, price=screen.ctx.money(price), manager=line.approved_by
                )
            )
            screen.refresh()

        query(screen, screen.ctx, lambda s: check_price(s, actor, product_id, price)).on_success(
            allowed
        ).on_failure(refused).run()

    def discount(self) -> None:
        """F8: '10%' or '2.50' off the selected line; '*5%' or '*3.00' off the whole sale.
        Above 10 % a manager approves in place."""
        screen = self.screen
        row = screen.current_row()
        text = screen.ask_text(
            _("Discount"), _("Off this line: 10% or 2.50 — off the sale: *10% or *5.00")
        )
        if text is None or row is None:
            return
        whole, text = tendering.parse_discount(text)
        lines = screen.cart.lines if whole else [screen.cart.lines[row]]
        gross = tendering.gross_of(lines)
        try:
            amount = tendering.discount_amount(text, gross, screen.ctx.currency)
            try:
                check_discount(screen.ctx.actor, gross, amount)
            except PermissionDenied as refused:
                asked = (
                    _("A discount of {amount} on the sale: {reason}")
                    if whole
                    else _("A discount of {amount} on {product}: {reason}")
                )
                manager = screen.ask_manager(
                    asked.format(
                        amount=screen.ctx.money(amount),
                        product=lines[0].name,
                        reason=refused.message,
                    )
                )
                if manager is None:
                    screen.say_error(_("No discount: a manager did not approve it."))
                    return
                check_discount(manager, gross, amount)
            if whole:
                spread_discount(screen.cart, amount)
            else:
                lines[0].discount += amount
        except KestrelError as exc:
            screen.say_error(exc.message)
            return
        said = _("Discount {amount} on the sale.") if whole else _("Discount {amount}.")
        screen.say(said.format(amount=screen.ctx.money(amount)))
        screen.refresh()

    def choose_customer(self) -> None:
        """F5: find the customer by name, e-mail or phone, or add them; walk-in otherwise."""
        screen = self.screen
        text = screen.ask_text(_("Customer"), _("Name, e-mail or phone (empty: walk-in):"))
        if text is None:
            return
        if not text.strip():
            screen.cart.customer_id = None
            screen.say(_("Walk-in customer."))
            return
        query(screen, screen.ctx, lambda s: customers.search_customers(s, text, 20)).on_success(
            lambda found: self._customers_found(text, found)
        ).message(screen.say_error).run()

    def _customers_found(self, text: str, found: list[CustomerRow]) -> None:
        screen = self.screen
        if not found:
            if not screen.confirm_new_customer(text.strip()):
                screen.say(
                    _("No customer matches '{text}'; none was added.").format(text=text.strip())
                )
                return
            cart, actor = screen.cart, screen.ctx.actor

            def added(party_id: int) -> None:
                cart.customer_id = party_id
                screen.say(_("New customer {name} added to this sale.").format(name=text))

            op(
                screen,
                screen.ctx,
                lambda s: customers.create_customer(s, actor, customers.CustomerInput(name=text)),
            ).on_success(added).message(screen.say_error).run()
            return
        labels = [f"{c.name} — {c.email or c.phone} — {c.city}" for c in found]
        label = labels[0]
        if len(found) > 1:
            label, ok = QInputDialog.getItem(
                screen, _("Customer"), _("Which one?"), labels, 0, False
            )
            if not ok:
                return
        chosen = found[labels.index(label)]
        screen.cart.customer_id = chosen.id
        screen.say(_("Customer: {name}.").format(name=chosen.name))

    def remove_line(self) -> None:
        row = self.screen.current_row()
        if row is not None:
            removed = self.screen.cart.lines.pop(row)
            self.screen.say(_("Removed {product}.").format(product=removed.name))
            self.screen.refresh()

    def park(self) -> None:
        """Put the sale aside (the customer forgot something) and serve the next one.
        Parked sales live in the database: a restart or another till can resume them."""
        screen = self.screen
        if screen.saving:  # this very cart is being sold or parked
            screen.say_error(_("One moment: the sale is being saved."))
            return
        if not screen.cart.lines:
            screen.say_error(_("There is nothing to park."))
            return
        cart = copy.deepcopy(screen.cart)  # the worker's own copy of what is parked
        total, items = screen.ctx.money(cart.totals()[2]), sum(ln.quantity for ln in cart.lines)
        actor, till = screen.ctx.actor, screen.till

        def parked(_id: int) -> None:
            screen.cart = Cart()
            screen.say(
                ngettext(
                    "Sale parked ({items} item, {total}). F7 brings it back.",
                    "Sale parked ({items} items, {total}). F7 brings it back.",
                    items,
                ).format(items=items, total=total)
            )
            screen.refresh()

        screen.saving = True
        op(screen, screen.ctx, lambda s: parking.park(s, actor, cart, till)).on_success(
            parked
        ).message(screen.say_error).busy(screen.buttons["park"]).finally_(screen.saved).run()

    def resume(self) -> None:
        screen = self.screen
        if screen.cart.lines:
            screen.say_error(_("Pay or park the sale on the counter first."))
            return
        query(screen, screen.ctx, parking.parked).on_success(self._choose_parked).message(
            screen.say_error
        ).run()

    def _choose_parked(self, rows: list[parking.ParkedRow]) -> None:
        screen = self.screen
        if not rows:
            screen.say_error(_("No sale is parked."))
            return
        parked_id = screen.choose_parked(rows)
        if parked_id is None:
            return
        actor = screen.ctx.actor

        def resumed(cart: Cart) -> None:
            screen.cart = cart
            screen.say(_("Sale resumed."))
            screen.refresh()

        op(screen, screen.ctx, lambda s: parking.resume(s, actor, parked_id)).on_success(
            resumed
        ).message(screen.say_error).busy(screen.buttons["resume"]).run()

    def sell_gift_card(self) -> None:
        """F10: a gift card on the cart. Scan a pre-printed card or leave the code empty for
        a new GC code; the receipt carries the code as a barcode."""
        screen = self.screen
        dialog = GiftCardDialog(screen.ctx, screen)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            amount = parse_money(dialog.amount.text(), screen.ctx.currency, screen.ctx.locale)
        except ValidationError as exc:
            screen.say_error(exc.message)
            return
        code = dialog.code.text()

        def checked(found: tuple[str, ProductHit]) -> None:
            card, hit = found
            try:
                line = screen.cart.add_gift_card(hit, card, amount)
            except KestrelError as exc:
                screen.say_error(exc.message)
                return
            screen.say(f"{line.name}: {screen.ctx.money(amount)}")
            screen.refresh()

        op(screen, screen.ctx, lambda s: gift_card_line(s, code, amount)).on_success(
            checked
        ).message(screen.say_error).busy(screen.buttons["gift_card"]).run()
