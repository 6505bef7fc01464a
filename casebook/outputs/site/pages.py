"""The pages around the cases: home, browse indexes, the all-cases table, downloads, editorial pages.

Each page is Markdown for the engine: front matter and headings from here, HTML blocks from the
templates (casebook.outputs.site.templates), which escape every value they print."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment

from casebook.outputs.site import urls
from casebook.outputs.site.books import BookFile
from casebook.outputs.site.chart import bars
from casebook.outputs.site.html_parts import WebPhoto, front_matter
from casebook.outputs.site.public_model import Group, SiteModel
from casebook.outputs.site.sanitize import heading, plain
from casebook.outputs.site.templates import render
from casebook.publish.sortkey import initial, ranks

EXCLUDED = {"exclude": True}


@dataclass(frozen=True)
class ContentPage:
    """An editorial page from content/ (already sanitised into Markdown)."""

    name: str  # file stem
    title: str
    url: str
    markdown: str


def _page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


HOME_CRUMB = ("首页", urls.HOME)


def breadcrumb(env: Environment | None, page_url: str, current: str, *trail: tuple[str, str]) -> str:
    """首页 › … › the page (above the page's title); ``trail``: (label, url) below the home page."""
    return render(env, "breadcrumb.html", page_url=page_url, trail=[HOME_CRUMB, *trail], current=current)


def _overview(model: SiteModel, env: Environment | None) -> str:
    url = urls.HOME
    years = [(f"{g.name}年", len(g.cases), urls.relative(url, g.url)) for g in model.years]
    categories = [(g.name, len(g.cases), urls.relative(url, g.url)) for g in model.categories]
    term = model.category_term
    return render(
        env, "home-overview.html", page_url=url, model=model, browse=browse_links(model),
        year_chart=bars("各年度案例数", years, "年度"), category_chart=bars(f"各{term}案例数", categories, term),
    )  # fmt: skip


def browse_links(model: SiteModel) -> list[tuple[str, str]]:
    """The browse pages as (label, url), in the navigation's order: 按类别 (or the campaign's own word,
    按领域), 按年度, 按主题 (only when some case has a theme), 按单位, 全部案例."""
    links = [(f"按{model.category_term}", urls.CATEGORIES), ("按年度", urls.YEARS)]
    if model.themes:
        links.append(("按主题", urls.THEMES))
    return links + [("按单位", urls.UNITS), ("全部案例", urls.ALL)]


def home(
    model: SiteModel,
    intro: str,
    photos: dict[tuple[str, int], WebPhoto],
    books: dict[int, list[BookFile]],
    env: Environment | None = None,
) -> str:
    """``intro``: content/index.md, sanitised Markdown."""
    url = urls.HOME
    parts = [front_matter(title=plain(model.title), hide=["navigation", "toc"]), heading(1, model.title, "top")]
    parts += [render(env, "home-banner.html", model=model), intro.strip()]
    if model.cases:
        parts += [heading(2, "案例概览", "overview"), _overview(model, env)]
    if model.featured:
        parts += [heading(2, "获评案例", "featured")]
        parts += [render(env, "cards.html", page_url=url, cases=model.featured, photos=photos)]
    if model.latest_year is not None:
        latest = model.group_of("year", model.latest_year)
        parts += [heading(2, f"{latest.name}年度案例", "latest")]
        parts += [render(env, "cards.html", page_url=url, cases=latest.cases, photos=photos)]
    return _page(*parts)


@dataclass(frozen=True)
class Cover:
    """The picture of a group's card: the thumbnail of the first photo of its first case with one."""

    thumb: str  # site path
    size: tuple[int, int] | None  # None: not known here (the card's frame keeps its shape anyway)


def thumb_path(slug: str, number: int) -> str:
    """Where the builder publishes a photo's thumbnail (builder._photos)."""
    return f"cases/{slug}/photo-{number}-s.jpg"


def cover(group: Group, photos: dict[tuple[str, int], WebPhoto] | None = None) -> Cover | None:
    """``photos``: the published photos (their sizes known); without them, the thumbnail's path."""
    for case in group.cases:
        for photo in case.photos:
            if photos is None:
                return Cover(thumb_path(case.slug, photo.number), None)
            web = photos.get((case.slug, photo.number))
            if web is not None:
                return Cover(web.thumb, web.thumb_size)
    return None


def _index(
    title: str,
    url: str,
    groups: tuple[Group, ...],
    suffix: str,
    with_lists: bool,
    env: Environment | None,
    photos: dict[tuple[str, int], WebPhoto] | None = None,
) -> str:
    parts = [front_matter(title=title, search=EXCLUDED), breadcrumb(env, url, title), f"# {title}\n"]
    covers = [(group, cover(group, photos)) for group in groups]
    parts.append(render(env, "browse-groups.html", page_url=url, covers=covers, suffix=suffix))
    if with_lists:
        for group in groups:
            parts.append(heading(2, group.name + suffix, group.slug))
            parts.append(render(env, "case-list.html", page_url=url, cases=group.cases))
    return _page(*parts)


def category_index(
    model: SiteModel, env: Environment | None = None, photos: dict[tuple[str, int], WebPhoto] | None = None
) -> str:
    return _index(f"按{model.category_term}浏览", urls.CATEGORIES, model.categories, "", True, env, photos)


def year_index(
    model: SiteModel, env: Environment | None = None, photos: dict[tuple[str, int], WebPhoto] | None = None
) -> str:
    return _index("按年度浏览", urls.YEARS, model.years, "年", True, env, photos)


def theme_index(
    model: SiteModel, env: Environment | None = None, photos: dict[tuple[str, int], WebPhoto] | None = None
) -> str:
    return _index("按主题浏览", urls.THEMES, model.themes, "", True, env, photos)


def _anchor(letter: str) -> str:
    return letter.lower() if letter != "#" else "other"


def unit_index(model: SiteModel, env: Environment | None = None) -> str:
    """Units under their pinyin initial (A–Z, then # for the rest)."""
    parts = [
        front_matter(title="按单位浏览", search=EXCLUDED),
        breadcrumb(env, urls.UNITS, "按单位浏览"),
        "# 按单位浏览\n",
    ]
    letters: dict[str, list[Group]] = {}
    for group in model.units:
        letters.setdefault(initial(group.name), []).append(group)
    order = sorted(letters, key=lambda x: (x == "#", x))
    parts.append(render(env, "browse-letters.html", letters=[(_anchor(letter), letter) for letter in order]))
    for letter in order:
        parts.append(heading(2, letter, _anchor(letter)))
        parts += [render(env, "browse-unit.html", page_url=urls.UNITS, group=group) for group in letters[letter]]
    return _page(*parts)


_TITLES = {"category": "{}类案例", "year": "{}年度案例", "theme": "主题：{}", "unit": "{}"}
_PARENTS = {"category": (urls.CATEGORIES, "按类别"), "year": (urls.YEARS, "按年度"),
            "theme": (urls.THEMES, "按主题"), "unit": (urls.UNITS, "按单位")}  # fmt: skip


def category_title(model: SiteModel, name: str) -> str:
    """企业类案例; with a campaign's own word: 农村领域案例."""
    term = model.category_term
    return f"{name}类案例" if term == "类别" else f"{name}{term}案例"


def parent_of(model: SiteModel, kind: str) -> tuple[str, str]:
    """The index page a browse page belongs to: (url, label), e.g. (categories/, 按领域)."""
    url, label = _PARENTS[kind]
    return (url, f"按{model.category_term}") if kind == "category" else (url, label)


def group_page(
    model: SiteModel,
    group: Group,
    env: Environment | None = None,
    photos: dict[tuple[str, int], WebPhoto] | None = None,
) -> str:
    """The cases of one category, year, theme or unit as picture cards (first photo, when given)."""
    title = category_title(model, group.name) if group.kind == "category" else _TITLES[group.kind].format(group.name)
    parent_url, parent_label = parent_of(model, group.kind)
    block = render(
        env, "browse-group.html", page_url=group.url, group=group, parent_url=parent_url, parent_label=parent_label,
        cases=group.cases, photos=photos or {},
    )  # fmt: skip
    crumbs = breadcrumb(env, group.url, title, (parent_label, parent_url))
    return _page(front_matter(title=plain(title), search=EXCLUDED), crumbs, heading(1, title, "top"), block)


def all_cases(model: SiteModel, env: Environment | None = None) -> str:
    table = render(
        env, "all-cases.html", page_url=urls.ALL, model=model,
        title_rank=ranks(c.title for c in model.cases), unit_rank=ranks(c.unit for c in model.cases),
    )  # fmt: skip
    crumbs = breadcrumb(env, urls.ALL, "全部案例")
    return front_matter(title="全部案例", search=EXCLUDED, hide=["toc"]) + crumbs + "\n\n# 全部案例\n\n" + table + "\n"


def downloads(model: SiteModel, books: dict[int, list[BookFile]], env: Environment | None = None) -> str:
    url = urls.DOWNLOADS
    volumes = [(int(g.name), books.get(int(g.name), [])) for g in model.years]
    return _page(
        front_matter(title="下载", search=EXCLUDED),
        breadcrumb(env, url, "下载"),
        "# 下载\n",
        heading(2, "年度案例选编", "anthology"),
        render(env, "downloads-books.html", page_url=url, volumes=volumes),
        heading(2, "案例目录数据", "data"),
        render(env, "downloads-data.html", page_url=url, model=model),
    )


def content_page(page: ContentPage, env: Environment | None = None) -> str:
    crumbs = breadcrumb(env, page.url, page.title)
    return (
        front_matter(title=plain(page.title)) + crumbs + "\n\n" + heading(1, page.title, "top") + "\n\n" + page.markdown
    )
