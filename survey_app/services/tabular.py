"""Read CSV or XLSX files that officers fill in by hand: forgiving headers, exact row numbers."""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path


def header_key(text: str) -> str:
    """'Họ tên chủ hộ' → 'ho_ten_chu_ho' (accents, case and spacing do not matter)."""
    text = unicodedata.normalize("NFKD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()
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
        values = ["" if c is None else str(c).strip() for c in cells]
        if not any(values):
            continue
        yield number, dict(zip(header, values))


def _csv_rows(path: Path):
    text = path.read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(path: Path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
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
