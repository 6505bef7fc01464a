"""The showcase in the generated pages and templates, without a browser (issues 16 and 11): the page
language, text alternatives (photo alt from captions, the charts' text tables), breadcrumbs, Open
Graph tags, the case page's source line, print button and related cases, the browse pages, the
all-cases table's theme column, "申报单位" wording, the palette, fonts and the logo. The browser side
(axe-core, keyboard, font size, zoom) is tests/test_a11y.py."""

from __future__ import annotations

import dataclasses
import io
import os
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, _copy_sample
from PIL import Image
from test_site_helpers import set_site_url

from casebook.inputs.loader import load
from casebook.outputs.site import builder, mkdocs_config, public_model

THEME = PROJECT / "theme" / "site"
CASE = "banzu-weixuanjiang"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, warm_caches):
    """The sample without site_url (an address not known yet); ``prepared_with_url``: with it."""
    root = tmp_path_factory.mktemp("showcase") / "collection"
    _copy_sample(root)
    for cache in (Path(".cache") / "assets", Path(".cache") / "site" / "photos", Path("build") / ".cache"):
        shutil.copytree(warm_caches / cache, root / cache, copy_function=os.link)
    set_site_url(root, None)
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


def _related_by_definition(model, case, limit=4):
    """Every other case scored (same unit, themes shared), best first, then site order."""
    themes = set(case.themes)
    scored = [((o.unit == case.unit, len(themes & set(o.themes))), i, o) for i, o in enumerate(model.cases)]
    chosen = sorted(
        (s for s in scored if s[2] is not case and s[0] > (False, 0)), key=lambda s: (-s[0][0], -s[0][1], s[1])
    )
    return tuple(o for _, _, o in chosen[:limit])


def test_related_cases_share_unit_or_theme(prepared):
    collection, result = prepared
    model = result.model
    for case in model.cases:
        related = model.related(case)
        assert case not in related and len(related) <= 4
        assert all(r.unit == case.unit or set(r.themes) & set(case.themes) for r in related)
        assert related == model.related(case)  # deterministic
        assert related == _related_by_definition(model, case)
    page = _page(prepared, f"cases/{CASE}")
    section = page[page.index('<section class="cb-related"') : page.index("</section>")]
    assert '<h2 id="cb-related">相关案例</h2>' in section
    for case in model.related(next(c for c in model.cases if c.slug == CASE)):
        assert f"../../cases/{case.slug}/" in section


def test_related_cases_match_their_definition_on_shuffled_units_and_themes(prepared):
    collection = prepared[0]
    rng = random.Random(3)
    for _ in range(10):
        cases = tuple(
            dataclasses.replace(c, themes=tuple(rng.sample("甲乙丙丁", rng.randint(0, 3))), unit=rng.choice("子丑寅"))
            for c in collection.cases
        )
        model = public_model.make(dataclasses.replace(collection, cases=cases))
        for case in model.cases:
            assert model.related(case) == _related_by_definition(model, case)


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


# --- issue 11, the rest: sections on phones, QR code, logo and colour, 404 without site_url, group cards


@pytest.fixture(scope="module")
def prepared_with_url(tmp_path_factory, warm_caches):
    """The sample published at an address (mkdocs.yml site_url): case pages carry a QR code."""
    root = tmp_path_factory.mktemp("showcase-url") / "collection"
    _copy_sample(root)
    for cache in (Path(".cache") / "assets", Path(".cache") / "site" / "photos", Path("build") / ".cache"):
        shutil.copytree(warm_caches / cache, root / cache, copy_function=os.link)
    set_site_url(root, "https://anli.example.gov.cn/")
    collection, _ = load(root)
    return collection, builder.prepare(collection)


def test_case_sections_as_a_disclosure_for_phones(prepared):
    from casebook.outputs.site import case_page

    page = _page(prepared, f"cases/{CASE}")
    toc = re.search(r'<details class="cb-toc"><summary>本文目录</summary>.*?</details>', page, re.S).group(0)
    assert '<nav class="cb-toc__nav" aria-label="本文目录">' in toc
    body_headings = re.findall(r"^(#{2,3}) (.+) \{#([^}]+)\}$", page, re.M)
    links = re.findall(r'<li class="cb-toc__level(\d)"><a href="#([^"]+)">([^<]+)</a></li>', toc)
    assert [(int(level), anchor) for level, anchor, _ in links] == [(len(h), a) for h, _, a in body_headings]
    assert len(links) >= 2 and "（一）建强“微队伍”，让讲的人就在身边" in [text for *_, text in links]
    assert page.index('<details class="cb-toc">') < page.index("\n## ")  # at the top of the body
    # escaped heading text comes back as text (escaped once again by the template)
    entries = case_page.toc_entries("## a\\*b &amp; &lt;c&gt; {#x}\n\n### 二 {#y}\n\n#### deep {#z}\n")
    assert entries == [(2, "a*b & <c>", "x"), (3, "二", "y")]
    css = (THEME / "assets" / "casebook" / "casebook.css").read_text(encoding="utf-8")
    assert re.search(
        r"@media screen and \(min-width: 76\.25em\) \{ \.md-typeset details\.cb-toc \{ display: none; \} \}", css
    )


def test_no_qr_code_without_site_url(prepared):
    page = _page(prepared, f"cases/{CASE}")
    assert "cb-qr" not in page and "data-cb-qr" not in page and prepared[1].model.site_url == ""


def test_qr_code_of_the_case_address(prepared_with_url):
    import segno

    from casebook.outputs.site import qr

    collection, result = prepared_with_url
    assert result.model.site_url == "https://anli.example.gov.cn/"
    page = _page(prepared_with_url, f"cases/{CASE}")
    address = f"https://anli.example.gov.cn/cases/{CASE}/"
    assert 'data-cb-qr aria-expanded="false" aria-controls="cb-qr">二维码</button>' in page
    panel = re.search(r'<div class="cb-qr" id="cb-qr" hidden>.*?</div>', page, re.S).group(0)
    assert 'role="img" aria-labelledby="cb-qr-title"' in panel and "本案例网址的二维码" in panel
    assert f'<span class="cb-qr__address">{address}</span>' in panel
    # the drawing is exactly segno's matrix of the address, with the standard quiet zone
    code = qr.make(address)
    matrix = segno.make_qr(address, error="m", boost_error=False).matrix
    assert code.size == len(matrix) + 2 * qr.BORDER and f'd="{code.path}"' in panel
    drawn = set()
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", code.path):
        drawn |= {(int(x) + i - qr.BORDER, int(y) - qr.BORDER) for i in range(int(w))}
    assert drawn == {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert qr.make(address) == code and qr.make("") is None  # deterministic; none without an address
    for case in result.model.cases:  # every case page has its own
        assert result.model.case_address(case) in _page(prepared_with_url, f"cases/{case.slug}")
    css = (THEME / "assets" / "casebook" / "casebook.css").read_text(encoding="utf-8")
    print_css = css[css.index("@media print") :]
    assert ".cb-qr[hidden] { display: flex !important;" in print_css


def test_site_colour_setting_is_checked_for_contrast():
    from casebook.config import settings_schema as schema

    assert schema.contrast_with_white("#b71c1c") > 6 and round(schema.contrast_with_white("#ffffff"), 2) == 1
    site = schema.SCHEMA.schema["site"]
    problems: list = []
    typed = site.validate({"colour": "#1565C0", "logo": "content/logo.svg"}, "site", problems)
    assert not problems and typed.colour == "#1565c0" and typed.logo == "content/logo.svg"
    typed = site.validate({"colour": "#ef5350"}, "site", problems)  # Material's salmon red: 3.5:1
    assert typed.colour == "" and [p.code for p in problems] == ["E605"]
    suggestion = schema.darkened("#ef5350")
    assert schema.contrast_with_white(suggestion) >= 4.5 and suggestion in problems[0].values["hint"]
    assert "对比度只有 3.5:1" in problems[0].values["hint"]
    problems.clear()
    site.validate({"colour": "red"}, "site", problems)
    assert [p.code for p in problems] == ["E605"]


def test_logo_and_colour_reach_the_engine_config(tmp_path):
    from casebook.outputs.site import branding, public_model

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "logo.png").write_bytes(_logo_png())
    model = public_model.SiteModel(
        "名", "", "", (), (), (), (), (), logo=public_model.logo_path(tmp_path, "content/logo.png"), colour="#1565c0"
    )
    published = branding.files(model)["assets/casebook/site-logo.png"]
    assert b"tEXt" not in published and b"eXIf" not in published and SECRET_AUTHOR.encode() not in published
    assert Image.open(io.BytesIO(published)).size == (64, 32)
    extra = branding.engine_extra(model)
    assert extra["colour"] == "#1565c0" and extra["logo"] == "assets/casebook/site-logo.png"
    from casebook.config.settings_schema import contrast_with_white

    assert contrast_with_white(extra["colour_dark"]) > contrast_with_white(extra["colour"])
    config = mkdocs_config.generate(
        {}, site_name="名", docs_dir=tmp_path, site_dir=tmp_path, theme_dir=THEME, nav=[],
        extra={"organiser": "", "icp": "", **extra},
    )  # fmt: skip
    assert config["theme"]["logo"] == config["theme"]["favicon"] == "assets/casebook/site-logo.png"
    assert config["extra"]["casebook"]["colour"] == "#1565c0"
    # what main.html writes into a <style> is checked: anything but a hex colour is dropped
    bad = mkdocs_config.generate(
        {}, site_name="名", docs_dir=tmp_path, site_dir=tmp_path, theme_dir=THEME, nav=[],
        extra={"colour": "red}</style><script>", "logo": "https://x.example/l.png"},
    )  # fmt: skip
    assert "colour" not in bad["extra"]["casebook"] and bad["theme"]["logo"] == "assets/casebook/logo.svg"
    assert public_model.logo_path(tmp_path, "../outside.png") is None and public_model.logo_path(tmp_path, "") is None
    assert branding.palette("#ef5350")["colour"] == "#ce4745"  # a caller passing a pale colour gets it darkened
    main = (THEME / "main.html").read_text(encoding="utf-8")
    assert "--md-primary-fg-color:{{ cb.colour }}" in main


def test_site_url_warning_names_the_line(tmp_path):
    from casebook.outputs.site import branding

    (tmp_path / "mkdocs.yml").write_text("site_name: 名\n# 网站地址\n# site_url: https://a.example/\n", "utf-8")
    warning = branding.site_url_warning(tmp_path)
    assert warning.startswith(
        "mkdocs.yml:3: 未设置网站地址 site_url：站点地图（sitemap.xml）为空，分享卡片没有完整网址"
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: 名\nsite_url: https://a.example/anli\n", "utf-8")
    assert branding.site_url_warning(tmp_path) is None


def test_404_page_finds_its_folder_without_site_url():
    notfound = (THEME / "404.html").read_text(encoding="utf-8")
    assert '{%- if not config.site_url %}{% set base_url = "." %}{% endif %}' in notfound
    assert 'document.createElement("base")' in notfound and "sitemap.xml" in notfound


def test_browse_indexes_show_groups_as_picture_cards(prepared):
    docs, model = prepared[1].docs, prepared[1].model
    for url, groups in (
        ("browse/category", model.categories),
        ("browse/year", model.years),
        ("browse/theme", model.themes),
    ):
        page = _page(prepared, url)
        cards = re.findall(r'<a class="cb-card" href="([^"]+)"><span class="cb-card__image">(.*?)</span><span', page)
        assert len(cards) == len(groups), url
        for (href, image), group in zip(cards, groups, strict=True):
            assert href == group.url.removeprefix(url + "/")
            first = next(c for c in group.cases if c.photos)
            src = re.search(r'<img src="\.\./\.\./([^"]+)"', image).group(1)
            assert src == f"cases/{first.slug}/photo-{first.photos[0].number}-s.jpg" and (docs / src).is_file()
        assert "共 " in page and 'alt=""' in page
    from casebook.outputs.site import pages
    from casebook.outputs.site.html_parts import WebPhoto

    slug, number = model.categories[0].cases[0].slug, model.categories[0].cases[0].photos[0].number
    photos = {(slug, number): WebPhoto("f.jpg", (800, 600), "t.jpg", (400, 300), "说明")}
    assert 'src="../../t.jpg" width="400" height="300"' in pages.category_index(model, photos=photos)


def test_settings_logo_and_colour_reach_the_built_tree(tmp_path, warm_caches):
    """From content/settings.yml to the engine's config and the docs tree, through builder.prepare."""
    root = tmp_path / "collection"
    _copy_sample(root)
    for cache in (Path(".cache") / "assets", Path(".cache") / "site" / "photos", Path("build") / ".cache"):
        shutil.copytree(warm_caches / cache, root / cache, copy_function=os.link)
    (root / "content" / "logo.png").write_bytes(_logo_png())
    settings = root / "content" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    assert "\nsite:\n" in text
    settings.write_text(
        text.replace("\nsite:\n", '\nsite:\n  logo: content/logo.png\n  colour: "#1565c0"\n', 1), encoding="utf-8"
    )
    collection, report = load(root)
    assert not report.errors, [d.format() for d in report.errors]
    made = builder.prepare(collection)
    config = mkdocs_config.load_generated(made.config)
    assert config["extra"]["casebook"]["colour"] == "#1565c0"
    assert config["theme"]["logo"] == "assets/casebook/site-logo.png"
    published = (made.docs / "assets" / "casebook" / "site-logo.png").read_bytes()
    assert published.startswith(b"\x89PNG") and SECRET_AUTHOR.encode() not in published  # metadata stripped
    assert not [d for d in report.items if d.code == "W607"]


def _logo_png() -> bytes:
    """A logo as an image editor saves it: with author text and EXIF."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET_AUTHOR)
    exif = Image.Exif()
    exif[0x013B] = SECRET_AUTHOR  # Artist
    out = io.BytesIO()
    Image.new("RGB", (64, 32), "#b71c1c").save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


SECRET_AUTHOR = "设计师李雪梅13912345678"


@pytest.mark.parametrize(
    "logo, write, problem",
    [
        ("content/none.png", None, "不存在"),
        ("content/logo.gif", b"GIF89a", "不是可用的图片格式"),
        ("content/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "不是完整的图片文件"),
        ("../logo.png", None, "不在合集文件夹中"),
    ],
)
def test_a_logo_that_cannot_be_shown_is_warned_and_left_out(tmp_path, logo, write, problem):
    from casebook.outputs.site import branding, public_model

    root = tmp_path / "collection"
    _copy_sample(root)
    if write is not None:
        (root / logo).write_bytes(write)
    settings = root / "content" / "settings.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("\nsite:\n", f"\nsite:\n  logo: {logo}\n", 1), "utf-8"
    )
    collection, report = load(root)
    found = [d for d in report.items if d.code == "W607"]
    assert len(found) == 1 and problem in found[0].message and found[0].line > 1, found
    model = public_model.make(collection)
    assert branding.files(model) == {} and "logo" not in branding.engine_extra(model)
