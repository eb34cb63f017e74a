"""CSV and XLSX: read the files officers fill in by hand (forgiving headers, exact row numbers), and write
exports in which a text a person typed stays text, never a formula (OWASP, "CSV injection")."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..text import clean_line, strip_diacritics

# A spreadsheet runs a cell starting with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A text cell for CSV, prefixed with an apostrophe if it would start a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """csv.writer whose every text cell goes through csv_text."""

    def __init__(self, out, **fmtparams):
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row) -> None:
        self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_row(sheet, row) -> list:
    """A row for a write-only sheet: texts as string cells shown exactly as typed, numbers as numbers."""
    return [_xlsx_text(sheet, value) if isinstance(value, str) else value for value in row]


def _xlsx_text(sheet, text: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # openpyxl makes a text starting with "=" a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    return cell


def header_key(text: str) -> str:
    """'Họ tên chủ hộ' → 'ho_ten_chu_ho' (accents, case and spacing do not matter)."""
    text = strip_diacritics(clean_line(str(text or ""))).lower()
    return "_".join(text.replace("-", " ").replace(".", " ").split())


def read_rows(path: str | Path, aliases: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number as the officer sees it, {field: text}); header row is row 1."""
    path = Path(path)
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header = None
    for number, cells in enumerate(rows, start=1):
        if header is None:
            header = [aliases.get(header_key(c), header_key(c)) for c in cells]
            continue
        values = ["" if c is None else clean_line(str(c)) for c in cells]
        if not any(values):
            continue
        yield number, dict(zip(header, values, strict=False))  # short rows leave fields out


def _csv_rows(path: Path):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_l("%(file)s: không đọc được; xin lưu tệp dạng CSV UTF-8 hoặc XLSX.",
                             file=path.name)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:  # a single column has no delimiter to find
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(path: Path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DomainError(_l("%(file)s: không mở được tệp XLSX (%(error)s).", file=path.name,
                             error=type(exc).__name__)) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(c) for c in row]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
