"""What every kind of import shares: a refused cell, a row's plan, and reading one cell
with a check that turns a ValidationError into a refusal naming the column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from app.core.auth import Actor
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.number_format import PLAIN, NumberFormat
from app.services.transfer.headers import fields
from app.services.transfer.readers import Row

T = TypeVar("T")
ADD, UPDATE, UNCHANGED = "add", "update", "unchanged"


@dataclass(frozen=True)
class Refusal:
    """A bad row: its number as a spreadsheet shows it, the column's header and why."""

    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(slots=True)
class Plan:
    """What one row would do: add, update, leave unchanged, or be refused (and why)."""

    row: int
    action: str = UNCHANGED
    refusals: list[Refusal] = field(default_factory=list)
    data: Any = None
    changed: tuple[str, ...] = ()


class RowView:
    """One row's mapped cells, read by field key, with refusals collected on the plan."""

    __slots__ = ("_header", "_kind", "_mapping", "_values", "number", "plan", "row")

    def __init__(
        self,
        row: Row,
        mapping: dict[str, int],
        header: Sequence[str],
        kind: str,
        number: NumberFormat = PLAIN,
    ):
        self.row = row
        self.number = number
        self.plan = Plan(row.number)
        self._mapping = mapping
        self._header = header
        self._kind = kind
        cells = row.cells
        if len(cells) >= len(header):
            self._values = {k: cells[i].strip() for k, i in mapping.items()}
        else:
            self._values = {k: cells[i].strip() for k, i in mapping.items() if i < len(cells)}
        if row.problems:
            for index, reason in row.problems:
                self.plan.refusals.append(Refusal(row.number, self._column_at(index), reason))
        if len(cells) > len(header) and "".join(cells[len(header) :]).strip():
            self.plan.refusals.append(
                Refusal(
                    row.number,
                    _("column {number}").format(number=len(header) + 1),
                    _(
                        "the row has {cells} cells but the header only {header}: a delimiter "
                        "or quote inside a cell is probably unquoted"
                    ).format(cells=len(row.cells), header=len(header)),
                )
            )

    def _column_at(self, index: int) -> str:
        if index < len(self._header) and self._header[index]:
            return self._header[index]
        return _("column {number}").format(number=index + 1)

    def column(self, key: str) -> str:
        """The header of the column a field is read from (its label if it has none)."""
        index = self._mapping.get(key)
        if index is not None:
            return self._column_at(index)
        return next((f.label for f in fields(self._kind) if f.key == key), key)

    def has(self, key: str) -> bool:
        return key in self._mapping

    def text(self, key: str) -> str:
        """The cell's text, '' when the field has no column or the cell is empty."""
        return self._values.get(key, "")

    def refuse(self, key: str, reason: str) -> None:
        self.plan.refusals.append(Refusal(self.row.number, self.column(key), reason))

    def read(self, key: str, check: Callable[[str], T]) -> T | None:
        """The checked value of a non-empty cell; None if empty or refused (in words)."""
        value = self.text(key)
        if not value:
            return None
        try:
            return check(value)
        except ValidationError as exc:
            self.refuse(key, _reason(exc.message))
            return None

    def read_number(self, key: str, check: Callable[[str, NumberFormat], T]) -> T | None:
        """`read` for a number column: the cell read in the file's number format (an
        XLSX number cell plainly: numbers are numbers there)."""
        index = self._mapping.get(key)
        number = PLAIN if index is not None and index in self.row.numeric else self.number
        return self.read(key, lambda value: check(value, number))

    @property
    def ok(self) -> bool:
        return not self.plan.refusals


def _reason(message: str) -> str:
    return message.rstrip(".")


class Importer(Protocol):
    """One kind of import: plans a chunk of rows against the database (writing nothing),
    then writes the plans it made. Keeps what it saw across chunks (duplicates)."""

    def plan(self, session: Session, views: list[RowView]) -> list[Plan]: ...

    def write(self, session: Session, actor: Actor, plans: list[Plan]) -> None: ...
