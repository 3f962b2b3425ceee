"""The API's bodies as the OpenAPI document shows them. Shapes and sizes only: what an
order may be is the services' to say (app/services/channels/api_orders.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.services.channels import api_orders


class Customer(BaseModel):
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)


class ShipTo(BaseModel):
    name: str = Field("", max_length=200)
    line1: str = Field(..., max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field(..., max_length=100)
    postcode: str = Field("", max_length=20)
    region: str = Field("", max_length=100)
    country: str = Field(..., max_length=2, description="ISO 3166 alpha-2")


class Line(BaseModel):
    sku: str = Field(..., max_length=64)
    quantity: int
    unit_price: str = Field(..., max_length=20, examples=["12.50"])


class Shipping(BaseModel):
    method: str = Field("", max_length=100)
    price: str = Field("0", max_length=20, examples=["4.95"])


class OrderBody(BaseModel):
    source: str = Field(..., max_length=60, description="made on first use (format api)")
    external_id: str = Field(..., max_length=100)
    currency: str = Field(..., max_length=3)
    customer: Customer = Field(default_factory=Customer)
    ship_to: ShipTo
    lines: list[Line] = Field(..., max_length=500)
    shipping: Shipping = Field(default_factory=Shipping)
    notes: str = Field("", max_length=5000)

    def as_input(self) -> api_orders.OrderIn:
        s = self.ship_to
        return api_orders.OrderIn(
            source=self.source,
            external_id=self.external_id,
            currency=self.currency,
            lines=tuple(api_orders.LineIn(x.sku, x.quantity, x.unit_price) for x in self.lines),
            customer_name=self.customer.name,
            email=self.customer.email,
            phone=self.customer.phone,
            ship_to=api_orders.AddressIn(
                s.name, s.line1, s.line2, s.city, s.postcode, s.region, s.country
            ),
            shipping_method=self.shipping.method,
            shipping_price=self.shipping.price,
            notes=self.notes,
        )


class OrderCreated(BaseModel):
    number: str
    status: str
    tracking_url: str


class TrackingNumber(BaseModel):
    number: str
    url: str


class ShipmentOut(BaseModel):
    carrier: str
    status: str
    tracking: list[TrackingNumber]


class LineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: str
    total: str
    shipped: int


class OrderOut(BaseModel):
    number: str
    status: str
    currency: str
    total: str
    external_id: str | None
    lines: list[LineOut]
    shipments: list[ShipmentOut]
    tracking_url: str


class WarehouseStock(BaseModel):
    code: str
    on_hand: int
    reserved: int
    available: int


class StockOut(BaseModel):
    sku: str
    name: str
    warehouses: list[WarehouseStock]


class ProductOut(BaseModel):
    sku: str
    name: str
    price: str
    currency: str
    active: bool
    updated_at: str


class ProductPage(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None


class WebhookAnswer(BaseModel):
    outcome: str
    number: str | None
    reasons: list[str]
