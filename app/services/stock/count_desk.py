"""The counting desk of the Inventory screen: one scan at a time, as a stock keeper walks.
A bin's label chooses the bin being counted; a product's code counts one unit of it (a
case code its pack) in that bin, through counts.scan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import Location, LocationKind, StockCountBin
from app.services.stock import counts
from app.services.stock.counts import ScanResult


@dataclass(frozen=True)
class DeskScan:
    bin: str  # the bin being counted after this scan
    result: ScanResult | None  # None: the scan chose the bin


def count_bins(session: Session, actor: Actor, count_id: int) -> list[str]:
    """The codes of the bins an open count holds, in walking order."""
    require(actor, Permission.STOCK_RECEIVE)
    return list(
        session.scalars(
            select(Location.code)
            .join(StockCountBin, StockCountBin.location_id == Location.id)
            .where(StockCountBin.count_id == count_id)
            .order_by(Location.pick_sequence, Location.code)
        )
    )


def scan_code(
    session: Session, actor: Actor, count_id: int, current_bin: str, code: str
) -> DeskScan:
    """A bin label switches the bin (it must be in this count); anything else is a
    product counted in the current bin, which a bin label must have chosen first."""
    require(actor, Permission.STOCK_RECEIVE)
    code = clean_text(code, "Code", max_length=64, required=True)
    location = session.scalar(select(Location).where(Location.code == code.upper()))
    location = location or session.scalar(select(Location).where(Location.code == code))
    if location is not None and location.kind == LocationKind.INTERNAL:
        held = session.get(StockCountBin, location.id)
        if held is None or held.count_id != count_id:
            raise ValidationError(
                _("Bin {code} is not part of {value}.").format(
                    code=location.code, value=counts.number(count_id)
                ),
                "bin",
            )
        return DeskScan(location.code, None)
    if not current_bin:
        raise ValidationError(_("Scan the bin's label first: which bin is being counted?"), "bin")
    return DeskScan(current_bin, counts.scan(session, actor, count_id, current_bin, code))
