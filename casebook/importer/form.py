"""The application form (申报表) table of notices 000, 001 and 004: label cells with their value to
the right (案例名称 | …) or below (单位性质 / 职工人数 / 所属行业 over a row of values)."""

from __future__ import annotations

from casebook.importer.blocks import Cell, Table
from casebook.importer.fields import Found, clean_value, label_key, labelled_line

# A table is a form when it names at least two of these, one of them a case-level key.
_CASE_KEYS = {"title", "summary", "authors", "contact.name", "contact.name_position", "unit"}


def _keys(table: Table) -> set[str]:
    keys = set()
    for row in table.rows:
        for cell in row:
            if not cell.merged:
                key = label_key(cell.text)
                if key:
                    keys.add(key)
    return keys


def is_form(table: Table) -> bool:
    keys = _keys(table)
    return len(keys) >= 2 and bool(keys & _CASE_KEYS) and not table.pictures


def extract(table: Table, found: Found) -> None:
    rows = table.rows
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.merged or not cell.text:
                continue
            key = label_key(cell.text)
            if key is None:
                for pair_key, value in labelled_line(cell.text.replace("\n", " ")) or ():
                    found.put(pair_key, clean_value(value))
                continue
            if not key:
                continue
            value = _right(row, c)
            if value is None:
                value = _below(rows, r, c)
            if value:
                found.put(key, value)


def _value_of(cell: Cell) -> str | None:
    """The cell's value, or None when the cell is itself a label."""
    if label_key(cell.text) is not None:
        return None
    return clean_value(cell.text)


def _right(row: list[Cell], c: int) -> str | None:
    for cell in row[c + 1 :]:
        if cell.merged:
            continue
        value = _value_of(cell)
        return value or None
    return None


def _below(rows: list[list[Cell]], r: int, c: int) -> str | None:
    if r + 1 >= len(rows) or c >= len(rows[r + 1]):
        return None
    cell = rows[r + 1][c]
    if cell.merged:
        return None
    return _value_of(cell) or None
