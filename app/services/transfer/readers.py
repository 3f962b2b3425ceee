"""Reading a table from a CSV or XLSX file, one row at a time, as plain text cells.

Whatever the file's dialect (any delimiter, UTF-8 with or without a BOM, Windows-1252,
Latin-1) every row comes out the same way: its number as a spreadsheet shows it (the
header is row 1), its cells as text, and the problems the file itself has in that row (an
XLSX formula with no saved value, merged cells). Rows are streamed, never all held, so a
file of a million rows reads in bounded memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.core.errors import ValidationError
from app.core.i18n import N_, _

DELIMITERS = ",;\t|"
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
}
csv.field_size_limit(1024 * 1024)  # a cell of a megabyte is refused by the checks, in words


@dataclass(frozen=True)
class Row:
    """One data row: `number` as a spreadsheet shows it, `cells` as text ('' for empty),
    `problems` the file's own faults in it as (column index, reason), `numeric` the
    indexes of an XLSX row's number cells (written plainly: '1234.5', whatever the file's
    number format)."""

    number: int
    cells: tuple[str, ...]
    problems: tuple[tuple[int, str], ...] = ()
    numeric: frozenset[int] = frozenset()  # XLSX cells that hold numbers, not text

    @property
    def blank(self) -> bool:
        return not "".join(self.cells).strip() and not self.problems


@dataclass
class Table:
    """An open file: its header and a stream of rows. `size` and `position()` measure
    progress (bytes for CSV, rows for XLSX)."""

    path: Path
    format: str  # "csv" or "xlsx"
    header: tuple[str, ...]
    encoding: str = ""
    delimiter: str = ""
    size: int = 0
    _rows: Iterator[Row] = field(default_factory=lambda: iter(()))
    _position: Any = None
    _close: Any = None

    @property
    def described(self) -> str:
        if self.format == "xlsx":
            return _("XLSX workbook")
        named = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs"), "|": N_("bars")}
        return _("CSV, {encoding}, {delimiter}").format(
            encoding=ENCODING_LABELS.get(self.encoding, self.encoding),
            delimiter=_(named[self.delimiter]),
        )

    def rows(self) -> Iterator[Row]:
        return self._rows

    def position(self) -> int:
        return int(self._position()) if self._position else 0

    def close(self) -> None:
        if self._close:
            self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def file_format(path: Path) -> str:
    """'csv' or 'xlsx' from the name, as the user chose it when saving."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise ValidationError(
        _(
            "{name}: Kestrel reads .csv and .xlsx files (an .xls from an old Excel: "
            "save it again as .xlsx)."
        ).format(name=path.name),
        "file",
    )


def open_table(path: Path | str) -> Table:
    """Open a file for reading its rows; a file Kestrel cannot read is a ValidationError
    that says why (empty, not text, not a workbook)."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(_("There is no file {path}.").format(path=path), "file")
    if file_format(path) == "xlsx":
        return _open_xlsx(path)
    return _open_csv(path)


# --- CSV --------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """The file's encoding: a BOM says it; else UTF-8 if every byte of the file decodes
    as UTF-8 (checked in chunks: cheap); else charset-normalizer's pick of Windows-1252 or
    Latin-1. A file that is not text at all (NUL bytes, a zip) is refused."""
    with path.open("rb") as raw:
        head = raw.read(SAMPLE_BYTES)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if head.startswith(b"PK\x03\x04"):
            raise ValidationError(
                _("{name} is a workbook (XLSX), not CSV: name it .xlsx.").format(name=path.name),
                "file",
            )
        if b"\x00" in head:
            raise ValidationError(
                _("{name} is not a text file (it holds NUL bytes): export it as CSV.").format(
                    name=path.name
                ),
                "file",
            )
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = raw.read(CHUNK_BYTES)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    import charset_normalizer  # only for a file that is not UTF-8 (~2 MB held once loaded)

    best = charset_normalizer.from_bytes(head, cp_isolation=["cp1252", "latin_1"]).best()
    if best is not None and best.encoding == "latin_1":
        return "latin_1"
    # Windows-1252 (what charset-normalizer picks for Western text, and the fallback when a
    # short sample leaves it unsure) unless the file holds a byte it leaves undefined:
    # Latin-1 reads every byte.
    return "cp1252" if _decodes(path, "cp1252") else "latin_1"


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(CHUNK_BYTES):
                decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(sample: str) -> str:
    """csv.Sniffer's answer when the header line agrees; else the candidate the header
    line holds most of; else a comma (a one-column file)."""
    first = sample.splitlines()[0] if sample else ""
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if sniffed in first:
            return sniffed
    except csv.Error:
        pass
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(path: Path) -> Table:
    encoding = detect_encoding(path)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        sample = text.read(SAMPLE_BYTES)
        sample = sample[: sample.rfind("\n") + 1] or sample
        text.seek(0)
        delimiter = detect_delimiter(sample)
        reader = csv.reader(text, delimiter=delimiter)
        header = _first_row(reader, path)
    except BaseException:
        text.close()
        raise
    size = path.stat().st_size
    return Table(
        path,
        "csv",
        tuple(c.strip() for c in header),
        encoding,
        delimiter,
        size,
        _csv_rows(reader, path, encoding),
        raw.tell,
        text.close,
    )


def _first_row(reader: Iterator[list[str]], path: Path) -> list[str]:
    for row in reader:
        if any(c.strip() for c in row):
            return row
    raise ValidationError(
        _("{name} is empty: there is not even a header row.").format(name=path.name), "file"
    )


def _csv_rows(reader: Any, path: Path, encoding: str) -> Iterator[Row]:
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ValidationError(
                _(
                    "{name}, after row {number}: not readable as {value}. Save the file "
                    "again as CSV UTF-8."
                ).format(
                    name=path.name, number=number, value=ENCODING_LABELS.get(encoding, encoding)
                ),
                "file",
            ) from None
        except csv.Error as exc:
            raise ValidationError(
                _("{name}, after row {number}: the file is broken there ({exc}).").format(
                    name=path.name, number=number, exc=exc
                ),
                "file",
            ) from None
        number += 1
        yield Row(number, tuple(cells))


# --- XLSX -------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_rows(path: Path, sheet_path: str) -> dict[int, list[tuple[int, str]]]:
    """Row number -> (column index, reason) for every cell of a merged range. Read-only
    openpyxl does not report merges, so the sheet's XML is scanned for them, a chunk at a
    time (they sit after the cells)."""
    found: dict[int, list[tuple[int, str]]] = {}
    with zipfile.ZipFile(path) as archive, archive.open(sheet_path) as xml:
        tail = b""
        while chunk := xml.read(CHUNK_BYTES):
            data = tail + chunk
            for match in _MERGE.finditer(data):
                first_col, first_row, _last_col, last_row = match.groups()
                ref = match.group(0).split(b'"')[1].decode()
                reason = f"cells {ref} are merged: unmerge them so each cell has its own value"
                col = _column_index(first_col.decode())
                for number in range(int(first_row), int(last_row or first_row) + 1):
                    found.setdefault(number, []).append((col, reason))
            tail = data[-200:]
    return found


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def cell_text(value: object) -> str:
    """An XLSX cell as text: numbers exactly as Excel shows them (12.5, not 12.500000001
    and never through float arithmetic later), dates as ISO dates."""
    if value is None or isinstance(value, bool):
        return {None: "", True: "true", False: "false"}[value]
    if isinstance(value, float):
        exact = value.is_integer() and abs(value) < 1e16
        return str(int(value)) if exact else format(Decimal(repr(value)), "f")
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _open_xlsx(path: Path) -> Table:
    import openpyxl

    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            _("{name} is not a workbook Kestrel can read ({exc}).").format(name=path.name, exc=exc),
            "file",
        ) from None
    sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]

    def close() -> None:
        values.close()
        formulas.close()

    merged = _merged_rows(path, getattr(sheet, "_worksheet_path", "xl/worksheets/sheet1.xml"))
    rows = _xlsx_rows(sheet, formula_sheet, merged)
    header = next(rows, None)
    while header is not None and header.blank:
        header = next(rows, None)
    if header is None:
        close()
        raise ValidationError(
            _("{name} is empty: there is not even a header row.").format(name=path.name), "file"
        )
    if header.problems:
        close()
        column, reason = header.problems[0]
        raise ValidationError(
            _("{name}, the header row: {reason}.").format(name=path.name, reason=reason), "file"
        )
    position = {"row": header.number}

    def tracked() -> Iterator[Row]:
        for row in rows:
            position["row"] = row.number
            yield row

    return Table(
        path,
        "xlsx",
        tuple(c.strip() for c in header.cells),
        size=int(sheet.max_row or 0),
        _rows=tracked(),
        _position=lambda: position["row"],
        _close=close,
    )


def _xlsx_rows(
    sheet: Any, formula_sheet: Any, merged: dict[int, list[tuple[int, str]]]
) -> Iterator[Row]:
    """Both views of the sheet in step: the saved values, and the cells' formulas (a
    formula whose value was never saved reads as empty, which must not pass as empty)."""
    for number, (cells, raw) in enumerate(
        zip(
            sheet.iter_rows(values_only=True),
            formula_sheet.iter_rows(values_only=True),
            strict=False,
        ),
        start=1,
    ):
        problems = list(merged.get(number, ()))
        for index, (value, source) in enumerate(zip(cells, raw, strict=False)):
            if value is None and isinstance(source, str) and source.startswith("="):
                problems.append(
                    (
                        index,
                        f"a formula ({source[:40]}) with no saved value: open the file in "
                        "Excel or LibreOffice and save it again, or paste the values",
                    )
                )
        numeric = frozenset(
            i for i, v in enumerate(cells) if isinstance(v, int | float) and not isinstance(v, bool)
        )
        yield Row(number, tuple(cell_text(v) for v in cells), tuple(problems), numeric)
