"""The page of one case: facts, summary box, sanitised body with captioned photos, neighbours."""

from __future__ import annotations

import dataclasses
import html
import json
import re

from ..document import normalise_src
from ..model import Case
from . import urls
from .html_parts import WebPhoto, a, esc, front_matter
from .public_model import SiteModel
from .render_cache import RenderCache
from .sanitize import Renderer, clean, md_text, plain, split_headings, to_markdown

_IMAGE = re.compile(r"<p>\s*(<img\s[^>]*>)\s*</p>|(<img\s[^>]*>)")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_SIZES = "(max-width: 52rem) 100vw, 46rem"
_PAGE_FORMAT = "sanitised-html-only"  # in the cache key: pages cached by the old fast path are not reused


def figure(page_url: str, photo: WebPhoto) -> str:
    full, thumb = urls.relative(page_url, photo.full), urls.relative(page_url, photo.thumb)
    width, height = photo.full_size
    caption = esc(photo.caption)
    return (
        f'<figure class="cb-figure"><a class="cb-zoom" href="{esc(full)}" data-caption="{caption}">'
        f'<img src="{esc(full)}" srcset="{esc(thumb)} {photo.thumb_size[0]}w, {esc(full)} {width}w" '
        f'sizes="{_SIZES}" width="{width}" height="{height}" loading="lazy" decoding="async" alt="{caption}">'
        f"</a><figcaption>{caption}</figcaption></figure>"
    )


def place_photos(safe_html: str, page_url: str, by_file: dict[str, WebPhoto]) -> str:
    """Known photos become captioned figures; any other image (unknown or external) is dropped."""

    def lookup(tag: str) -> WebPhoto | None:
        found = _SRC.search(tag)
        return by_file.get(normalise_src(html.unescape(found.group(1)))) if found else None

    def replace(match: re.Match) -> str:
        alone, inline = match.group(1), match.group(2)
        photo = lookup(alone or inline)
        if photo is None:
            return ""
        return figure(page_url, photo) if alone else figure(page_url, photo).replace("figure", "span")

    return _IMAGE.sub(replace, safe_html)


def _facts(model: SiteModel, case: Case, page_url: str) -> str:
    unit = model.group_of("unit", case.unit)
    category = model.group_of("category", case.category)
    rows = [("申报单位", a(page_url, unit.url, case.unit))]
    if case.recommender:
        rows.append(("推荐单位", esc(case.recommender)))
    rows.append(("类别", a(page_url, category.url, case.category)))
    if case.themes:
        links = [a(page_url, model.group_of("theme", t).url, t, "cb-tag") for t in case.themes]
        rows.append(("主题", " ".join(links)))
    rows.append(("年度", a(page_url, urls.year_url(case.year), f"{case.year}年")))
    if case.authors:
        rows.append(("执笔人", esc("、".join(case.authors))))
    if case.award:
        rows.append(("获评情况", f'<span class="cb-award">{esc(case.award)}</span>'))
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<div class="cb-facts-box">\n<dl class="cb-facts">{items}</dl>\n</div>'


def _summary(case: Case) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", case.summary) if p.strip()]
    body = "".join(f"<p>{esc(' '.join(p.split()))}</p>" for p in paragraphs)
    return f'<div class="cb-summary">\n<p class="cb-summary__title">案例概要和创新点</p>{body}\n</div>'


def _footer(model: SiteModel, case: Case, page_url: str, books: dict[int, list]) -> str:
    prev, nxt = model.neighbours(case)
    nav = []
    if prev:
        nav.append(
            f'<a class="cb-case-nav__prev" rel="prev" href="{esc(urls.relative(page_url, urls.case_url(prev.slug)))}">'
            f'<span class="cb-case-nav__dir">上一篇（{esc(case.category)}）</span>{esc(prev.title)}</a>'
        )
    if nxt:
        nav.append(
            f'<a class="cb-case-nav__next" rel="next" href="{esc(urls.relative(page_url, urls.case_url(nxt.slug)))}">'
            f'<span class="cb-case-nav__dir">下一篇（{esc(case.category)}）</span>{esc(nxt.title)}</a>'
        )
    links = [
        a(page_url, model.group_of("category", case.category).url, f"{case.category}类全部案例"),
        a(page_url, urls.year_url(case.year), f"{case.year}年度全部案例"),
        a(page_url, model.group_of("unit", case.unit).url, "本单位全部案例"),
    ]
    for book in books.get(case.year, []):
        links.append(
            f'<a class="cb-book" href="{esc(urls.relative(page_url, book.site_path))}" download="{esc(book.name)}">'
            f"下载{esc(book.name)}</a>"
        )
    parts = ['<div class="cb-case-end">']
    if nav:
        parts.append(f'<nav class="cb-case-nav" aria-label="同类别案例">{"".join(nav)}</nav>')
    parts.append(f'<p class="cb-case-links">{" · ".join(links)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def body_markdown(
    case: Case, renderer: Renderer, photos: dict[tuple[str, int], WebPhoto], cache: RenderCache | None
) -> str:
    """The case body as engine Markdown: sanitised HTML blocks with Markdown headings between them,
    photos as captioned figures where the author placed them."""
    page_url = urls.case_url(case.slug)
    by_file = {
        normalise_src(p.file): photos[(case.slug, p.number)] for p in case.photos if (case.slug, p.number) in photos
    }

    def make() -> str:
        return to_markdown(split_headings(place_photos(clean(renderer.render(case.body)), page_url, by_file)))

    if cache is None:
        return make()
    photo_key = json.dumps(sorted((k, dataclasses.astuple(v)) for k, v in by_file.items()), ensure_ascii=False)
    return cache.get(cache.key(case.slug, case.body, photo_key, _PAGE_FORMAT), make)


def render(
    model: SiteModel,
    case: Case,
    renderer: Renderer,
    photos: dict[tuple[str, int], WebPhoto],
    books: dict[int, list],
    cache: RenderCache | None = None,
) -> str:
    page_url = urls.case_url(case.slug)
    unplaced = [photos[(case.slug, p.number)] for p in case.photos if not p.placed and (case.slug, p.number) in photos]
    parts = [
        front_matter(
            title=plain(case.title),
            description=plain(case.summary)[:150],
            tags=[plain(case.unit), *(plain(t) for t in case.themes)],  # search only: boosted, kept whole
        ),
        f"# {md_text(case.title)}\n",
        _facts(model, case, page_url),
        _summary(case),
        body_markdown(case, renderer, photos, cache),
    ]
    if unplaced:
        figures = "\n".join(figure(page_url, p) for p in unplaced)
        parts.append(f'<div class="cb-prose cb-more-photos">\n{figures}\n</div>')
    parts.append(_footer(model, case, page_url, books))
    return "\n\n".join(parts) + "\n"
