"""Writing a table (a title, column headers, rows of plain values) as CSV, XLSX or PDF bytes.

CSV is UTF-8 with a byte-order mark (spreadsheet programs then read Polish letters right). XLSX is written with
openpyxl's write-only workbook (constant memory per row). PDF uses reportlab with DejaVu Sans, a font with Polish
letters (reportlab's built-in Helvetica has none of ą, ę, ł, ż…); without it the PDF falls back to Helvetica and
``pdf_font()`` says so."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
FONT_NAME = "DejaVuSans"
FALLBACK_FONT = "Helvetica"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: Iterable[list] = field(default_factory=list)
    subtitle: str = ""


# Text a spreadsheet program would read as a formula (=HYPERLINK(…), +cmd|…, -1+1, @SUM(…)) or that starts with a
# tab or carriage return: written with a leading apostrophe, so it stays text (CSV and XLSX).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str, *, spreadsheet: bool = True) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX refuses (one odd name broke the file)
    return f"'{value}" if spreadsheet and value.startswith(FORMULA_STARTS) else value


def cell(value, *, spreadsheet: bool = True):
    """A value as a spreadsheet cell: dates and numbers stay themselves, None is empty, the rest is text without
    control characters and (``spreadsheet``: CSV, XLSX) never a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, date, datetime)) and not isinstance(value, bool):
        return value
    return _safe_text(str(value), spreadsheet=spreadsheet)


def text(value, *, spreadsheet: bool = True) -> str:
    value = cell(value, spreadsheet=spreadsheet)
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


@dataclass
class Written:
    data: bytes
    row_count: int


def write_csv(table: Table) -> Written:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([text(h) for h in table.headers])
    count = 0
    for row in table.rows:
        writer.writerow([text(v) for v in row])
        count += 1
    return Written(("\ufeff" + buffer.getvalue()).encode("utf-8"), count)


def write_xlsx(table: Table) -> Written:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    bold = Font(bold=True)
    headers = []
    for header in table.headers:
        c = WriteOnlyCell(sheet, value=cell(header))
        c.font = bold
        headers.append(c)
    sheet.append(headers)
    count = 0
    for row in table.rows:
        sheet.append([_xlsx_value(v) for v in row])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Written(buffer.getvalue(), count)


def _xlsx_value(value):
    value = cell(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: the local time as stored
    return value


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")
    return (cleaned or "Sheet")[:31]


_font_checked: str | None = None


def pdf_font() -> str:
    """The name of the font PDFs are written in: DejaVu Sans when a DejaVuSans.ttf is installed (the package
    ``fonts-dejavu-core``), else Helvetica (Polish letters then come out wrong: a warning is logged)."""
    global _font_checked
    if _font_checked is not None:
        return _font_checked
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
            _font_checked = FONT_NAME
            return _font_checked
    logger.warning("DejaVuSans.ttf not found (install fonts-dejavu-core): PDF exports fall back to Helvetica")
    _font_checked = FALLBACK_FONT
    return _font_checked


def write_pdf(table: Table) -> Written:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    font = pdf_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=13, leading=16)
    small = ParagraphStyle("small", fontName=font, fontSize=7, leading=8.5)
    head = ParagraphStyle("head", parent=small, textColor=colors.white)
    data = [[Paragraph(_escape(h), head) for h in table.headers]]
    count = 0
    for row in table.rows:
        data.append([Paragraph(_escape(text(v, spreadsheet=False)), small) for v in row])
        count += 1
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=str(table.title),
    )
    story = [Paragraph(_escape(table.title), title_style)]
    if table.subtitle:
        story.append(Paragraph(_escape(table.subtitle), small))
    story.append(Spacer(1, 4 * mm))
    grid = LongTable(data, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#34495e")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f5")]),
            ]
        )
    )
    story.append(grid)
    document.build(story)
    return Written(buffer.getvalue(), count)


def _escape(value) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}


def write(table: Table, fmt: str) -> Written:
    return WRITERS[fmt](table)
