"""Counts drawn as horizontal bar charts in plain SVG (no chart library, nothing fetched): the geometry
here, the markup (the drawing and its text table equivalent) in the chart macro of
theme/site/casebook/macros.html."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_W, BAR_W, ROW_H, TOP = 84, 220, 34, 6


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    link: str
    text_y: int
    bar_y: int
    length: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    title: str
    heading: str  # what the rows are (the first column of the chart's text table)
    width: int
    height: int
    bars: tuple[Bar, ...]
    label_x: int = LABEL_W - 8
    bar_x: int = LABEL_W
    bar_height: int = ROW_H - 12


def bars(title: str, rows: list[tuple[str, int, str]], heading: str = "项目") -> Chart | None:
    """rows: (label, count, link) → the chart's geometry (None without rows: nothing to draw)."""
    if not rows:
        return None
    most = max(count for _, count, _ in rows) or 1
    drawn = []
    for index, (label, count, link) in enumerate(rows):
        y = TOP + index * ROW_H
        length = max(2, round(BAR_W * count / most))
        drawn.append(Bar(label, count, link, y + 22, y + 6, length, LABEL_W + length + 6))
    return Chart(title, heading, LABEL_W + BAR_W + 44, TOP * 2 + ROW_H * len(rows), tuple(drawn))
