"""The showcase in the generated pages and templates, without a browser (issues 16 and 11): the page
language, text alternatives (photo alt from captions, the charts' text tables), breadcrumbs, Open
Graph tags, the case page's source line, print button and related cases, the browse pages, the
all-cases table's theme column, "申报单位" wording, the palette, fonts and the logo. The browser side
(axe-core, keyboard, font size, zoom) is tests/test_a11y.py."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, _copy_sample

from casebook.inputs.loader import load
from casebook.outputs.site import builder, mkdocs_config

THEME = PROJECT / "theme" / "site"
CASE = "banzu-weixuanjiang"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, warm_caches):
    root = tmp_path_factory.mktemp("showcase") / "collection"
    _copy_sample(root)
    for cache in (Path(".cache") / "assets", Path(".cache") / "site" / "photos", Path("build") / ".cache"):
        shutil.copytree(warm_caches / cache, root / cache, copy_function=os.link)
    collection, _ = load(root)
    return collection, builder.prepare(collection)


def _page(prepared, url: str) -> str:
    return (prepared[1].docs / url / "index.md").read_text(encoding="utf-8")


def _front(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def test_photo_alt_text_is_the_caption(prepared):
    collection, _ = prepared
    case = next(c for c in collection.cases if c.slug == CASE)
    page = _page(prepared, f"cases/{CASE}")
    for photo in case.photos:
        assert f'alt="{photo.caption}"' in page and f"<figcaption>{photo.caption}</figcaption>" in page
    assert not re.search(r'<img (?![^>]*\balt=")', page)  # no image without alt


def test_case_page_breadcrumb_source_print_and_share_card(prepared):
    page = _page(prepared, f"cases/{CASE}")
    front = _front(page)
    assert front["og_type"] == "article" and front["og_image"] == f"cases/{CASE}/photo-1.jpg"
    assert front["description"]
    crumb = re.search(r'<nav class="cb-breadcrumb" aria-label="当前位置">.*?</nav>', page).group(0)
    assert re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", crumb) == ["首页", "按类别", "企业"]
    assert '<li aria-current="page">班组“微宣讲”让创新理论走进车间</li>' in crumb
    assert page.index("cb-breadcrumb") < page.index("\n# ")
    assert (
        '<p class="cb-source">来源：江淮机械工业职工思想政治工作研究会 · <span class="cb-nowrap">2024年度</span></p>'
        in page
    )
    assert "data-cb-print" in page and "打印本案例" in page


def test_related_cases_share_unit_or_theme(prepared):
    collection, result = prepared
    model = result.model
    for case in model.cases:
        related = model.related(case)
        assert case not in related and len(related) <= 4
        assert all(r.unit == case.unit or set(r.themes) & set(case.themes) for r in related)
        assert related == model.related(case)  # deterministic
    page = _page(prepared, f"cases/{CASE}")
    section = page[page.index('<section class="cb-related"') : page.index("</section>")]
    assert '<h2 id="cb-related">相关案例</h2>' in section
    for case in model.related(next(c for c in model.cases if c.slug == CASE)):
        assert f"../../cases/{case.slug}/" in section


def test_browse_pages_have_breadcrumbs_and_distinguish_units(prepared):
    group = _page(prepared, "browse/category/qiye")
    assert re.findall(r"<li><a [^>]*>([^<]+)</a></li>", group)[:2] == ["首页", "按类别"]
    assert '<li aria-current="page">企业类案例</li>' in group and "共 7 个案例" in group
    assert group.count('<a class="cb-card"') == 7 and group.count("<img ") >= 6  # picture cards
    home = _page(prepared, "")
    assert '<div class="cb-banner">' in home and '<span class="cb-figures__value">12</span>' in home
    assert _front(home)["hide"] == ["navigation", "toc"]
    units = _page(prepared, "browse/unit")
    assert units.count('<h3 class="cb-unit__name">') == len(prepared[1].model.units)
    themes = _page(prepared, "browse/theme")
    assert 'class="cb-list__title"' in themes  # the theme index lists its cases
    for url in ("browse/unit", "browse/year", "all", "downloads", "preface", "about"):
        assert '<nav class="cb-breadcrumb"' in _page(prepared, url), url


def test_chart_has_a_text_table_and_no_nested_links(prepared):
    home = _page(prepared, "")
    assert home.count("<svg") == 2
    for svg in re.findall(r"<svg .*?</svg>", home, re.S):
        assert 'aria-hidden="true"' in svg and 'role="img"' not in svg
        assert all('tabindex="-1"' in a for a in re.findall(r"<a [^>]*>", svg))
    tables = re.findall(r'<details class="cb-chart__data">.*?</details>', home, re.S)
    assert len(tables) == 2
    assert (
        '<th scope="col">年度</th>' in tables[0]
        and '<th scope="row"><a href="browse/year/2024/">2024年</a></th><td>6</td>' in tables[0]
    )
    assert '<th scope="col">类别</th>' in tables[1]


def test_all_cases_table_wording_and_theme_filter(prepared):
    table = _page(prepared, "all")
    headers = re.findall(r'<button type="button" class="cb-sort" data-col="\d">([^<]+)</button>', table)
    assert headers == ["案例名称", "申报单位", "类别", "年度", "主题"]
    assert '<option value="理想信念教育">理想信念教育</option>' in table
    assert table.count('data-values="理想信念教育') + len(re.findall(r'data-values="[^"]*\n理想信念教育', table)) == 3
    assert "案例名称、申报单位或主题" in table
    data = _page(prepared, "downloads")
    assert "案例名称、申报单位、推荐单位" in data


def test_downloads_years_not_out_yet_do_not_wrap(prepared):
    page = _page(prepared, "downloads")  # no anthology built in this copy: the note for each year
    for group in prepared[1].model.years:
        assert f'<span class="cb-nowrap">{group.name}年度</span>选编' in page


def test_templates_declare_zh_cn_og_tags_and_chinese_404():
    languages = (THEME / "partials" / "languages" / "zh.html").read_text(encoding="utf-8")
    assert '"language": "zh-CN"' in languages and '"action.skip": "跳到正文"' in languages
    import material

    original = (Path(material.__file__).parent / "templates" / "partials" / "languages" / "zh.html").read_text("utf-8")
    keys = lambda text: set(re.findall(r'^\s*"([a-z.]+)":', text, re.M))  # noqa: E731
    assert keys(languages) == keys(original)  # every string Material asks for is still there
    main = (THEME / "main.html").read_text(encoding="utf-8")
    for tag in ("og:title", "og:description", "og:image", "og:url", "og:type", "og:site_name"):
        assert f'property="{tag}"' in main
    assert 'localStorage.getItem("casebook.size")' in main and "data-cb-contrast" in main
    notfound = (THEME / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in notfound and "返回首页" in notfound and "404 - Not found" not in notfound
    assert 'alt=""' in (THEME / "partials" / "logo.html").read_text(encoding="utf-8")


def test_palette_fonts_and_logo(tmp_path):
    css = (THEME / "assets" / "casebook" / "casebook.css").read_text(encoding="utf-8")
    assert "#ef5350" not in css.lower() and "--md-primary-fg-color: #b71c1c" in css
    stack = re.search(r"--md-text-font-family: ([^;]+);", css).group(1)
    assert stack.split(",")[0].strip() == '"PingFang SC"' and "Noto Sans CJK SC" in stack
    assert re.search(r"\.md-typeset figcaption[^{]*\{[^}]*font-style: normal", css)
    assert re.search(r":focus-visible[^{]*\{[^}]*outline:", css)
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert all(p["primary"] == "custom" and p["accent"] == "custom" for p in config["theme"]["palette"])
    generated = mkdocs_config.generate(
        {}, site_name="名", docs_dir=tmp_path, site_dir=tmp_path, theme_dir=THEME, user_dict=tmp_path / "d",
        nav=[], extra={},
    )  # fmt: skip
    assert generated["theme"]["logo"] == generated["theme"]["favicon"] == "assets/casebook/logo.svg"
    own = mkdocs_config.generate(
        {"theme": {"logo": "mine.png"}}, site_name="名", docs_dir=tmp_path, site_dir=tmp_path, theme_dir=THEME,
        user_dict=tmp_path / "d", nav=[], extra={},
    )  # fmt: skip
    assert own["theme"]["logo"] == "mine.png"
    assert (THEME / "assets" / "casebook" / "logo.svg").read_text(encoding="utf-8").startswith("<svg")


def test_related_prefers_same_unit(prepared):
    model = prepared[1].model
    by_unit: dict[str, list] = {}
    for case in model.cases:
        by_unit.setdefault(case.unit, []).append(case)
    case = next(cases[0] for cases in by_unit.values() if len(cases) > 1)
    assert model.related(case)[0].unit == case.unit
