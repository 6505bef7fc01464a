"""Small HTML builders for generated pages; every value from the collection is escaped here."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from ..model import Case
from . import urls


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class WebPhoto:
    """A published photo: site paths of its derivatives, their sizes, and its caption."""

    full: str
    full_size: tuple[int, int]
    thumb: str
    thumb_size: tuple[int, int]
    caption: str


def a(from_url: str, to: str, text: str, css: str = "", extra: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<a href="{esc(urls.relative(from_url, to))}"{cls}{extra}>{esc(text)}</a>'


def front_matter(**values: object) -> str:
    """YAML front matter (JSON values are valid YAML)."""
    lines = ["---"]
    for key, value in values.items():
        if value is not None:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def case_list(from_url: str, cases: tuple[Case, ...] | list[Case], show_unit: bool = True) -> str:
    """Title, unit and year of each case."""
    items = []
    for case in cases:
        meta = [esc(case.unit)] if show_unit else []
        meta.append(f"{case.year}年")
        items.append(
            f"<li>{a(from_url, urls.case_url(case.slug), case.title, 'cb-list__title')}"
            f'<span class="cb-list__meta">{" · ".join(meta)}</span></li>'
        )
    return '<ul class="cb-list">\n' + "\n".join(items) + "\n</ul>"


def cards(from_url: str, cases: tuple[Case, ...] | list[Case], photos: dict[tuple[str, int], WebPhoto]) -> str:
    items = []
    for case in cases:
        thumb = photos.get((case.slug, 1))
        if thumb:
            width, height = thumb.thumb_size
            image = (
                f'<img src="{esc(urls.relative(from_url, thumb.thumb))}" width="{width}" height="{height}" '
                f'loading="lazy" decoding="async" alt="{esc(thumb.caption)}">'
            )
        else:
            image = '<span class="cb-card__placeholder" aria-hidden="true"></span>'
        badge = f'<span class="cb-card__award">{esc(case.award)}</span>' if case.award else ""
        items.append(
            f'<a class="cb-card" href="{esc(urls.relative(from_url, urls.case_url(case.slug)))}">'
            f'<span class="cb-card__image">{image}{badge}</span>'
            f'<span class="cb-card__body"><span class="cb-card__title">{esc(case.title)}</span>'
            f'<span class="cb-card__meta">{esc(case.unit)}</span>'
            f'<span class="cb-card__meta">{esc(case.category)} · {case.year}年</span></span></a>'
        )
    return '<div class="cb-cards">\n' + "\n".join(items) + "\n</div>"
