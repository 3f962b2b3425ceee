"""Scan-to-pick as the bench sees it: one call per scan that decides what the scan is (the
bin label or an item), does it, and hands back the list as it now stands, so the screen
only shows and never decides. Each call is one transaction that may run again whole."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.fulfilment import pick_lots, picking
from app.services.fulfilment.picking import PickedResult, PickLineRow


@dataclass(frozen=True)
class PickView:
    """A pick list's walk as it stands: its lines in sequence, the next one to do first."""

    wave_id: int
    number: str
    lines: tuple[PickLineRow, ...]
    lot_hint: str = ""  # the lot to take for the current line (first to expire), if any

    @property
    def current(self) -> PickLineRow | None:
        """The line the picker is sent to: the first open one on the walk."""
        return next((ln for ln in self.lines if ln.open), None)

    @property
    def done(self) -> int:
        return sum(1 for ln in self.lines if not ln.open)


@dataclass(frozen=True)
class PickScan:
    """What one scan did: at a bin (`result` None) or an item picked; `at_bin` is the
    bin the picker stands at for the line now current ("" when they must scan one)."""

    view: PickView
    at_bin: str
    result: PickedResult | None


def view(session: Session, wave_id: int) -> PickView:
    walk = tuple(picking.lines(session, wave_id))
    current = next((ln for ln in walk if ln.open), None)
    proposal = pick_lots.proposed(session, current) if current is not None else None
    hint = proposal.code if proposal is not None else ""
    return PickView(wave_id, picking.list_number(session, wave_id), walk, hint)


def open_list(session: Session, code: str) -> PickView:
    """The pick list a scanned or typed number (PL-000012, pl12) stands for."""
    return view(session, picking.find_list(session, code))


def still_at(at_bin: str, before: PickLineRow | None, after: PickLineRow | None) -> str:
    """The bin the picker stands at stays scanned while the next line is in the same bin;
    a line elsewhere needs its own bin scan."""
    if before is None or after is None or after.bin_code != before.bin_code:
        return ""
    return at_bin


def scan(
    session: Session, actor: Actor, wave_id: int, line_id: int, code: str, at_bin: str
) -> PickScan:
    """A scan at the line the picker was sent to (`line_id`), standing at `at_bin` ("" if
    no bin is scanned yet): a bin label must be that line's bin; an item is picked from it.
    Refused in words otherwise, with nothing changed."""
    line = picking.line(session, line_id)
    if picking.is_bin(session, code):
        picking.check_bin(session, line, code)
        here = code.strip().upper()
        return PickScan(view(session, wave_id), here, None)
    if not at_bin:
        raise ValidationError(
            _("Scan the label of {bin_code} first.").format(bin_code=line.bin_code)
        )
    result = picking.pick_item(session, actor, line_id, code, at_bin)
    after = view(session, wave_id)
    return PickScan(after, still_at(at_bin, line, after.current), result)


def short(session: Session, actor: Actor, wave_id: int, line_id: int, resolution: str) -> PickView:
    """The bin is short (F8): the line is settled by `resolution` ("split" or "backorder")."""
    require(actor, Permission.STOCK_TRANSFER)
    picking.short_pick(session, actor, line_id, resolution)
    return view(session, wave_id)
