"""Importing a file of products, customers, suppliers or opening stock: preview, then apply.

`preview` reads, maps and checks every row against the database and writes nothing: the
columns it mapped, every bad row with its column and reason, and how many rows would be
added, updated or left unchanged. `apply` reads the file again in the caller's write
transaction (the database may have changed since the preview) and writes it: all or
nothing (one bad row raises ImportRefused, so the caller's transaction rolls back), or
skipping the bad rows. Both stream the file in chunks, report progress as
`report(stage, done, total)` and stop when `cancelled()` says so, so a GUI can run them on
a worker thread; neither holds the whole file.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from sqlalchemy.orm import Session

from app.core import audit
from app.core.auth import Actor, Permission, require
from app.core.errors import KestrelError, ValidationError
from app.core.i18n import _, ngettext
from app.core.number_format import NumberFormat, detect, locale_format
from app.core.settings import get_setting
from app.services.transfer import headers
from app.services.transfer.common import (
    ADD,
    UNCHANGED,
    UPDATE,
    Importer,
    Plan,
    Refusal,
    RowView,
)
from app.services.transfer.readers import Row, Table, open_table

CHUNK = 2000
MAX_LISTED = 100_000  # refusals kept in full; beyond that only counted
SAMPLE_ROWS = 50
DETECT_ROWS = 1000  # rows whose number cells show the file's number format
Report = Callable[[str, int, int], None]
Cancelled = Callable[[], bool]


class ImportCancelled(KestrelError):
    """The user stopped an import; nothing of it was written."""


class ImportRefused(ValidationError):
    """Bad rows and no permission to skip them: the caller's transaction must roll back
    (nothing is written). Carries the result, with every refusal, for the user."""

    def __init__(self, result: ImportResult) -> None:
        first = result.refused[0] if result.refused else None
        count = result.refused_total
        if first is None:
            said = ngettext(
                "{count:,} row of the file is bad; nothing was imported.",
                "{count:,} rows of the file are bad; nothing was imported.",
                count,
            ).format(count=count)
        else:
            said = ngettext(
                "{count:,} row of the file is bad (first: row {row}, {column}: {reason}); "
                "nothing was imported.",
                "{count:,} rows of the file are bad (first: row {row}, {column}: {reason}); "
                "nothing was imported.",
                count,
            ).format(count=count, row=first.row, column=first.column, reason=first.reason)
        super().__init__(said, "file")
        self.result = result


@dataclass
class Counts:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # existing rows left alone because the import only adds
    refused_total: int = 0
    refused: list[Refusal] = field(default_factory=list)

    def count(self, plan: Plan) -> None:
        self.rows += 1
        if plan.refusals:
            self.refused_total += 1
            room = MAX_LISTED - len(self.refused)
            self.refused.extend(plan.refusals[: max(room, 0)])
        elif plan.action == ADD:
            self.added += 1
        elif plan.action == UPDATE:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class Preview:
    """What an import would do, for the GUI's preview and `--dry-run`. `columns` maps each
    field to the header it is read from (what the user may change and save)."""

    kind: str
    path: Path
    described: str
    header: tuple[str, ...]
    mapping: dict[str, int]
    counts: Counts
    sample: list[tuple[int, dict[str, str]]]  # the first rows as read: (row, field -> text)
    number: NumberFormat = field(default_factory=NumberFormat)  # how the file writes numbers
    number_detected: bool = True  # read from the file, not given nor saved

    @property
    def columns(self) -> dict[str, str]:
        return {key: self.header[index] for key, index in self.mapping.items()}

    @property
    def to_add(self) -> int:
        return self.counts.added

    @property
    def to_update(self) -> int:
        return self.counts.updated

    @property
    def unchanged(self) -> int:
        return self.counts.unchanged

    @property
    def refused(self) -> list[Refusal]:
        return self.counts.refused

    @property
    def ok(self) -> bool:
        return self.counts.refused_total == 0


@dataclass
class ImportResult:
    kind: str
    added: int
    updated: int
    unchanged: int
    kept: int
    refused_total: int
    refused: list[Refusal]
    written: bool

    def as_dict(self) -> dict[str, object]:
        """The shape `kestrel import --json` prints."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "refused_count": self.refused_total,
            "written": self.written,
            "refused": [r.as_dict() for r in self.refused],
        }


def _importer(kind: str, session: Session) -> Importer:
    from app.services.transfer.parties import PartyImporter
    from app.services.transfer.products import ProductImporter
    from app.services.transfer.reorder_rules import ReorderRuleImporter
    from app.services.transfer.stock import StockImporter

    if kind == "products":
        return ProductImporter(session)
    if kind in ("customers", "suppliers"):
        return PartyImporter(session, supplier=kind == "suppliers")
    if kind == "stock":
        return StockImporter(session)
    if kind == "reorder-rules":
        return ReorderRuleImporter(session)
    raise ValidationError(_("'{kind}' is not something Kestrel imports.").format(kind=kind))


@contextmanager
def _bulk_work() -> Iterator[None]:
    """A file of 100,000 rows makes millions of short-lived objects and no reference
    cycles, yet the garbage collector's default (a pass every 700 allocations) spent a
    third of the preview's CPU time on them; it runs a pass every 50,000 meanwhile."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _chunks(
    table: Table,
    kind: str,
    mapping: dict[str, int],
    number: NumberFormat,
    stage: str,
    report: Report | None,
    cancelled: Cancelled | None,
    rows: Iterable[Row] | None = None,
) -> Iterator[list[RowView]]:
    chunk: list[RowView] = []
    for row in table.rows() if rows is None else rows:
        if row.blank:
            continue
        chunk.append(RowView(row, mapping, table.header, kind, number))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
            if cancelled is not None and cancelled():
                raise ImportCancelled(_("The import was stopped: nothing of it was written."))
            if report is not None:
                report(stage, table.position(), table.size)
    if chunk:
        yield chunk
    if report is not None:
        report(stage, table.size, table.size)


def detect_number(
    session: Session, kind: str, mapping: dict[str, int], rows: Iterable[Row]
) -> NumberFormat:
    """The number format the text cells of the number columns show (XLSX number cells
    are numbers: they show none); where they prove nothing, the shop locale's."""
    columns = [
        i for f in headers.fields(kind) if f.number and (i := mapping.get(f.key)) is not None
    ]
    values = (
        row.cells[i] for row in rows for i in columns if i < len(row.cells) and i not in row.numeric
    )
    return detect(values, locale_format(str(get_setting(session, "locale"))))


def preview(
    session: Session,
    actor: Actor,
    kind: str,
    path: Path | str,
    columns: dict[str, str] | None = None,
    mapping_name: str = "",
    report: Report | None = None,
    cancelled: Cancelled | None = None,
    number: NumberFormat | None = None,
) -> Preview:
    """Read, map and check the whole file; write nothing. A file that cannot be read at
    all, or lacks a needed column, is a ValidationError in words. Numbers are read in
    `number`'s format, else the one saved with the mapping, else the one the file's first
    rows show (`Preview.number`); a cell that does not fit it is a bad row."""
    require(actor, Permission.DATA_IMPORT)
    headers.fields(kind)
    with _bulk_work(), open_table(path) as table:
        mapping = headers.mapping_for(session, kind, table.header, columns, mapping_name)
        chosen = number or headers.saved_number(session, kind, table.header, mapping_name)
        stream = table.rows()
        head = list(islice(stream, DETECT_ROWS))
        found = chosen or detect_number(session, kind, mapping, head)
        importer = _importer(kind, session)
        counts = Counts()
        sample: list[tuple[int, dict[str, str]]] = []
        rows = chain(head, stream)
        for views in _chunks(table, kind, mapping, found, "checking", report, cancelled, rows):
            for view, plan in zip(views, importer.plan(session, views), strict=True):
                counts.count(plan)
                if len(sample) < SAMPLE_ROWS:
                    sample.append((plan.row, {key: view.text(key) for key in mapping}))
        return Preview(
            kind,
            table.path,
            table.described,
            table.header,
            mapping,
            counts,
            sample,
            found,
            number_detected=chosen is None,
        )


def apply(
    session: Session,
    actor: Actor,
    preview: Preview,
    *,
    skip_bad: bool = False,
    update_existing: bool = True,
    report: Report | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write the previewed file in the caller's transaction, checked again row by row.
    Without `skip_bad` one bad row raises ImportRefused (after every row was checked, so
    all are listed) and the caller rolls back; with it the bad rows are left out.
    `update_existing=False` only adds: rows for existing SKUs/e-mails are kept as they are."""
    require(actor, Permission.DATA_IMPORT)
    counts = Counts()
    writing = True
    with _bulk_work(), open_table(preview.path) as table:
        if table.header != preview.header:
            raise ValidationError(
                _(
                    "{name} changed since its preview (its header differs): preview it again."
                ).format(name=table.path.name),
                "file",
            )
        importer = _importer(preview.kind, session)
        for views in _chunks(
            table, preview.kind, preview.mapping, preview.number, "writing", report, cancelled
        ):
            plans = importer.plan(session, views)
            for plan in plans:
                if not plan.refusals and plan.action == UPDATE and not update_existing:
                    plan.action = UNCHANGED
                    counts.kept += 1
                    counts.rows += 1
                    continue
                counts.count(plan)
            if counts.refused_total and not skip_bad:
                writing = False  # keep checking, to list every bad row, but write nothing
            if writing:
                importer.write(session, actor, [p for p in plans if _writes(p)])
    result = ImportResult(
        preview.kind,
        counts.added,
        counts.updated,
        counts.unchanged,
        counts.kept,
        counts.refused_total,
        counts.refused,
        written=writing,
    )
    if not writing:
        raise ImportRefused(result)
    audit.record(
        session,
        actor,
        "import",
        f"{preview.kind} {preview.path.name}",
        f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged, "
        f"{result.kept} kept, {result.refused_total} refused",
    )
    return result


def _writes(plan: Plan) -> bool:
    return not plan.refusals and plan.action in (ADD, UPDATE)
