"""One search record per published case, built from the public site model only (``public_model``
holds approved, public cases without contacts): each field kept apart, so a snippet never runs the
fact box together."""

from __future__ import annotations

import html
import marshal
import re
from dataclasses import dataclass

from casebook.outputs.site import urls
from casebook.outputs.site.public_model import SiteModel
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.site.search.fold import sentences

# ranked fields, best first (the browser script ranks by these numbers)
TITLE, UNIT, SUMMARY, BODY, OTHER = range(5)
FIELDS = ("title", "unit", "summary", "body", "other")

_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|blockquote|pre|div|figcaption|dt|dd)>|<br\s*/?>", re.I)
_DROP = re.compile(r"<(figure|figcaption|script|style)\b.*?</\1>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class Record:
    number: int  # position in site order (the public model's order)
    url: str  # site path, directory form ("cases/x/")
    title: str
    unit: str
    category: str
    year: int
    themes: tuple[str, ...]
    award: str
    stored: tuple | bytes  # the parts, or (from the build cache, see packed) their marshal bytes

    @property
    def parts(self) -> tuple[tuple[int, str], ...]:
        """(field, sentence) in reading order; title and unit first. Decoded from the build cache when
        first read: an edit's rebuild reads the parts of the records it changed, not of a thousand."""
        if isinstance(self.stored, bytes):
            object.__setattr__(self, "stored", marshal.loads(self.stored))
        return self.stored


def text_of(safe_html: str) -> str:
    """The readable text of sanitised HTML: one line per block, no markup, no invisible characters."""
    text = _BLOCK_END.sub("\n", _DROP.sub("", safe_html))
    return _INVISIBLE.sub("", html.unescape(_TAG.sub("", text)))


def _clean(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def _lines(text: str) -> list[str]:
    result = []
    for line in text.splitlines():
        result += sentences(_clean(line))
    return result


class CachedRenderer(Renderer):
    """A renderer whose sanitised HTML comes from ``cache`` (a render_cache.BlobCache) by the source's
    digest and ``prefix`` (what else the HTML depends on: the code that makes it): an unchanged body
    is not converted again when the index is rebuilt."""

    def __init__(self, cache, prefix: str) -> None:
        super().__init__()
        self._cache, self._prefix = cache, prefix

    def _key(self, source: str) -> str:
        return self._cache.key(self._prefix, "html", source)

    def to_html(self, source: str) -> str:
        make = super().to_html  # kept as UTF-8: a build reads the cache whole, and needs few of these
        value, _ = self._cache.get(self._key(source), lambda: make(source).encode("utf-8"))
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def keep(self, source: str) -> None:
        """The HTML of ``source`` stays in the cache (when there) though this build did not need it."""
        self._cache.keep(self._key(source))


def sources(case) -> tuple[str, ...]:
    """Everything a case's record is made from (with the renderer's code): a cache key's parts."""
    captions = [p.caption or "" for p in case.photos]
    facts = (case.slug, case.title, case.unit, case.summary, case.body, case.recommender or "", case.category)
    return (*facts, str(case.year), *case.themes, "\0", case.award or "", *captions)


def fields(case, renderer: Renderer) -> tuple:
    """A case's record without its number (plain values: cached by ``sources``)."""
    parts: list[tuple[int, str]] = [(TITLE, _clean(case.title)), (UNIT, _clean(case.unit))]
    parts += [(SUMMARY, s) for s in _lines(case.summary)]
    parts += [(BODY, s) for s in _lines(text_of(renderer.to_html(case.body)))]
    others = [case.recommender, case.category, *case.themes, case.award, *(p.caption for p in case.photos)]
    parts += [(OTHER, s) for value in others if value for s in _lines(value)]
    url = urls.case_url(case.slug)
    return (
        url,
        _clean(case.title),
        _clean(case.unit),
        case.category,
        case.year,
        tuple(case.themes),
        case.award,
        tuple(parts),
    )


def packed(case, renderer: Renderer) -> tuple:
    """fields() as the build cache keeps it: the parts, nearly all of a record's size, as one marshal
    blob (Record.parts decodes it when read)."""
    made = fields(case, renderer)
    return (*made[:-1], marshal.dumps(made[-1]))


def make(model: SiteModel, renderer: Renderer | None = None) -> list[Record]:
    renderer = renderer or Renderer()
    return [Record(number, *fields(case, renderer)) for number, case in enumerate(model.cases)]
