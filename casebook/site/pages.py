"""The pages around the cases: home, browse indexes, the all-cases table, downloads, editorial pages."""

from __future__ import annotations

from dataclasses import dataclass

from ..sortkey import initial, ranks
from . import urls
from .books import BookFile, human_size
from .chart import bars
from .html_parts import WebPhoto, a, cards, case_list, esc, front_matter
from .public_model import Group, SiteModel
from .sanitize import heading, plain

EXCLUDED = {"exclude": True}


@dataclass(frozen=True)
class ContentPage:
    """An editorial page from content/ (already sanitised into Markdown)."""

    name: str  # file stem
    title: str
    url: str
    markdown: str


def home(
    model: SiteModel, intro: str, photos: dict[tuple[str, int], WebPhoto], books: dict[int, list[BookFile]]
) -> str:
    url = urls.HOME
    parts = [front_matter(title=plain(model.title), hide=["toc"]), heading(1, model.title, "top"), intro.strip()]
    if model.cases:
        parts.append(heading(2, "案例概览", "overview"))
        year_rows = [(f"{g.name}年", len(g.cases), urls.relative(url, g.url)) for g in model.years]
        category_rows = [(g.name, len(g.cases), urls.relative(url, g.url)) for g in model.categories]
        browse = " · ".join(
            [
                a(url, urls.CATEGORIES, "按类别"),
                a(url, urls.YEARS, "按年度"),
                a(url, urls.THEMES, "按主题"),
                a(url, urls.UNITS, "按单位"),
                a(url, urls.ALL, f"全部 {len(model.cases)} 个案例"),
            ]
        )
        parts.append(
            f'<div class="cb-overview">\n{bars("各年度案例数", year_rows)}{bars("各类别案例数", category_rows)}\n'
            f'<p class="cb-browse-links">浏览：{browse}</p>\n</div>'
        )
    if model.featured:
        parts.append(heading(2, "获评案例", "featured"))
        parts.append(cards(url, model.featured, photos))
    if model.latest_year is not None:
        latest = model.group_of("year", model.latest_year)
        parts.append(heading(2, f"{latest.name}年度案例", "latest"))
        parts.append(cards(url, latest.cases, photos))
    return "\n\n".join(parts) + "\n"


def _index(title: str, url: str, groups: tuple[Group, ...], label, with_lists: bool) -> str:
    parts = [front_matter(title=title, search=EXCLUDED), f"# {title}\n"]
    summary = "".join(f'<li>{a(url, g.url, label(g))}<span class="cb-count">{len(g.cases)}</span></li>' for g in groups)
    parts.append(f'<ul class="cb-groups">\n{summary}\n</ul>')
    if with_lists:
        for group in groups:
            parts.append(heading(2, label(group), group.slug))
            parts.append(case_list(url, group.cases))
    return "\n\n".join(parts) + "\n"


def category_index(model: SiteModel) -> str:
    return _index("按类别浏览", urls.CATEGORIES, model.categories, lambda g: g.name, True)


def year_index(model: SiteModel) -> str:
    return _index("按年度浏览", urls.YEARS, model.years, lambda g: f"{g.name}年", True)


def theme_index(model: SiteModel) -> str:
    return _index("按主题浏览", urls.THEMES, model.themes, lambda g: g.name, False)


def unit_index(model: SiteModel) -> str:
    url = urls.UNITS
    parts = [front_matter(title="按单位浏览", search=EXCLUDED), "# 按单位浏览\n"]
    letters: dict[str, list[Group]] = {}
    for group in model.units:
        letters.setdefault(initial(group.name), []).append(group)
    order = sorted(letters, key=lambda x: (x == "#", x))
    jump = " ".join(f'<a href="#{letter.lower() if letter != "#" else "other"}">{letter}</a>' for letter in order)
    parts.append(f'<p class="cb-letters">{jump}</p>')
    for letter in order:
        parts.append(heading(2, letter, letter.lower() if letter != "#" else "other"))
        for group in letters[letter]:
            parts.append(
                f'<div class="cb-unit"><p class="cb-unit__name">{a(url, group.url, group.name)}'
                f'<span class="cb-count">{len(group.cases)}</span></p>\n{case_list(url, group.cases)}\n</div>'
            )
    return "\n\n".join(parts) + "\n"


def group_page(model: SiteModel, group: Group) -> str:
    titles = {
        "category": f"{group.name}类案例",
        "year": f"{group.name}年度案例",
        "theme": f"主题：{group.name}",
        "unit": group.name,
    }
    parents = {"category": (urls.CATEGORIES, "按类别"), "year": (urls.YEARS, "按年度"),
               "theme": (urls.THEMES, "按主题"), "unit": (urls.UNITS, "按单位")}  # fmt: skip
    title = titles[group.kind]
    parent_url, parent_label = parents[group.kind]
    parts = [
        front_matter(title=plain(title), search=EXCLUDED),
        heading(1, title, "top"),
        f'<p class="cb-crumbs">{a(group.url, parent_url, parent_label + "浏览")} · 共 {len(group.cases)} 个案例</p>',
        case_list(group.url, group.cases),
    ]
    return "\n\n".join(parts) + "\n"


def all_cases(model: SiteModel) -> str:
    url = urls.ALL
    rows = []
    title_rank = ranks(c.title for c in model.cases)  # the browser sorts data-key as plain strings
    unit_rank = ranks(c.unit for c in model.cases)
    for case in model.cases:
        rows.append(
            f'<tr><td data-key="{title_rank[case.title]}">{a(url, urls.case_url(case.slug), case.title)}</td>'
            f'<td data-key="{unit_rank[case.unit]}">{esc(case.unit)}</td>'
            f"<td>{esc(case.category)}</td><td>{case.year}</td></tr>"
        )
    category_options = "".join(f'<option value="{esc(g.name)}">{esc(g.name)}</option>' for g in model.categories)
    year_options = "".join(f'<option value="{esc(g.name)}">{esc(g.name)}</option>' for g in model.years)
    tools = (
        '<div class="cb-table-tools" hidden>'
        '<label>筛选 <input type="search" class="cb-filter-text" placeholder="案例名称或单位"></label>'
        f'<label>类别 <select class="cb-filter-col" data-col="2"><option value="">全部</option>{category_options}</select></label>'
        f'<label>年度 <select class="cb-filter-col" data-col="3"><option value="">全部</option>{year_options}</select></label>'
        '<span class="cb-filter-count" aria-live="polite"></span></div>'
    )
    header = "".join(
        f'<th scope="col" aria-sort="none"><button type="button" class="cb-sort" data-col="{i}">{label}</button></th>'
        for i, label in enumerate(("案例名称", "单位", "类别", "年度"))
    )
    table = (
        f'<div class="cb-table-wrap">\n{tools}\n<div class="cb-scroll"><table class="cb-table" id="cb-all-cases">'
        f"<thead><tr>{header}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>\n</div>"
    )
    return front_matter(title="全部案例", search=EXCLUDED, hide=["toc"]) + "# 全部案例\n\n" + table + "\n"


def downloads(model: SiteModel, books: dict[int, list[BookFile]]) -> str:
    url = urls.DOWNLOADS
    parts = [front_matter(title="下载", search=EXCLUDED), "# 下载\n", heading(2, "年度案例选编", "anthology")]
    items = []
    for group in model.years:
        year = int(group.name)
        files = books.get(year, [])
        if files:
            links = " ".join(
                f'<a class="md-button" href="{esc(urls.relative(url, f.site_path))}" download="{esc(f.name)}">'
                f"{f.kind.upper()}（{human_size(f.size)}）</a>"
                for f in files
            )
            items.append(f'<li><span class="cb-book-title">{esc(files[0].name.rsplit(".", 1)[0])}</span> {links}</li>')
        else:
            items.append(
                f'<li><span class="cb-book-title">{year}年度选编</span><span class="cb-muted">暂未发布</span></li>'
            )
    parts.append('<ul class="cb-downloads">\n' + "\n".join(items) + "\n</ul>")
    parts.append(heading(2, "案例目录数据", "data"))
    csv_link = a(url, "downloads/cases.csv", "案例目录（CSV，可用 Excel 打开）", extra=' download="案例目录.csv"')
    json_link = a(url, "downloads/cases.json", "案例目录（JSON）", extra=' download="案例目录.json"')
    parts.append(f'<ul class="cb-downloads"><li>{csv_link}</li><li>{json_link}</li></ul>')
    parts.append(
        '<p class="cb-muted">数据只含公开信息：案例名称、单位、推荐单位、类别、主题、年度、执笔人、获评情况和案例概要。</p>'
    )
    return "\n\n".join(parts) + "\n"


def content_page(page: ContentPage) -> str:
    return front_matter(title=plain(page.title)) + heading(1, page.title, "top") + "\n\n" + page.markdown
