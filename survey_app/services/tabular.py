"""Read CSV or XLSX files that officers fill in by hand: forgiving headers, exact row numbers."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..text import clean_line, strip_diacritics


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
