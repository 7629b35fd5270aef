"""Office stage: the tables of an annex file (.xlsx/.xls/.ods via python-calamine, .docx via python-docx).

An annex arrives as a workbook made by hand or as a Word document. Either way `read_tables`
gives its tables as rows of cell values (text, or the number a spreadsheet stored), row 1 and
column 1 first, so that a problem can name the sheet or table, the row and the column. A cell
merged over several columns or rows holds its value in its first cell only; the others are
blank, in both formats. `annex.py` interprets the rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

Value = str | float | int | bool | None

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
WORD = (".docx",)


class DocumentError(Exception):
    """The file cannot be opened as a workbook or a Word document (the reason, in Vietnamese)."""


@dataclass
class Table:
    """One sheet of a workbook or one table of a Word document."""

    name: str  # the sheet's name, or "Bảng 2" for a document's second table
    kind: str  # "sheet" or "table"
    rows: list[list[Value]]
    before: list[str] = field(default_factory=list)  # a document's paragraphs above the table

    def cell(self, row: int, col: int) -> Value:
        """The value at a 1-based row and column (None outside the table)."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def where(self, row: int, col: int) -> str:
        """The place in Vietnamese: "trang tính 'PL03', ô C7" or "bảng 2, dòng 7, cột 3"."""
        if self.kind == "sheet":
            return f"trang tính '{self.name}', ô {column_letter(col)}{row}"
        return f"{self.name.lower()}, dòng {row}, cột {col}"


def column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_tables(path: Path) -> list[Table]:
    """Every sheet (workbook) or table (document) of the file, in order."""
    suffix = path.suffix.lower()
    if suffix in WORD:
        return _word_tables(path)
    if suffix in SPREADSHEETS:
        return _sheets(path)
    raise DocumentError(
        f"không đọc được tệp '{path.suffix}'; dùng bảng tính .xlsx, .xls, .ods hoặc văn bản Word .docx"
    )


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _value(value: object) -> Value:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return str(value)  # a date typed into an STT or points cell is shown as it is
    return _text(str(value)) or None


def _sheets(path: Path) -> list[Table]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # the library's own error types: not a workbook, damaged, encrypted
        raise DocumentError(f"{type(err).__name__}: {err}"[:200]) from err
    tables = []
    try:
        for name in wb.sheet_names:
            try:
                rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as err:  # one damaged sheet (or a chart sheet) is only skipped
                if len(wb.sheet_names) == 1:
                    raise DocumentError(f"{type(err).__name__}: {err}"[:200]) from err
                continue
            tables.append(Table(name, "sheet", [[_value(v) for v in row] for row in rows]))
    finally:
        wb.close()
    return tables


def _word_tables(path: Path) -> list[Table]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as err:  # not a zip, not a Word document, damaged XML
        raise DocumentError(f"{type(err).__name__}: {err}"[:200]) from err
    tables: list[Table] = []
    before: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            if text := _text(Paragraph(element, document).text):
                before.append(text)
        elif tag == "tbl":
            rows = _word_rows(DocxTable(element, document))
            tables.append(Table(f"Bảng {len(tables) + 1}", "table", rows, before))
            before = []
    return tables


def _word_rows(table: object) -> list[list[Value]]:
    """The rows of a Word table; a merged cell's text only in its first row and column."""
    rows: list[list[Value]] = []
    above: list[object] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = list(row.cells)
        values: list[Value] = []
        for col, cell in enumerate(cells):
            spanned = col > 0 and cells[col - 1]._tc is cell._tc
            continued = col < len(above) and above[col]._tc is cell._tc  # type: ignore[attr-defined]
            values.append(None if spanned or continued else (_text(cell.text) or None))
        rows.append(values)
        above = cells
    return rows
