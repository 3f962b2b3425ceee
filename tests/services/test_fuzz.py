"""Hostile input at every entry point that takes text or numbers, on both engines: each
call answers or refuses with a domain error in words, never a raw DataError, TypeError or
decimal.Overflow (which the GUI would show as a bug)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.core import audit, auth, settings
from app.core.errors import KestrelError
from app.models import Product
from app.services import shop
from app.services.access import login, users
from app.services.channels import api_keys, api_orders, product_feed, tracking, webhooks
from app.services.fulfilment import (
    bench,
    pack_bench,
    packing,
    pick_bench,
    picking,
    return_bench,
    returns,
    shipping,
)
from app.services.notify import alerts, events, sender, smtp_settings, templates
from app.services.printing import printers
from app.services.purchasing import (
    order_status,
    orders,
    putaway,
    receive_scan,
    receiving,
    reorder,
    rules,
    suppliers,
)
from app.services.purchasing.orders import LineInput
from app.services.sales import (
    acceptance,
    accounts,
    counter,
    customer_search,
    customers,
    entry,
    gift_cards,
    order_actions,
    order_detail,
    order_editing,
    order_entry,
    order_list,
    parking,
    till,
)
from app.services.sales.cart import Cart, CartLine
from app.services.sales.counter import Tender
from app.services.sales.customers import CustomerInput
from app.services.stock import (
    adjustments,
    bin_labels,
    bins,
    catalogue,
    categories,
    count_desk,
    counts,
    history,
    inventory,
    lookup,
    lot_reports,
    overview,
    products,
    scanning,
    stock_page,
    transit,
)
from app.services.stock.catalogue import ProductInput
from tests import factories

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from("\x00\x1b\x1d\x7f\r\n\t é€\u202e\ufeffA1-"), max_size=30),
    st.integers(60, 12_000).map(lambda n: "x" * n),
    st.sampled_from(["\x00", "a\x00b", "SO-\x00001", "'; DROP TABLE x; --", "\ud800"]),
)
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True),
    st.sampled_from([True, None, "12", 10**18, -1, 0]),
)

TEXT_ENTRY_POINTS: dict[str, Callable[[Any, auth.Actor, str, dict[str, int]], object]] = {
    "login.authenticate name": lambda s, _a, t, _ids: login.authenticate(s, t, "password-1", "ws"),
    "login.authenticate workstation": lambda s, _a, t, _ids: login.authenticate(s, "x", "x", t),
    "catalogue.find_by_code": lambda s, _a, t, _ids: catalogue.find_by_code(s, t),
    "catalogue.scanned_item": lambda s, _a, t, _ids: catalogue.scanned_item(s, t),
    "catalogue.search_products": lambda s, _a, t, _ids: catalogue.search_products(s, t),
    "catalogue.create_product sku": lambda s, a, t, _ids: catalogue.create_product(
        s, a, ProductInput(t, "name", 100)
    ),
    "catalogue.create_product name": lambda s, a, t, _ids: catalogue.create_product(
        s, a, ProductInput("SKU-FUZZ", t, 100)
    ),
    "customers.create_customer": lambda s, a, t, _ids: customers.create_customer(
        s, a, CustomerInput(t, phone=t)
    ),
    "customers.search_customers": lambda s, _a, t, _ids: customers.search_customers(s, t),
    "order_detail.find_order_id": lambda s, _a, t, _ids: order_detail.find_order_id(s, t),
    "acceptance.reject": lambda s, a, t, ids: acceptance.reject(s, a, ids["order"], t),
    "acceptance.fix_order email": lambda s, a, t, ids: acceptance.fix_order(
        s, a, ids["order"], 1, email=t
    ),
    "acceptance.order_ids_by_number": lambda s, _a, t, _ids: acceptance.order_ids_by_number(s, [t]),
    "order_actions.add_note": lambda s, a, t, ids: order_actions.add_note(s, a, ids["order"], t),
    "order_actions.hold": lambda s, a, t, ids: order_actions.hold(s, a, ids["order"], t),
    "order_actions.cancel": lambda s, a, t, ids: order_actions.cancel(s, a, ids["order"], t),
    "order_entry.create_order": lambda s, a, t, ids: order_entry.create_order(
        s,
        a,
        order_entry.OrderInput(
            "phone", (order_entry.LineInput(ids["product"], 1),), ids["customer"], t, t, note=t
        ),
    ),
    "catalogue.add_barcode": lambda s, a, t, ids: catalogue.add_barcode(s, a, ids["product"], t),
    "catalogue.update_product": lambda s, a, t, ids: catalogue.update_product(
        s, a, ids["product"], name=t
    ),
    "catalogue.change_sku": lambda s, a, t, ids: catalogue.change_sku(s, a, ids["product"], t),
    "products.save": lambda s, a, t, ids: products.save(
        s,
        a,
        products.ProductForm(
            t,
            t,
            100,
            description=t,
            unit=t,
            barcodes=(catalogue.BarcodeInput(t),),
            category=t,
        ),
        ids["product"],
        t,
    ),
    "products.remove_barcode": lambda s, a, t, ids: products.remove_barcode(
        s, a, ids["product"], t
    ),
    "products.save tax class": lambda s, a, t, ids: products.save(
        s, a, products.ProductForm("SKU-T", "t", 100, tax_class=t), ids["product"]
    ),
    "products.bulk_edit tax class": lambda s, a, t, ids: products.bulk_edit(
        s, a, [ids["product"]], products.BulkEdit(tax_class=t, category=t)
    ),
    "catalogue.products_page": lambda s, _a, t, _ids: catalogue.products_page(s, t, 0, 20, 1),
    "categories.add_category": lambda s, a, t, _ids: categories.add_category(s, a, t),
    "categories.rename_category": lambda s, a, t, _ids: categories.rename_category(
        s, a, categories.add_category(s, a, "Fuzz"), t
    ),
    "customers.update_customer": lambda s, a, t, ids: customers.update_customer(
        s, a, ids["customer"], name=t, email=t, phone=t
    ),
    "parking.park": lambda s, a, t, ids: parking.park(s, a, _cart(ids["product"]), "Fuzz", t),
    "scanning.parse_scan": lambda _s, _a, t, _ids: scanning.parse_scan(t),
    "audit.search": lambda s, a, t, _ids: audit.search(s, a, t, t),
    "templates.save_template": lambda s, a, t, _ids: templates.save_template(
        s, a, "shipped", "html", t
    ),
    "templates.save_template event": lambda s, a, t, _ids: templates.save_template(
        s, a, t, "txt", "x"
    ),
    "events.set_switch": lambda s, a, t, _ids: events.set_switch(s, a, t, True),
    "smtp_settings.save_smtp_settings": lambda s, a, t, _ids: smtp_settings.save_smtp_settings(
        s, a, smtp_settings.SmtpSettings(host=t, from_address=t, reply_to=t, user=t)
    ),
    "sender.send_test": lambda s, a, t, _ids: sender.send_test(s, a, t),
    "alerts.set_alerts": lambda s, a, t, _ids: alerts.set_alerts(s, a, t),
    "order_list.list_orders": lambda s, _a, t, _ids: order_list.list_orders(
        s, order_list.OrderQuery(text=t)
    ),
    "picking.is_bin": lambda s, _a, t, _ids: picking.is_bin(s, t),
    "packing.open_for_packing_or_shipping": lambda s, _a, t, _ids: (
        packing.open_for_packing_or_shipping(s, t)
    ),
    "lookup.CodeLookup.find": lambda s, _a, t, _ids: _lookup(s, t),
    "printers.add_printer": lambda s, a, t, _ids: printers.add_printer(
        s, a, "ws", printers.PrinterInput(t, t, "receipt")
    ),
    "printers.add_printer uri": lambda s, a, t, _ids: printers.add_printer(
        s, a, "ws", printers.PrinterInput("P", "tcp://" + t, "receipt")
    ),
    "settings.set_company": lambda s, a, t, _ids: settings.set_company(s, a, t, t, t, t, t),
    "settings.set_company locale": lambda s, a, t, _ids: settings.set_company(
        s, a, "Shop", "", "EUR", t
    ),
    "gift_cards.redeem": lambda s, a, t, _ids: gift_cards.redeem(s, a, t, 100, None, t),
    "till.cash_in reason": lambda s, a, t, _ids: till.cash_in(s, a, "Fuzz", 100, t),
    "picking.find_list": lambda s, _a, t, _ids: picking.find_list(s, t),
    "packing.open_for_packing": lambda s, _a, t, _ids: packing.open_for_packing(s, t),
    "returns.find": lambda s, _a, t, _ids: returns.find(s, t),
    "bench.scan_kind": lambda _s, _a, t, _ids: bench.scan_kind(t),
    "pick_bench.open_list": lambda s, _a, t, _ids: pick_bench.open_list(s, t),
    "pack_bench.scan": lambda s, a, t, _ids: pack_bench.scan(s, a, None, t),
    "pack_bench.weigh": lambda s, a, t, ids: pack_bench.weigh(s, a, ids["order"], t),
    "pack_bench.tracking_numbers": lambda _s, _a, t, _ids: pack_bench.tracking_numbers(t),
    "return_bench.open_return": lambda s, _a, t, _ids: return_bench.open_return(s, t),
    "gift_cards.card_info": lambda s, _a, t, _ids: gift_cards.card_info(s, t),
    "till.open_session till": lambda s, a, t, _ids: till.open_session(s, a, t, 0, "ws"),
    "till.open_session workstation": lambda s, a, t, _ids: till.open_session(s, a, "Fuzz-2", 0, t),
    "shipping.add_carrier": lambda s, a, t, _ids: shipping.add_carrier(
        s, a, shipping.CarrierInput(t, t)
    ),
    "inventory.adjust reason": lambda s, a, t, ids: inventory.adjust(
        s, a, ids["product"], ids["bin"], 1, t
    ),
    "overview.stock_for_sku": lambda s, a, t, _ids: overview.stock_for_sku(s, a, t),
    "api_orders.create_order": lambda s, a, t, _ids: api_orders.create_order(
        s,
        a,
        api_orders.OrderIn(
            t, t, t, (api_orders.LineIn(t, 1, t),), t, t, t, api_orders.AddressIn(*[t] * 7), t, t, t
        ),
        idempotency_key=t,
    ),
    "api_orders.order_view": lambda s, a, t, _ids: api_orders.order_view(s, a, t),
    "product_feed.products_page": lambda s, a, t, _ids: product_feed.products_page(s, a, t, t),
    "tracking.page": lambda s, _a, t, _ids: tracking.page(s, t),
    "api_keys.authenticate": lambda s, _a, t, _ids: api_keys.authenticate(s, t, "orders:read"),
    "webhooks.receive": lambda s, _a, t, _ids: webhooks.receive(
        s, "shopify", t, t.encode("utf-8", "replace"), t, t
    ),
    "adjustments.adjust_by_code bin": lambda s, a, t, ids: adjustments.adjust_by_code(
        s, a, _sku(s, ids), t, 1, "found"
    ),
    "adjustments.adjust_by_code reason": lambda s, a, t, ids: adjustments.adjust_by_code(
        s, a, _sku(s, ids), "MAIN-STOCK", 1, t, t
    ),
    "adjustments.transfer_by_code": lambda s, a, t, _ids: adjustments.transfer_by_code(
        s, a, t, "MAIN-STOCK", t, 1
    ),
    "customer_search.find_customers": lambda s, a, t, _ids: customer_search.find_customers(s, a, t),
    "customers.save_customer": lambda s, a, t, ids: customers.save_customer(
        s, a, ids["customer"], CustomerInput(t, t, t, note=t, tax_id=t)
    ),
    "customers.add_contact": lambda s, a, t, ids: customers.add_contact(
        s, a, ids["customer"], CustomerInput(t, t, t)
    ),
    "suppliers.create_supplier": lambda s, a, t, _ids: suppliers.create_supplier(
        s, a, suppliers.SupplierInput(t, t, t, t, 0, t, t, t)
    ),
    "suppliers.list_suppliers": lambda s, a, t, _ids: suppliers.list_suppliers(s, a, t),
    "rules.set_rule text": lambda s, a, t, _ids: rules.set_rule(
        s, a, rules.RuleInput(t, t, 1, 2, 1, t)
    ),
    "rules.set_rule supplier": lambda s, a, t, ids: rules.set_rule(
        s, a, rules.RuleInput(_sku(s, ids), "MAIN", 1, 2, 1, t)
    ),
    "rules.list_rules": lambda s, a, t, _ids: rules.list_rules(s, a, t),
    "reorder.run_reorder warehouse": lambda s, a, t, _ids: reorder.run_reorder(s, a, t),
    "entry.find_customer": lambda s, _a, t, _ids: entry.find_customer(s, t),
    "entry.create_entry_order sku": lambda s, a, t, ids: entry.create_entry_order(
        s, a, entry.EntryInput((entry.EntryLine(t, 1),), customer_id=ids["customer"])
    ),
    "entry.create_entry_order text": lambda s, a, t, ids: entry.create_entry_order(
        s,
        a,
        entry.EntryInput(
            (entry.EntryLine(_sku(s, ids), 1, 1),),
            customer_id=ids["customer"],
            carrier_code=t,
            note=t,
            override_reason=t,
            payment_terms=t,
        ),
    ),
    "accounts.record_payment reference": lambda s, a, t, ids: accounts.record_payment(
        s, a, ids["order"], "card", 1, t
    ),
    "accounts.set_credit_limit_typed": lambda s, a, t, ids: accounts.set_credit_limit_typed(
        s, a, ids["customer"], t
    ),
    "users.add_user": lambda s, a, t, _ids: users.add_user(s, a, t, "long-enough-1", "clerk", t),
    "users.add_user role": lambda s, a, t, _ids: users.add_user(s, a, "fuzz", "long-enough-1", t),
    "users.reset_password": lambda s, a, t, _ids: users.reset_password(s, a, "admin", t),
    "users.set_active": lambda s, a, t, _ids: users.set_active(s, a, t, False),
    "shop.update_shop": lambda s, a, t, _ids: shop.update_shop(
        s, a, shop.ShopDetails(t, t, t, t, t, t, t, True, t, {t: 100})
    ),
    "shop.update_shop tax class": lambda s, a, t, _ids: shop.update_shop(
        s, a, shop.ShopDetails("Shop", "", tax_classes={t: 100})
    ),
    "shop.set_order_series": lambda s, a, t, _ids: shop.set_order_series(s, a, t, 10),
    "counts.start zone": lambda s, a, t, _ids: counts.start(s, a, zone_code=t),
    "counts.scan code": lambda s, a, t, _ids: counts.scan(
        s, a, counts.start(s, a, bin_code="MAIN-STOCK"), t, t
    ),
    "adjustments.adjust_by_code lot": lambda s, a, t, ids: adjustments.adjust_by_code(
        s, a, _sku(s, ids), "MAIN-STOCK", 1, "found", lot=t
    ),
    "catalogue.update_product tracking": lambda s, a, t, ids: catalogue.update_product(
        s, a, ids["product"], tracking=t
    ),
    "lot_reports.expiring warehouse": lambda s, a, t, _ids: lot_reports.expiring(s, a, 30, t),
    "lot_reports.trace sku": lambda s, a, t, _ids: lot_reports.trace(s, a, t, "L-1"),
    "lot_reports.trace lot": lambda s, a, t, ids: lot_reports.trace(s, a, _sku(s, ids), t),
    "orders.create_order supplier": lambda s, a, t, ids: orders.create_order(
        s, a, t, "MAIN", [LineInput(_sku(s, ids), 1)]
    ),
    "orders.create_order sku and note": lambda s, a, t, _ids: orders.create_order(
        s, a, _supplier(s, a), t, [LineInput(t, 1)], t
    ),
    "orders.show": lambda s, a, t, _ids: orders.show(s, a, t),
    "suppliers.create_supplier code": lambda s, a, t, _ids: suppliers.create_supplier(
        s, a, suppliers.SupplierInput("Fuzz Ltd", code=t)
    ),
    "receive_scan.scan_receipt": lambda s, a, t, ids: receive_scan.scan_receipt(
        s, a, _sent(s, a, ids), t, lot=t, serial=t
    ),
    "receiving.receive lot and bin": lambda s, a, t, ids: receiving.receive(
        s, a, _sent(s, a, ids), [receiving.ReceiptInput(_sku(s, ids), 1, t)], t
    ),
    "putaway.put_away": lambda s, a, t, _ids: putaway.put_away(s, a, t, t, 1, t, t),
    "stock_page.stock_page": lambda s, a, t, _ids: stock_page.stock_page(s, a, t, 0, 50, t),
    "bins.list_bins": lambda s, a, t, _ids: bins.list_bins(s, a, t),
    "bins.add_location": lambda s, a, t, _ids: bins.add_location(
        s, a, t, "MAIN", name=t, parent_code=t
    ),
    "bins.add_location warehouse": lambda s, a, t, _ids: bins.add_location(s, a, "MAIN-F", t),
    "bins.rename": lambda s, a, t, _ids: bins.rename(s, a, "MAIN-STOCK", t),
    "bins.deactivate": lambda s, a, t, _ids: bins.deactivate(s, a, t),
    "bins.bin_contents": lambda s, a, t, _ids: bins.bin_contents(s, a, t),
    "bin_labels.print_bin_labels": lambda s, a, t, _ids: bin_labels.print_bin_labels(
        s, a, "ws", [t]
    ),
    "count_desk.scan_code": lambda s, a, t, _ids: count_desk.scan_code(
        s, a, counts.start(s, a, bin_code="MAIN-STOCK"), t, t
    ),
    "transit.ship": lambda s, a, t, ids: transit.ship(s, a, t, t, [(_sku(s, ids), 1)]),
    "transit.receive_scan": lambda s, a, t, _ids: transit.receive_scan(s, a, t, t, t),
    "transit.move_between_bins": lambda s, a, t, ids: transit.move_between_bins(
        s, a, _sku(s, ids), "MAIN-STOCK", t, 1
    ),
}

NUMBER_ENTRY_POINTS: dict[str, Callable[[Any, auth.Actor, Any, dict[str, int]], object]] = {
    "lot_reports.expiring days": lambda s, a, n, _ids: lot_reports.expiring(s, a, n),
    "lot_reports.expiring page": lambda s, a, n, _ids: lot_reports.expiring(
        s, a, 30, offset=n, limit=n
    ),
    "acceptance.queue_page after": lambda s, a, n, _ids: acceptance.queue_page(s, a, n),
    "acceptance.queue_page limit": lambda s, a, n, _ids: acceptance.queue_page(s, a, 0, n),
    "acceptance.accept_many": lambda s, a, n, _ids: acceptance.accept_many(s, a, [n]),
    "api_orders.create_order quantity": lambda s, a, n, ids: api_orders.create_order(
        s,
        a,
        api_orders.OrderIn(
            "fuzz",
            "F-1",
            "EUR",
            (api_orders.LineIn(s.get_one(Product, ids["product"]).sku, n, "1.00"),),
            ship_to=api_orders.AddressIn("A", "1 Main St", "", "Cork", "", "", "IE"),
        ),
    ),
    "alerts.set_alerts minutes": lambda s, a, n, _ids: alerts.set_alerts(s, a, "a@shop.example", n),
    "smtp_settings.save_smtp_settings port": lambda s, a, n, _ids: smtp_settings.save_smtp_settings(
        s, a, smtp_settings.SmtpSettings("mail.example", n, from_address="o@shop.example")
    ),
    "smtp_settings.save_smtp_settings limit": lambda s, a, n, _ids: (
        smtp_settings.save_smtp_settings(
            s,
            a,
            smtp_settings.SmtpSettings(
                "mail.example", 587, from_address="o@shop.example", attachment_limit_kb=n
            ),
        )
    ),
    "counts.scan quantity": lambda s, a, n, ids: counts.scan(
        s,
        a,
        counts.start(s, a, bin_code="MAIN-STOCK"),
        "MAIN-STOCK",
        s.get_one(Product, ids["product"]).sku,
        n,
    ),
    "inventory.receive": lambda s, a, n, ids: inventory.receive(
        s, a, ids["product"], ids["bin"], n
    ),
    "inventory.adjust": lambda s, a, n, ids: inventory.adjust(
        s, a, ids["product"], ids["bin"], n, "count"
    ),
    "adjustments.adjust_by_code": lambda s, a, n, ids: adjustments.adjust_by_code(
        s, a, _sku(s, ids), "MAIN-STOCK", n, "correction"
    ),
    "adjustments.transfer_by_code": lambda s, a, n, ids: adjustments.transfer_by_code(
        s, a, _sku(s, ids), "MAIN-STOCK", "MAIN-STOCK", n
    ),
    "history.product_history page size": lambda s, a, n, ids: history.product_history(
        s, a, ids["product"], limit=n
    ),
    "stock_page.stock_page page": lambda s, a, n, _ids: stock_page.stock_page(s, a, "", n, n),
    "bins.set_sequence": lambda s, a, n, _ids: bins.set_sequence(s, a, "MAIN-STOCK", n),
    "bins.add_location sequence": lambda s, a, n, _ids: bins.add_location(
        s, a, "MAIN-N", "MAIN", sequence=n
    ),
    "transit.ship quantity": lambda s, a, n, ids: transit.ship(
        s, a, "MAIN-STOCK", _second_warehouse(s), [(_sku(s, ids), n)]
    ),
    "till.cash_out": lambda s, a, n, _ids: till.cash_out(s, a, "Fuzz", n, "bank"),
    "suppliers.create_supplier lead time": lambda s, a, n, _ids: suppliers.create_supplier(
        s, a, suppliers.SupplierInput("Fuzz Supplier", lead_time_days=n)
    ),
    "rules.set_rule min and max": lambda s, a, n, ids: rules.set_rule(
        s, a, rules.RuleInput(_sku(s, ids), "MAIN", n, n)
    ),
    "rules.set_rule multiple and lead time": lambda s, a, n, ids: rules.set_rule(
        s, a, rules.RuleInput(_sku(s, ids), "MAIN", 1, 2, n, "", n)
    ),
    "till.open_session float": lambda s, a, n, _ids: till.open_session(s, a, "Fuzz-2", n, "ws"),
    "catalogue.create_product price": lambda s, a, n, _ids: catalogue.create_product(
        s, a, ProductInput("SKU-N", "n", n)
    ),
    "products.save numbers": lambda s, a, n, ids: products.save(
        s,
        a,
        products.ProductForm(
            "SKU-N", "n", n, n, n, n, barcodes=(catalogue.BarcodeInput("CASE-N", n),)
        ),
        ids["product"],
    ),
    "products.bulk_edit price": lambda s, a, n, ids: products.bulk_edit(
        s, a, [ids["product"]], products.BulkEdit(price=n)
    ),
    "products.bulk_edit percent": lambda s, a, n, ids: products.bulk_edit(
        s, a, [ids["product"]], products.BulkEdit(percent_bp=n)
    ),
    "products.bulk_edit tax": lambda s, a, n, ids: products.bulk_edit(
        s, a, [ids["product"]], products.BulkEdit(tax_rate_bp=n)
    ),
    "categories.move_category": lambda s, a, n, _ids: categories.move_category(
        s, a, categories.add_category(s, a, "Fuzz"), n
    ),
    "order_editing.editable_order": lambda s, a, n, _ids: order_editing.editable_order(s, a, n),
    "products.set_pack_qty": lambda s, a, n, ids: products.set_pack_qty(
        s, a, ids["product"], "X", n
    ),
    "counter.complete_sale tender": lambda s, a, n, ids: counter.complete_sale(
        s, a, _cart(ids["product"]), [Tender("cash", n)], "Fuzz", "ws"
    ),
    "counter.complete_sale quantity": lambda s, a, n, ids: counter.complete_sale(
        s, a, _cart(ids["product"], quantity=n), [Tender("cash", 100)], "Fuzz", "ws"
    ),
    "counter.complete_sale price": lambda s, a, n, ids: counter.complete_sale(
        s, a, _cart(ids["product"], price=n), [Tender("cash", 100)], "Fuzz", "ws"
    ),
    "shop.set_order_series": lambda s, a, n, _ids: shop.set_order_series(s, a, "N-", n),
    "shop.update_shop rate": lambda s, a, n, _ids: shop.update_shop(
        s, a, shop.ShopDetails("Shop", "", tax_classes={"Standard": n})
    ),
    "entry.create_entry_order quantity": lambda s, a, n, ids: entry.create_entry_order(
        s, a, entry.EntryInput((entry.EntryLine(_sku(s, ids), n),), customer_id=ids["customer"])
    ),
    "entry.create_entry_order price": lambda s, a, n, ids: entry.create_entry_order(
        s,
        a,
        entry.EntryInput(
            (entry.EntryLine(_sku(s, ids), 2, n, n),),
            customer_id=ids["customer"],
            override_reason="x",
        ),
    ),
    "entry.create_entry_order shipping": lambda s, a, n, ids: entry.create_entry_order(
        s,
        a,
        entry.EntryInput(
            (entry.EntryLine(_sku(s, ids), 1),), customer_id=ids["customer"], shipping_cost=n
        ),
    ),
    "accounts.record_payment": lambda s, a, n, ids: accounts.record_payment(
        s, a, ids["order"], "card", n
    ),
    "accounts.set_credit_limit": lambda s, a, n, ids: accounts.set_credit_limit(
        s, a, ids["customer"], n
    ),
    "order_entry.create_order quantity x price": lambda s, a, n, ids: order_entry.create_order(
        s,
        a,
        order_entry.OrderInput("phone", (order_entry.LineInput(ids["product"], 1_000_000, n),)),
    ),
    "orders.create_order quantity": lambda s, a, n, ids: orders.create_order(
        s, a, _supplier(s, a), "MAIN", [LineInput(_sku(s, ids), n)]
    ),
    "orders.create_order cost": lambda s, a, n, ids: orders.create_order(
        s, a, _supplier(s, a), "MAIN", [LineInput(_sku(s, ids), 1, n)]
    ),
    "orders.list_orders page": lambda s, a, n, _ids: orders.list_orders(s, a, "", n, n),
    "receiving.receive quantity": lambda s, a, n, ids: receiving.receive(
        s, a, _sent(s, a, ids), [receiving.ReceiptInput(_sku(s, ids), n)]
    ),
    "receive_scan.scan_receipt quantity": lambda s, a, n, ids: receive_scan.scan_receipt(
        s, a, _sent(s, a, ids), _sku(s, ids), n
    ),
    "putaway.put_away quantity": lambda s, a, n, ids: putaway.put_away(
        s, a, "MAIN", _sku(s, ids), n
    ),
}


def _sku(session, ids) -> str:  # type: ignore[no-untyped-def]
    from app.models import Product

    return session.get(Product, ids["product"]).sku


def _supplier(session, actor) -> str:  # type: ignore[no-untyped-def]
    suppliers.create_supplier(session, actor, suppliers.SupplierInput("Fuzz Ltd", code="FUZZ"))
    return "FUZZ"


def _sent(session, actor, ids) -> str:  # type: ignore[no-untyped-def]
    """A sent purchase order of the fuzz product (rolled back with the case)."""
    number = orders.create_order(
        session, actor, _supplier(session, actor), "MAIN", [LineInput(_sku(session, ids), 10)]
    )
    order_status.send(session, actor, number)
    return number


def _second_warehouse(session) -> str:  # type: ignore[no-untyped-def]
    from app.models import Warehouse

    session.add(Warehouse(code="FUZZ-2", name="Second"))
    session.flush()
    return "FUZZ-2"


def _lookup(session, code: str) -> object:  # type: ignore[no-untyped-def]
    finder = lookup.CodeLookup(session.get_bind())
    try:
        return finder.find(code)
    finally:
        finder.close()


def _cart(product_id: int, quantity: object = 1, price: object = 100) -> Cart:
    cart = Cart()
    line = CartLine(product_id, "SKU", "thing", price, 0, quantity)  # type: ignore[arg-type]
    cart.lines.append(line)
    return cart


@pytest.fixture
def ids(database, admin) -> dict[str, int]:
    """Real rows, so that hostile input reaches the text and the numbers, not a NotFound."""
    product = factories.product(database, admin, price=100, tax=0, stock=5)
    customer = factories.customer(database, admin)
    with database.write() as s:
        order = order_entry.create_order(
            s,
            admin,
            order_entry.OrderInput("phone", (order_entry.LineInput(product, 1),), customer),
        )
        till.open_session(s, admin, "Fuzz", 10_000, "ws")
        return {
            "product": product,
            "customer": customer,
            "order": order.id,
            "bin": factories.main_bin(s),
        }


FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _answers_or_refuses(database, admin, call, value, ids) -> None:  # type: ignore[no-untyped-def]
    with database.write() as s:
        nested = s.begin_nested()
        try:
            call(s, admin, value, ids)
        except KestrelError as exc:
            assert exc.message.strip()
        finally:
            nested.rollback()


@pytest.mark.parametrize("name", list(TEXT_ENTRY_POINTS))
def test_text_entry_points_refuse_hostile_text_in_words(database, admin, ids, name):
    call = TEXT_ENTRY_POINTS[name]

    @FUZZ
    @given(text=HOSTILE)
    def run(text: str) -> None:
        _answers_or_refuses(database, admin, call, text, ids)

    run()


@pytest.mark.parametrize("name", list(NUMBER_ENTRY_POINTS))
def test_number_entry_points_refuse_absurd_numbers_in_words(database, admin, ids, name):
    call = NUMBER_ENTRY_POINTS[name]

    @FUZZ
    @given(number=NUMBERS)
    def run(number: object) -> None:
        _answers_or_refuses(database, admin, call, number, ids)

    run()
