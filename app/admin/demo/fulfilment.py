"""The fulfilment side of the demo's past and present: carriers, a wave being picked, and a
parcel with a tracking number for every order that left."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.admin.demo.builder import Builder, DemoStats
from app.admin.demo.data import DEMO_CARRIERS, DEMO_WAVE
from app.core.bootstrap import default_warehouse_id
from app.core.bulk import insert_rows, next_id, sync_sequences
from app.models import NumberSequence, SalesOrder


def fulfilment(b: Builder) -> None:
    """Carriers, and one wave of confirmed orders being picked: through the real
    services, so the pick list is exactly what the fulfilment screen would make."""
    from app.services.fulfilment import shipping, waves

    for code, name, service, pattern, template, url in DEMO_CARRIERS:
        shipping.add_carrier(
            b.s,
            b.demo,
            shipping.CarrierInput(code, name, service, pattern, template, url),
        )
    main = default_warehouse_id(b.s)
    confirmed = b.s.scalars(
        select(SalesOrder.id)
        .where(SalesOrder.status == "confirmed", SalesOrder.warehouse_id == main)
        .order_by(SalesOrder.id.desc())
        .limit(DEMO_WAVE * 2)
    ).all()
    wave = confirmed[: min(DEMO_WAVE, len(confirmed) // 2)]  # leave some to pick
    if wave:
        waves.create_wave(b.s, b.demo, list(wave))


def shipments(b: Builder, stats: DemoStats) -> None:
    """A parcel with a Kestrel Post tracking number for every order that left, so the
    order shows where it is and can come back as a return; the carrier's number series
    goes on from there."""
    from app.models import Carrier
    from app.services.fulfilment.shipping import SERIES_PREFIX

    carrier = b.s.scalar(select(Carrier).where(Carrier.code == DEMO_CARRIERS[0][0]))
    if carrier is None or not b.sent:
        return
    first_shipment = next_id(b.s, "shipments")
    template = carrier.tracking_template
    rng = b.rng

    def when(created: datetime) -> tuple[datetime, datetime]:
        shipped = created + timedelta(hours=rng.randrange(4, 48))
        return shipped, shipped + timedelta(days=rng.randrange(1, 4))

    dates = [when(created) for _, created, _ in b.sent]
    stats.rows["shipments"] = insert_rows(
        b.s,
        "shipments",
        (
            "id",
            "order_id",
            "carrier_id",
            "status",
            "note",
            "user_id",
            "shipped_at",
            "delivered_at",
        ),
        (
            (
                first_shipment + n,
                order_id,
                carrier.id,
                "delivered" if done else "shipped",
                "",
                None,
                dates[n][0],
                dates[n][1] if done else None,
            )
            for n, (order_id, _, done) in enumerate(b.sent)
        ),
    )
    _packages(b, first_shipment, template, dates, stats)
    sync_sequences(b.s, ("shipments", "packages"))
    b.s.add(
        NumberSequence(
            name=f"{SERIES_PREFIX}{carrier.code}"[:40],
            prefix="",
            width=0,
            next_value=len(b.sent) + 1,
        )
    )
    b.s.flush()


def _packages(
    b: Builder,
    first_shipment: int,
    template: str,
    dates: list[tuple[datetime, datetime]],
    stats: DemoStats,
) -> None:
    """One parcel in each shipment, numbered from the carrier's template."""
    rng = b.rng
    first_package = next_id(b.s, "packages")
    stats.rows["packages"] = insert_rows(
        b.s,
        "packages",
        (
            "id",
            "order_id",
            "number",
            "weight_g",
            "status",
            "shipment_id",
            "tracking_number",
            "user_id",
            "created_at",
        ),
        (
            (
                first_package + n,
                order_id,
                1,
                rng.randrange(200, 4000),
                "shipped",
                first_shipment + n,
                template.format(n=n + 1),
                None,
                dates[n][0],
            )
            for n, (order_id, _, _) in enumerate(b.sent)
        ),
    )
