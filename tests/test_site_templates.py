"""The templates of the generated pages, rendered in-process with hostile case values: every value is
escaped by autoescape and stays text (never markup, never template source) in every page kind, and
a collection's own templates override the tool's one by one."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT
from markupsafe import escape
from PIL import Image

from casebook.inputs.loader import load
from casebook.outputs.site import case_page, pages, public_model, templates
from casebook.outputs.site.books import BookFile
from casebook.outputs.site.chart import bars
from casebook.outputs.site.html_parts import WebPhoto
from casebook.outputs.site.render_cache import RenderCache
from casebook.outputs.site.sanitize import Renderer

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
EXPRESSION = "{{ 7*7 }}"
STATEMENT = "{% raw %}"
HOSTILE = SCRIPT + BREAKOUT + EXPRESSION + STATEMENT
TITLE, UNIT, CATEGORY, THEME = f"标题{HOSTILE}", f"单位{HOSTILE}", f"类别{HOSTILE}", f"主题{HOSTILE}"
RECOMMENDER, AUTHOR, AWARD, SUMMARY = f"推荐{HOSTILE}", f"执笔{HOSTILE}", f"奖项{HOSTILE}", f"概要{HOSTILE}"
CAPTION = f"1.2024年5月，图注{HOSTILE}"
BOOK = f"选编{HOSTILE}（2024年度）.pdf"
BODY = "## 一、基本情况\n\n正文{{ 7*7 }}\n\n![](1.jpg)\n\n## 二、主要做法\n\n做法。\n\n## 三、工作成效\n\n成效。\n\n## 四、工作启示\n\n启示。\n"


def _write_case(root: Path, folder: str, **front: object) -> None:
    path = root / "cases" / "2024" / folder
    path.mkdir(parents=True)
    Image.new("RGB", (40, 30), (90, 120, 150)).save(path / "1.jpg")
    photos = [{"file": "1.jpg", "time": "2024年5月", "subject": "甲单位", "event": "开展活动"}]
    values = {"category": CATEGORY, "year": 2024, "photos": photos, **front}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    (path / "index.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + BODY, encoding="utf-8")


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    """A hostile case and a plain neighbour in the same (hostile) category, so each shows in the
    other's footer. Categories and themes outside the profile are errors for check, not for the model."""
    root = tmp_path_factory.mktemp("templates") / "collection"
    shutil.copytree(PROJECT / "content", root / "content")
    _write_case(
        root, "恶意厂-注入", slug="zhuru", title=TITLE, unit=UNIT, recommender=RECOMMENDER, themes=[THEME],
        authors=[AUTHOR, BREAKOUT], award=AWARD, summary=SUMMARY,
    )  # fmt: skip
    _write_case(root, "邻居厂-普通", slug="linju", title="普通案例", unit="邻居厂", summary="普通概要。")
    loaded, _ = load(root)
    return loaded


@pytest.fixture(scope="module")
def model(collection):
    return public_model.make(collection)


@pytest.fixture(scope="module")
def photos(model):
    return {(c.slug, 1): WebPhoto(f"cases/{c.slug}/photo-1.jpg", (1600, 1200), f"cases/{c.slug}/photo-1-s.jpg",
                                  (600, 450), CAPTION) for c in model.cases}  # fmt: skip


@pytest.fixture(scope="module")
def books():
    return {2024: [BookFile(2024, "pdf", Path("x.pdf"), BOOK, "downloads/2024/anthology-2024.pdf", 2048)]}


@pytest.fixture(scope="module")
def rendered(collection, model, photos, books) -> dict[str, str]:
    """Every page kind, as the builder writes it."""
    renderer = Renderer()
    result = {f"case:{c.slug}": case_page.render(model, c, renderer, photos, books) for c in model.cases}
    result["home"] = pages.home(model, "", photos, books)
    result["categories"] = pages.category_index(model)
    result["years"] = pages.year_index(model)
    result["themes"] = pages.theme_index(model)
    result["units"] = pages.unit_index(model)
    for group in (*model.categories, *model.years, *model.themes, *model.units):
        result[f"group:{group.kind}:{group.name}"] = pages.group_page(model, group)
    result["all"] = pages.all_cases(model)
    result["downloads"] = pages.downloads(model, books)
    return result


class _Tags(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_inert(name: str, page: str) -> None:
    assert SCRIPT not in page and BREAKOUT not in page and "<img src=x" not in page, name
    for tag, attrs in _Tags(page).tags:
        assert tag not in ("script", "iframe", "object", "embed"), (name, tag)
        assert not any(attr.startswith("on") for attr in attrs), (name, tag, attrs)
        assert attrs.get("src") != "x", (name, tag, attrs)


def test_every_page_is_inert(rendered):
    assert len(rendered) >= 12
    for name, page in rendered.items():
        _assert_inert(name, page)


def _shows(page: str, *values: str) -> bool:
    """Each value is on the page exactly as autoescape writes it: escaped, braces left alone."""
    return all(str(escape(value)) in page for value in values)


def test_case_page_facts_summary_figure_and_footer(rendered):
    page = rendered["case:zhuru"]
    facts = page[page.index('<div class="cb-facts-box">') : page.index('<div class="cb-summary">')]
    assert _shows(facts, UNIT, RECOMMENDER, CATEGORY, THEME, AWARD, f"{AUTHOR}、{BREAKOUT}")
    summary = page[page.index('<div class="cb-summary">') :]
    assert _shows(summary[: summary.index("</div>")], SUMMARY)
    figure = re.search(r'<figure class="cb-figure">.*?</figure>', page).group(0)
    assert str(escape(CAPTION)) in figure and figure.count(str(escape(CAPTION))) == 3  # data-caption, alt, caption
    end = page[page.index('<div class="cb-case-end">') :]
    assert _shows(
        end, f"下一篇（{CATEGORY}）", f"{CATEGORY}类全部案例", f"下载《{BOOK.rsplit('.', 1)[0]}》（PDF · 2 KB）"
    )
    assert f'download="{escape(BOOK)}"' in end
    neighbour = rendered["case:linju"]
    assert _shows(neighbour[neighbour.index('<div class="cb-case-end">') :], TITLE, f"上一篇（{CATEGORY}）")


def test_home_cards_and_charts(rendered):
    home = rendered["home"]
    cards = home[home.index('<div class="cb-cards">') :]
    assert _shows(cards, TITLE, UNIT, AWARD) and f'alt="{escape(CAPTION)}"' in cards
    chart = home[home.index('<div class="cb-overview">') : home.index("cb-browse-links")]
    assert f"<title>{escape(CATEGORY)}：2 个案例</title>" in chart
    assert f'text-anchor="end">{escape(CATEGORY)}</text>' in chart


def test_browse_pages(rendered):
    for name in ("categories", "years", "units", f"group:unit:{UNIT}", f"group:theme:{THEME}"):
        assert _shows(rendered[name], TITLE, UNIT), name
    assert _shows(rendered["themes"], THEME) and _shows(rendered["categories"], CATEGORY)
    crumbs = rendered[f"group:category:{CATEGORY}"]
    assert '<li><a href="../../../">首页</a></li><li><a href="../../../browse/category/">按类别</a></li>' in crumbs
    assert f'<li aria-current="page">{escape(CATEGORY)}类案例</li>' in crumbs and "共 2 个案例</p>" in crumbs


def test_all_cases_table_and_downloads(rendered):
    table = rendered["all"]
    assert f'<option value="{escape(CATEGORY)}">{escape(CATEGORY)}</option>' in table
    row = next(line for line in table.splitlines() if "zhuru" in line)
    assert re.fullmatch(r'<tr><td data-key="\d+"><a href="[^"]+">.*</a></td><td data-key="\d+">.*</td>.*</tr>', row)
    assert _shows(row, TITLE, UNIT, CATEGORY)
    downloads = rendered["downloads"]
    assert f'download="{escape(BOOK)}"' in downloads
    assert f'<span class="cb-book-title">《{escape(BOOK.rsplit(".", 1)[0])}》</span>' in downloads
    assert 'PDF<span class="cb-sr">版</span> · 2 KB</a>' in downloads


def test_case_text_is_never_template_source(rendered):
    """{{ 7*7 }} stays as typed (49 would mean case text was compiled as a template)."""
    for name in ("case:zhuru", "home", "units", "all"):
        assert EXPRESSION in rendered[name] and STATEMENT in rendered[name], name
    assert "正文{{ 7*7 }}" in rendered["case:zhuru"]  # the body too (sanitised HTML, not a template)
    assert not any(re.search(r"(标题|单位|概要|奖项)49", page) for page in rendered.values())


def test_chart_geometry_and_escaping():
    chart = bars(f"图{SCRIPT}", [(f"甲{BREAKOUT}", 4, '"><x'), ("乙", 2, "b/")])
    svg = (
        templates.tool_environment().from_string('{% from "macros.html" import chart %}{{ chart(c) }}').render(c=chart)
    )
    assert svg.startswith('<figure class="cb-chart"><figcaption>图&lt;script&gt;')
    assert 'href="&#34;&gt;&lt;x"' in svg and 'width="220"' in svg and 'width="110"' in svg
    assert bars("空", []) is None


def test_collection_templates_override_the_tools_one_by_one(tmp_path, model, photos):
    own = tmp_path / "theme" / "site" / "casebook"
    own.mkdir(parents=True)
    (own / "cards.html").write_text('<p class="own">{{ cases|length }} 个：{{ cases[0].title }}</p>\n', "utf-8")
    env = templates.environment(tmp_path)
    home = pages.home(model, "", photos, {}, env=env)
    assert f'<p class="own">2 个：{escape(TITLE)}</p>' in home  # still escaped: the values are not trusted
    assert '<div class="cb-overview">' in home and '<div class="cb-cards">' not in home  # the rest: the tool's


def test_an_edited_figure_template_re_renders_cached_bodies(tmp_path, model, photos):
    case = next(c for c in model.cases if c.slug == "zhuru")
    own = tmp_path / "theme" / "site" / "casebook"
    own.mkdir(parents=True)
    cache = RenderCache(tmp_path / "rendered.json")
    assert "cb-figure" in case_page.body_markdown(case, Renderer(), photos, cache)
    (own / "figure.html").write_text('<p class="own-figure">{{ photo.caption }}</p>\n', "utf-8")
    body = case_page.body_markdown(case, Renderer(), photos, cache, templates.environment(tmp_path))
    assert f'<p class="own-figure">{escape(CAPTION)}</p>' in body and "cb-figure" not in body


def test_shipped_templates_never_mark_values_safe():
    """Only *.html (mkdocs skips those when copying a theme's static files into the site), and no
    way around autoescape: no |safe, no Markup, no autoescape false."""
    shipped = sorted(templates.TOOL_TEMPLATES.iterdir())
    assert shipped and all(path.suffix == ".html" for path in shipped)
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|Markup|autoescape\s+false", text), path.name
