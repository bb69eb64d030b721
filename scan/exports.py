"""Writing tables for spreadsheets without letting a cell run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from scan.text import xml_safe

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would read as a formula gets a leading quote.

    Numbers stay numbers: only text is neutralised, so "-1" typed as text is
    defused but the number -1 is left alone.
    """
    if isinstance(value, str):
        # Control characters and XML non-characters (U+FFFE, lone surrogates, ...),
        # stored before text was cleaned on save, would make the workbook unreadable.
        value = xml_safe(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(h) for h in header])
    writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per entry; every text cell neutralised."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append([spreadsheet_safe(h) for h in header])
        for row in rows:
            sheet.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
