"""The page of one case: facts, summary box, sanitised body with captioned photos, neighbours.

The page is Markdown for the engine; its HTML blocks come from the templates (case-*.html,
figure.html), which escape every value. The body is the one piece of HTML made here: nh3's
sanitised output, with figures (rendered by figure.html) where the author placed photos."""

from __future__ import annotations

import html
import json
import re

from jinja2 import Environment

from casebook.document import normalise_src
from casebook.model import Case
from casebook.outputs.site import qr as qr_code
from casebook.outputs.site import templates, urls
from casebook.outputs.site.html_parts import WebPhoto, front_matter
from casebook.outputs.site.public_model import SiteModel
from casebook.outputs.site.render_cache import RenderCache, flat
from casebook.outputs.site.sanitize import Renderer, clean, md_text, plain, split_headings, to_markdown

_IMAGE = re.compile(r"<p>\s*(<img\s[^>]*>)\s*</p>|(<img\s[^>]*>)")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_PAGE_FORMAT = "sanitised-html-only"  # in the cache key: pages cached by the old fast path are not reused
_BODY_TEMPLATES = ("figure.html", "macros.html")  # what a cached body was rendered with


def place_photos(safe_html: str, page_url: str, by_file: dict[str, WebPhoto], env: Environment | None = None) -> str:
    """Known photos become captioned figures, each once, at its first reference (as in the book:
    its caption's number is not repeated); later references and any other image (unknown or
    external) are dropped."""
    placed: set[str] = set()

    def lookup(tag: str) -> WebPhoto | None:
        found = _SRC.search(tag)
        return by_file.get(normalise_src(html.unescape(found.group(1)))) if found else None

    def replace(match: re.Match) -> str:
        alone, inline = match.group(1), match.group(2)
        photo = lookup(alone or inline)
        if photo is None or photo.full in placed:
            return ""
        placed.add(photo.full)
        return templates.render(env, "figure.html", page_url=page_url, photo=photo, tag="figure" if alone else "span")

    return _IMAGE.sub(replace, safe_html)


def body_markdown(
    case: Case,
    renderer: Renderer,
    photos: dict[tuple[str, int], WebPhoto],
    cache: RenderCache | None,
    env: Environment | None = None,
) -> str:
    """The case body as engine Markdown: sanitised HTML blocks with Markdown headings between them,
    photos as captioned figures where the author placed them."""
    page_url = urls.case_url(case.slug)
    by_file = {
        normalise_src(p.file): photos[(case.slug, p.number)] for p in case.photos if (case.slug, p.number) in photos
    }

    def make() -> str:
        body_html = place_photos(clean(renderer.render(case.body)), page_url, by_file, env)
        return to_markdown(split_headings(body_html))

    if cache is None:
        return make()
    photo_key = json.dumps(sorted((k, flat(v)) for k, v in by_file.items()), ensure_ascii=False)
    used = templates.fingerprint(env, *_BODY_TEMPLATES)
    return cache.get(cache.key(case.slug, case.body, photo_key, _PAGE_FORMAT, used), make)


_MD_HEADING = re.compile(r"^(#{2,3}) (.+) \{#([^}\s]+)\}$", re.M)
_MD_ESCAPE = re.compile(r"\\(.)")


def toc_entries(body: str) -> list[tuple[int, str, str]]:
    """The body's sections (level 2 and 3) as (level, text, anchor), from the engine Markdown
    (sanitize.heading wrote them: Markdown- and HTML-escaped text, explicit anchors)."""
    return [
        (len(hashes), html.unescape(_MD_ESCAPE.sub(r"\1", text)), anchor)
        for hashes, text, anchor in _MD_HEADING.findall(body)
    ]


def _summary_paragraphs(summary: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", summary) if p.strip()]


def render(
    model: SiteModel,
    case: Case,
    renderer: Renderer,
    photos: dict[tuple[str, int], WebPhoto],
    books: dict[int, list],
    cache: RenderCache | None = None,
    env: Environment | None = None,
) -> str:
    page_url = urls.case_url(case.slug)
    unplaced = [photos[(case.slug, p.number)] for p in case.photos if not p.placed and (case.slug, p.number) in photos]
    first = next((photos[(case.slug, p.number)] for p in case.photos if (case.slug, p.number) in photos), None)
    category = model.group_of("category", case.category)
    body = body_markdown(case, renderer, photos, cache, env)
    entries = toc_entries(body)
    qr = qr_code.make(model.case_address(case))
    parts = [
        front_matter(
            title=plain(case.title),
            description=plain(case.summary)[:150],
            tags=[plain(case.unit), *(plain(t) for t in case.themes)],  # search only: boosted, kept whole
            og_type="article",
            og_image=first.full if first else None,  # the share card's picture (site path; main.html)
        ),
        templates.render(
            env,
            "breadcrumb.html",
            page_url=page_url,
            current=case.title,
            trail=[("首页", urls.HOME), (f"按{model.category_term}", urls.CATEGORIES), (category.name, category.url)],
        ),
        f"# {md_text(case.title)}\n",
        templates.render(env, "case-facts.html", page_url=page_url, model=model, case=case, qr=qr),
        templates.render(
            env, "case-summary.html", label=model.summary_label, paragraphs=_summary_paragraphs(case.summary)
        ),
    ]
    if qr:
        parts.append(templates.render(env, "case-qr.html", qr=qr))
    if len(entries) > 1:  # one section needs no list of sections
        parts.append(templates.render(env, "case-toc.html", entries=entries))
    parts.append(body)
    if unplaced:
        parts.append(templates.render(env, "case-photos.html", page_url=page_url, photos=unplaced))
    end = {"page_url": page_url, "model": model, "case": case, "books": books.get(case.year, [])}
    parts.append(templates.render(env, "case-end.html", **end))
    return "\n\n".join(parts) + "\n"
