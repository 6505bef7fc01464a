"""Counts drawn as horizontal bar charts in plain SVG (no chart library, nothing fetched)."""

from __future__ import annotations

from .html_parts import esc


def bars(title: str, rows: list[tuple[str, int, str]]) -> str:
    """rows: (label, count, link) → an accessible SVG bar chart whose bars are links."""
    if not rows:
        return ""
    label_w, bar_w, row_h, top = 84, 220, 34, 6
    most = max(count for _, count, _ in rows) or 1
    height = top * 2 + row_h * len(rows)
    width = label_w + bar_w + 44
    parts = [
        f'<figure class="cb-chart"><figcaption>{esc(title)}</figcaption>',
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{esc(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
    ]
    for index, (label, count, link) in enumerate(rows):
        y = top + index * row_h
        length = max(2, round(bar_w * count / most))
        parts.append(
            f'<a href="{esc(link)}"><title>{esc(label)}：{count} 个案例</title>'
            f'<text class="cb-chart__label" x="{label_w - 8}" y="{y + 22}" text-anchor="end">{esc(label)}</text>'
            f'<rect class="cb-chart__bar" x="{label_w}" y="{y + 6}" width="{length}" height="{row_h - 12}" rx="3"/>'
            f'<text class="cb-chart__value" x="{label_w + length + 6}" y="{y + 22}">{count}</text></a>'
        )
    parts.append("</svg></figure>")
    return "".join(parts)
