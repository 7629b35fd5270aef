"""Office stage: a worksheet as rows of styled cells, streamed by openpyxl's write-only mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

FONT = "Times New Roman"  # the font of administrative documents (Nghị định 30/2020/NĐ-CP)
SIZE = 11
THIN = Side(style="thin", color="999999")


class Formula(str):
    """A cell formula (`=C9+C10`); every other string is written as text."""


@dataclass(frozen=True)
class Style:
    """What a cell looks like; each distinct one becomes one NamedStyle of the workbook."""

    bold: bool = False
    italic: bool = False
    size: float = SIZE
    color: str | None = None
    fill: str | None = None
    box: bool = False
    horizontal: str | None = None
    vertical: str = "top"
    wrap: bool = False
    indent: int = 0
    number_format: str = "General"

    def named(self, name: str) -> NamedStyle:
        side = THIN if self.box else Side()
        return NamedStyle(
            name=name,
            font=Font(name=FONT, size=self.size, bold=self.bold, italic=self.italic, color=self.color),
            fill=PatternFill("solid", fgColor=self.fill) if self.fill else PatternFill(),
            border=Border(left=side, right=side, top=side, bottom=side),
            alignment=Alignment(
                horizontal=self.horizontal, vertical=self.vertical, wrap_text=self.wrap, indent=self.indent
            ),
            number_format=self.number_format,
        )


PLAIN = Style()


def text(value: str) -> str:
    """Text from a file, safe for a cell (control characters removed)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


@dataclass
class Sheet:
    """A sheet built in memory row by row (any order), then written once, top to bottom."""

    title: str
    widths: list[int]
    cells: dict[int, dict[int, tuple[object, Style]]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # row, col, last row, col
    heights: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None
    title_rows: str | None = None
    footer: str = "Trang &P/&N"

    def put(self, row: int, col: int, value: object, style: Style = PLAIN) -> None:
        if isinstance(value, str) and not isinstance(value, Formula):
            value = text(value)
        self.cells.setdefault(row, {})[col] = (value, style)

    def style(self, row: int, col: int, style: Style) -> None:
        value = self.cells.get(row, {}).get(col, (None, style))[0]
        self.cells.setdefault(row, {})[col] = (value, style)

    def merge(self, row: int, col: int, last_col: int, last_row: int | None = None) -> None:
        self.merges.append((row, col, last_row or row, last_col))

    def value(self, row: int, col: int) -> object:
        return self.cells.get(row, {}).get(col, (None, PLAIN))[0]

    @property
    def last_row(self) -> int:
        return max(self.cells, default=0)

    def fit(self, row: int, line_height: float = 15.0) -> None:
        """Set the row's height from its wrapped text: neither Excel nor LibreOffice grows a row
        by itself when the file sets none. Lines are estimated from the text's length and the
        column's (or the merged cells') width, at one character per width unit (Times New Roman
        is narrower: a line too many, never one too few)."""
        spans = {(r, c): last_c for r, c, _, last_c in self.merges if r == row}
        lines = 1
        for col, (value, style) in self.cells.get(row, {}).items():
            if not isinstance(value, str) or isinstance(value, Formula):
                continue
            width = sum(self.widths[c - 1] for c in range(col, spans.get((row, col), col) + 1))
            per_line = max(int(width * SIZE / style.size) - 1, 1)
            count = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
            lines = max(lines, count if style.wrap or (row, col) in spans else 1)
        size = max((s.size for _, s in self.cells.get(row, {}).values()), default=SIZE)
        self.heights[row] = round(line_height * size / SIZE * lines + 3, 1)


class Styles:
    """The workbook's named styles, each created once and then referred to by name."""

    def __init__(self, wb: Workbook):
        self.wb, self.names = wb, {}  # type: ignore[var-annotated]

    def name(self, style: Style) -> str:
        found: str | None = self.names.get(style)
        if found is None:
            found = f"PAR {len(self.names) + 1}"
            self.wb.add_named_style(style.named(found))
            self.names[style] = found
        return found


def write(ws: Any, styles: Styles, sheet: Sheet) -> None:
    """Stream `sheet` into a sheet of a write-only workbook, rows in order."""
    _layout(ws, sheet)
    for row in range(1, sheet.last_row + 1):
        cells = sheet.cells.get(row, {})
        values: list[object] = []
        for col in range(1, max(cells, default=0) + 1):
            value, style = cells.get(col, (None, None))
            if style is None:
                values.append(None)
                continue
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"  # a leading "=" in a unit's text never becomes a formula
            cell.style = styles.name(style)
            values.append(cell)
        ws.append(values)


def fill(ws: Any, styles: Styles, sheet: Sheet) -> None:
    """The same sheet in a normal (in-memory) workbook: for tests and inspection."""
    _layout(ws, sheet)
    for row, cells in sheet.cells.items():
        for col, (value, style) in cells.items():
            cell = ws.cell(row=row, column=col)
            cell.value = value
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"
            cell.style = styles.name(style)


def _layout(ws: Any, sheet: Sheet) -> None:
    for col, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, height in sheet.heights.items():
        ws.row_dimensions[row].height = height
    for row, col, last_row, last_col in sheet.merges:
        ws.merged_cells.add(f"{get_column_letter(col)}{row}:{get_column_letter(last_col)}{last_row}")
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    if sheet.title_rows:
        ws.print_title_rows = sheet.title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = sheet.footer
