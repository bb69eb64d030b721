"""Writing tables for spreadsheets without letting a cell run as a formula.

A CSV file is read by whichever spreadsheet opens it, in that person's locale: a
Dutch Excel splits on ";" and reads "2,53" as a number, an English one splits on
"," and reads "2.53". So a CSV is written for the reader's language (separator,
decimal sign, dates) and every field is quoted. Quotes are not enough on their
own: a reader that splits on another character than ours (a Dutch Excel opening
an English file, or a naive import) starts a new cell after every ",", ";", tab
or line break inside a field, so the formula guard is applied after each of those
as well as at the start of the field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

from scan.text import xml_safe

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start at the start of the text or after anything a spreadsheet may take
# for the end of a cell, also behind white space of any kind (a no-break space too)
# and quotes: a reader that splits a quoted field on another separator than ours
# sees `a;"=1` as the cells `"a` and `""=1`, and may drop the quotes.
AFTER_SEPARATOR = re.compile(r'(^|[,;\t\r\n])([\s"]*)([=+\-@])')
SEPARATORS = {"nl": ";"}       # every other language: ","
DATE_FORMATS = {"nl": "dd-MM-yyyy"}   # what a Dutch Excel reads as a date; else ISO


@dataclass(frozen=True)
class Table:
    """A sheet of an export: its column heads and rows, in the reader's language."""

    header: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)


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


def csv_safe(value):
    """spreadsheet_safe, and the same guard after every separator inside the text:
    "nl;=1+1" becomes "nl;'=1+1", so no way of splitting it yields a formula."""
    if isinstance(value, str):
        value = AFTER_SEPARATOR.sub(r"\1\2'\3", value)
    return spreadsheet_safe(value)


def csv_field(value, lang: str) -> str:
    """One field as the reader's spreadsheet reads it: numbers with the language's
    decimal sign, dates as it writes them, text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return format_decimal(value, format="0.###", locale=lang)
    if isinstance(value, date):
        pattern = DATE_FORMATS.get(lang)
        return format_date(value, pattern, locale=lang) if pattern else value.isoformat()
    return csv_safe(value if isinstance(value, str) else str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence], lang: str = "en") -> str:
    """A CSV for a spreadsheet in `lang`: ";" and decimal commas in Dutch, "," and
    decimal points otherwise; every field quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATORS.get(lang, ","), quoting=csv.QUOTE_ALL)
    writer.writerow([csv_field(h, lang) for h in header])
    writer.writerows([csv_field(v, lang) for v in row] for row in rows)
    return buffer.getvalue()


NUMBER_FORMATS = {float: "0.00", date: "yyyy-mm-dd"}


def xlsx_bytes(sheets: dict[str, Table | tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per entry: numbers and dates as real cells (shown
    in the reader's own Excel locale), every text cell neutralised."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, table in sheets.items():
        header, rows = (table.header, table.rows) if isinstance(table, Table) else table
        sheet = workbook.create_sheet(title[:31])
        sheet.append([spreadsheet_safe(h) for h in header])
        for row in rows:
            sheet.append([spreadsheet_safe(v) for v in row])
            for cell in sheet[sheet.max_row]:
                found = NUMBER_FORMATS.get(type(cell.value))
                if found:
                    cell.number_format = found
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
