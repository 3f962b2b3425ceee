"""The columns of the bulk rows the demo writes, in the order its builders make them, and
the tables whose id sequences must go on after the demo's rows."""

from __future__ import annotations

SERIAL_TABLES = (
    "products",
    "barcodes",
    "parties",
    "addresses",
    "sales_orders",
    "order_lines",
    "order_events",
    "stock_moves",
    "payments",
    "locations",
    "users",
    "warehouses",
)

ORDER_COLS = (
    "id",
    "number",
    "channel",
    "status",
    "held_from",
    "customer_id",
    "customer_name",
    "email",
    "phone",
    "ship_name",
    "ship_line1",
    "ship_city",
    "ship_postcode",
    "ship_country",
    "ship_line2",
    "ship_region",
    "warehouse_id",
    "currency",
    "subtotal",
    "tax_total",
    "total",
    "note",
    "external_ref",
    "created_at",
    "updated_at",
    "version",
)

LINE_COLS = (
    "id",
    "order_id",
    "line_no",
    "product_id",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "discount",
    "tax_rate_bp",
    "net",
    "tax",
    "total",
    "shipped",
)

EVENT_COLS = (
    "id",
    "order_id",
    "at",
    "user_id",
    "user_name",
    "workstation",
    "kind",
    "from_status",
    "to_status",
    "message",
    "data",
)

MOVE_COLS = (
    "id",
    "product_id",
    "quantity",
    "from_location_id",
    "to_location_id",
    "state",
    "origin_type",
    "origin_id",
    "reason",
    "user_id",
    "created_at",
    "done_at",
)

PAY_COLS = (
    "id",
    "order_id",
    "method",
    "kind",
    "amount",
    "tendered",
    "change",
    "reference",
    "created_at",
)
