"""Office stage: a worksheet as rows of styled cells, streamed by XlsxWriter (or filled by openpyxl)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl only builds the in-memory reference workbook (tests, inspection)
    from openpyxl import Workbook
    from openpyxl.styles import NamedStyle

FONT = "Times New Roman"  # the font of administrative documents (Nghị định 30/2020/NĐ-CP)
SIZE = 11
BORDER = "999999"
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # what XML 1.0 cannot hold (openpyxl's set)
MAX_TEXT = 32767  # Excel's limit of characters in a cell
TRUNCATED = "…"
REF = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def pixels(height: float) -> float:
    """A row height rounded up to whole screen pixels (0.75 pt): Excel shows no finer, and
    XlsxWriter stores the nearest pixel, so the file holds exactly the height asked for."""
    return math.ceil(height / 0.75 - 1e-9) * 0.75


def column_letter(col: int) -> str:
    """1 → A, 27 → AA (without importing openpyxl, which an export no longer needs)."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheetname(name: str) -> str:
    """A sheet name as a formula refers to it: always quoted, quotes doubled (as openpyxl)."""
    return "'" + name.replace("'", "''") + "'"


class Formula(str):
    """A cell formula (`=C9+C10`); every other string is written as text. `cached` is the value
    stored with it for readers that do not recalculate (a sum over this sheet is computed)."""

    cached: Decimal | int | None = None


def formula(expression: str, cached: Decimal | int | None) -> Formula:
    """A formula over other sheets, with the value it has."""
    f = Formula(expression)
    f.cached = cached
    return f


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

    def __hash__(self) -> int:
        # a look is hashed once per cell written: cache it (the generated hash builds a tuple each time)
        found: int | None = self.__dict__.get("_hash")
        if found is None:
            found = hash(tuple(getattr(self, f) for f in self.__dataclass_fields__))
            object.__setattr__(self, "_hash", found)
        return found

    def named(self, name: str) -> NamedStyle:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        side = Side(style="thin", color="FF" + BORDER) if self.box else Side()
        color = "FF" + self.color if self.color else None  # opaque ARGB, as XlsxWriter writes it
        return NamedStyle(
            name=name,
            font=Font(name=FONT, size=self.size, bold=self.bold, italic=self.italic, color=color),
            fill=PatternFill("solid", fgColor="FF" + self.fill) if self.fill else PatternFill(),
            border=Border(left=side, right=side, top=side, bottom=side),
            alignment=Alignment(
                horizontal=self.horizontal, vertical=self.vertical, wrap_text=self.wrap, indent=self.indent
            ),
            number_format=self.number_format,
        )

    def format(self) -> dict[str, object]:
        """The same look as XlsxWriter format properties."""
        props: dict[str, object] = {"font_name": FONT, "font_size": self.size}
        props["valign"] = "vcenter" if self.vertical == "center" else self.vertical
        for key, on in (("bold", self.bold), ("italic", self.italic), ("text_wrap", self.wrap)):
            if on:
                props[key] = True
        if self.color:
            props["font_color"] = "#" + self.color
        if self.fill:
            props.update(pattern=1, bg_color="#" + self.fill)
        if self.box:
            props.update(border=1, border_color="#" + BORDER)
        if self.horizontal:
            props["align"] = self.horizontal
        if self.indent:
            props["indent"] = self.indent
        if self.number_format != "General":
            props["num_format"] = self.number_format
        return props


PLAIN = Style()


def text(value: str) -> str:
    """Text from a file, safe for a cell: control characters removed, cut to Excel's limit
    (counted in UTF-16 units, as Excel and XlsxWriter count: an emoji is two) with a visible
    mark, since a longer cell makes Excel refuse the file."""
    value = ILLEGAL.sub("", value)
    if len(value) <= MAX_TEXT // 2 or len(units := value.encode("utf-16-le")) <= MAX_TEXT * 2:
        return value
    kept = units[: (MAX_TEXT - len(TRUNCATED)) * 2].decode("utf-16-le", errors="ignore")  # no half pair
    return kept + TRUNCATED


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
    sums: dict[tuple[int, int], Decimal | None] = field(default_factory=dict)  # evaluate's, per cell

    def put(self, row: int, col: int, value: object, style: Style = PLAIN) -> None:
        self.sums.clear()
        if isinstance(value, str) and not isinstance(value, Formula):
            value = text(value)
        self.cells.setdefault(row, {})[col] = (value, style)

    def style(self, row: int, col: int, style: Style) -> None:
        self.sums.clear()
        value = self.cells.get(row, {}).get(col, (None, style))[0]
        self.cells.setdefault(row, {})[col] = (value, style)

    def merge(self, row: int, col: int, last_col: int, last_row: int | None = None) -> None:
        self.merges.append((row, col, last_row or row, last_col))

    def value(self, row: int, col: int) -> object:
        return self.cells.get(row, {}).get(col, (None, PLAIN))[0]

    def evaluate(self, row: int, col: int) -> Decimal | None:
        """A cell's number, formulas summed exactly (only `=C9+C10` and `=0` over this sheet);
        None when it refers to another sheet without a cached value."""
        if (row, col) in self.sums:  # subtotals nest: each is summed once, not once per parent
            return self.sums[(row, col)]
        found = self.sums[(row, col)] = self._evaluate(row, col)
        return found

    def _evaluate(self, row: int, col: int) -> Decimal | None:
        value = self.value(row, col)
        if isinstance(value, Formula):
            if value.cached is not None:
                return Decimal(value.cached)
            total = Decimal(0)
            for term in value[1:].split("+"):
                ref = REF.match(term)
                if term == "0":
                    continue
                if ref is None:
                    return None
                letters, number = ref.groups()
                column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters)))
                total += self.evaluate(int(number), column) or 0
            return total
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return Decimal(value)
        return None  # text ("chưa thẩm định") or empty counts as nothing, as in Excel

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
        self.heights[row] = pixels(line_height * size / SIZE * lines + 3)


class Styles:
    """The reference workbook's named styles (openpyxl), each created once, referred to by name."""

    def __init__(self, wb: Workbook):
        self.wb, self.names = wb, {}  # type: ignore[var-annotated]

    def name(self, style: Style) -> str:
        found: str | None = self.names.get(style)
        if found is None:
            found = f"PAR {len(self.names) + 1}"
            self.wb.add_named_style(style.named(found))
            self.names[style] = found
        return found


def utf16_len(value: str) -> int:
    """Length as Excel counts it (an emoji is two)."""
    return len(value.encode("utf-16-le")) // 2


def workbook(path: str, options: dict[str, object]) -> Any:
    """An XlsxWriter Workbook whose sheet-name check is a set look-up: XlsxWriter compares each
    new name with every sheet before it, quadratic at 3,321 sheets (2.7 s of 1,000 already)."""
    import xlsxwriter
    from xlsxwriter.exceptions import DuplicateWorksheetName, InvalidWorksheetName

    class Book(xlsxwriter.Workbook):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any):
            self.names: set[str] = set()
            super().__init__(*args, **kwargs)

        def _check_sheetname(self, sheetname: str, is_chartsheet: bool = False) -> str:
            # the rules of XlsxWriter's own check (3.x), names always given by sheet_names()
            if not sheetname or utf16_len(sheetname) > 31 or re.search(r"[\[\]:*?/\\]", sheetname):
                raise InvalidWorksheetName(sheetname)  # a bug: sheet_names() makes valid names
            if sheetname.startswith("'") or sheetname.endswith("'"):
                raise InvalidWorksheetName(sheetname)
            if sheetname.lower() in self.names:
                raise DuplicateWorksheetName(sheetname)
            self.names.add(sheetname.lower())
            return sheetname

    return Book(path, options)


class Formats:
    """The streamed workbook's cell formats (XlsxWriter), one per distinct Style."""

    def __init__(self, wb: Any):
        self.wb, self.made = wb, {}  # type: ignore[var-annotated]

    def get(self, style: Style) -> Any:
        found = self.made.get(style)
        if found is None:
            found = self.made[style] = self.wb.add_format(style.format())
        return found


def write(ws: Any, formats: Formats, sheet: Sheet) -> None:
    """Stream `sheet` into an XlsxWriter worksheet in constant-memory mode: rows top to bottom
    (a row is flushed to disk once the next begins), each cell written by its type, so text is
    never read as a formula, a number or a link."""
    for col, width in enumerate(sheet.widths):
        # XlsxWriter adds Excel's 5-pixel padding to a width; ours are stored widths already
        ws.set_column(col, col, (width * 7 - 5) / 7)
    spans = {(row, col): (last_row, last_col) for row, col, last_row, last_col in sheet.merges}
    for row in range(1, max(sheet.last_row, max(sheet.heights, default=0)) + 1):
        if row in sheet.heights:
            ws.set_row(row - 1, sheet.heights[row])
        cells = sheet.cells.get(row, {})
        for col in sorted(cells):
            value, style = cells[col]
            look = formats.get(style)
            r, c = row - 1, col - 1
            if (row, col) in spans:  # single-row spans only: the blanks it pads stay in this row
                last_row, last_col = spans[(row, col)]
                ws.merge_range(r, c, last_row - 1, last_col - 1, None, look)
            if value is None or value == "":  # an empty text is an empty cell, as openpyxl writes it
                ws.write_blank(r, c, None, look)
            elif isinstance(value, Formula):
                ws.write_formula(r, c, str(value), look, _plain(sheet.evaluate(row, col)))
            elif isinstance(value, str):
                ws.write_string(r, c, value, look)
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                ws.write_number(r, c, value, look)
            else:
                raise TypeError(f"{sheet.title}!{col},{row}: {value!r}")  # a bug in a sheet builder
    if sheet.freeze:
        ws.freeze_panes(sheet.freeze)
    if sheet.title_rows:
        first, last = sheet.title_rows.split(":")
        ws.repeat_rows(int(first) - 1, int(last) - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&C" + sheet.footer)


def _plain(value: Decimal | None) -> Decimal | int:
    """A formula's cached value as XML number text: `1.675`, `12`, never `1.2E+1`."""
    if value is None:
        return 0
    return int(value) if value == value.to_integral_value() else Decimal(format(value.normalize(), "f"))


def fill(ws: Any, styles: Styles, sheet: Sheet) -> None:
    """The same sheet in a normal openpyxl workbook: the reference the streamed one is proved
    equal to, cell by cell (tests, inspection)."""
    for col, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[column_letter(col)].width = width
    for row, height in sheet.heights.items():
        ws.row_dimensions[row].height = height
    for row, col, last_row, last_col in sheet.merges:
        ws.merged_cells.add(f"{column_letter(col)}{row}:{column_letter(last_col)}{last_row}")
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
    for row, cells in sheet.cells.items():
        for col, (value, style) in cells.items():
            cell = ws.cell(row=row, column=col)
            cell.value = value
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"
            cell.style = styles.name(style)
