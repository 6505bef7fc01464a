"""build/wechat/index.html: every article at phone width (375 px) with its warnings, and a 复制正文
button that puts the article on the clipboard as text/html and text/plain. One self-contained page
(inline script and style, nothing fetched), so it works opened from file://.

The template (theme/wechat/preview.html, Jinja2 with autoescape) can be replaced by a collection's
own theme/wechat/preview.html. The only HTML handed to it is the articles as written by article.py
(read back from the staged article.html files), with image paths made relative to the page: the
template prints them with ``|safe``, everything else it escapes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
from lxml import html as lxml_html

from casebook.outputs.wechat import article, package, texts

SUBDIR = Path("theme") / "wechat"
TOOL_TEMPLATES = Path(__file__).resolve().parents[3] / SUBDIR
GENERATOR = "casebook wechat"  # in the page's <meta name="generator">: how an output folder is recognised


@dataclass(frozen=True)
class Entry:
    anchor: str  # an id for the page: c-<year>-<slug>
    folder: str  # <year>/<slug>
    meta: dict
    # the article as in article.html, its images pointing into its folder: shown, and copied (the
    # browser makes the paths absolute, so a program that can read local files finds the photos)
    html: str  # marked |safe in the template
    text: str  # the plain text (copied as text/plain)


def environment(root: Path | None = None) -> jinja2.Environment:
    folders = ([root / SUBDIR] if root else []) + [TOOL_TEMPLATES]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _displayed(fragment: str, folder: str) -> str:
    root = lxml_html.fragment_fromstring(fragment)
    for image in root.iter("img"):
        image.set("src", f"{folder}/{image.get('src')}")
    return lxml_html.tostring(root, encoding="unicode", method="html")


def entry(staging: Path, folder: str) -> Entry:
    """One case, read back from its staged folder."""
    base = staging / folder
    meta = json.loads((base / package.META).read_text(encoding="utf-8"))
    fragment = article.fragment_of((base / package.ARTICLE).read_text(encoding="utf-8"))
    anchor = "c-" + folder.replace("/", "-")
    # both are HTML article.py wrote from sanitised input (every text escaped by lxml's serializer)
    return Entry(anchor, folder, meta, _displayed(fragment, folder), texts.plain_text(fragment))


def render(entries: list[Entry], title: str, root: Path | None = None) -> str:
    warned = sum(1 for e in entries if e.meta.get("warnings"))
    page = environment(root).get_template("preview.html")
    return page.render(entries=entries, title=title, warned=warned, generator=GENERATOR)
