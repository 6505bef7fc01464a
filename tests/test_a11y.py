"""Accessibility of the showcase (issue 16: WCAG 2.1 AA / GB/T 37668-2019, 适老化), in a real browser.

One real build of the shipped sample collection, then axe-core (bundled by axe-playwright-python) on
every page type at phone and desktop width in the light and the dark scheme, failing on any WCAG 2.1
A/AA violation; the keyboard walk from home to a case and through the lightbox; the font-size switch
and the high-contrast option (they persist); 200 % zoom without horizontal scrolling; touch targets."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browsing import CHROMIUM, NO_CHROMIUM, WCAG, chromium, serving
from conftest import PROJECT, run_cli
from test_site_helpers import set_site_url

pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
if not CHROMIUM.exists():
    pytest.skip(NO_CHROMIUM, allow_module_level=True)

CASE = "cases/banzu-weixuanjiang/"  # three photos
PAGES = {
    "home": "",
    "case": CASE,
    "category index": "browse/category/",
    "category": "browse/category/qiye/",
    "year index": "browse/year/",
    "year": "browse/year/2024/",
    "theme index": "browse/theme/",
    "theme": "browse/theme/lixiangxinnianjiaoyu/",
    "unit index": "browse/unit/",
    "unit": "browse/unit/huadongzhongxingjichuangyouxiangongsidangwei/",
    "all cases": "all/",
    "downloads": "downloads/",
    "preface": "preface/",
    "about": "about/",
    "404": "404.html",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("a11y") / "collection"
    root.mkdir()
    for name in ("cases", "content"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    set_site_url(root, None)  # served from a local address, not the sample's example site_url
    out = root.parent / "site"
    result = run_cli("--root", str(root), "site", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site):
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as instance:
        yield instance


@pytest.fixture
def context(browser):
    made = []

    def make(width: int = 1280, scheme: str = "light", height: int = 800):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", color_scheme=scheme)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def _violations(page) -> list[str]:
    # colours mid-transition (a button just clicked, Material's 125 ms fades) are not the page's: wait
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    result = axe_module.Axe().run(page, options=WCAG).response
    return [
        f"{v['id']} ×{len(v['nodes'])}: {[n['target'] for n in v['nodes'][:3]]} {v['nodes'][0].get('failureSummary', '')[:160]}"
        for v in result["violations"]
    ]


def _open_search(page, width: int) -> None:
    """The search dialog open with the results of 微宣讲: the site's own search (header button
    .cbs-open) or, in a site built with Material's search plugin, Material's."""
    if page.locator(".cbs-open").count():
        page.locator(".cbs-open").click()
        page.locator("#cbs-input").fill("微宣讲")
        page.wait_for_selector(".cbs__link", timeout=10000)
        return
    if width < 1220:
        page.locator('label.md-header__button[for="__search"]').click()
    else:
        page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("微宣讲")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_no_axe_violation_on_any_page_type(context, base_url, width, scheme):
    page = context(width, scheme).new_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        violations = _violations(page)
        if violations:
            found[name] = violations
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    _open_search(page, width)
    violations = _violations(page)
    if violations:
        found["search with results"] = violations
    assert not found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_high_contrast_and_largest_font_pass_axe(context, base_url, scheme):
    page = context(375, scheme).new_page()
    page.goto(base_url + CASE)
    page.locator("[data-cb-contrast]").click()
    page.locator('[data-cb-size="xl"]').click()
    found = {}
    for name in ("home", "case", "all cases"):
        page.goto(base_url + PAGES[name])
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.className").count("cb-") == 2
        violations = _violations(page)
        if violations:
            found[name] = violations
    assert not found


def test_page_language_and_skip_link(context, base_url):
    page = context().new_page()
    page.goto(base_url + CASE)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.classList.contains('md-skip'), document.activeElement.textContent.trim()]"
    )
    assert focused == [True, "跳到正文"]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_keyboard_walk_home_to_case_and_lightbox(context, base_url):
    page = context().new_page()
    page.goto(base_url)
    for _ in range(200):  # Tab until a case card has the focus, then open it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cb-card')"):
            break
    else:
        pytest.fail("no case card is reachable by keyboard")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert ring not in ("0px", "")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/cases/" in page.url
    page.goto(base_url + CASE)
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cb-zoom')"):
            break
    else:
        pytest.fail("no photo is reachable by keyboard")
    page.keyboard.press("Enter")
    box = page.locator(".cb-lightbox")
    assert box.is_visible()
    assert page.locator(".cb-lightbox__counter").inner_text() == "第 1 张，共 3 张"
    assert page.locator(".cb-lightbox__counter").get_attribute("aria-live") == "polite"
    page.keyboard.press("ArrowRight")
    assert page.locator(".cb-lightbox__counter").inner_text() == "第 2 张，共 3 张"
    for _ in range(5):  # focus stays inside the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.cb-lightbox')")
    page.keyboard.press("Escape")
    assert box.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('cb-zoom')")  # focus returned


def test_lightbox_swipe(browser, base_url):
    ctx = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = ctx.new_page()
        page.goto(base_url + CASE)
        page.locator("a.cb-zoom").first.click()
        counter = page.locator(".cb-lightbox__counter")
        assert counter.inner_text() == "第 1 张，共 3 张"
        page.evaluate("""() => {
          const box = document.querySelector('.cb-lightbox');
          const touch = x => new Touch({identifier: 1, target: box, clientX: x, clientY: 300});
          box.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(300)], changedTouches: [touch(300)], bubbles: true}));
          box.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(100)], bubbles: true}));
        }""")
        assert counter.inner_text() == "第 2 张，共 3 张"
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.cb-lightbox')).backgroundColor") == "rgb(0, 0, 0)"
        )
    finally:
        ctx.close()


def test_font_size_switch_and_high_contrast_persist(context, base_url):
    ctx = context(375)
    page = ctx.new_page()
    page.goto(base_url + CASE)
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    standard = page.evaluate(size)
    tools = page.locator("[data-cb-tools]")
    assert tools.is_visible()
    page.locator('[data-cb-size="l"]').click()
    large = page.evaluate(size)
    page.locator('[data-cb-size="xl"]').click()
    largest = page.evaluate(size)
    assert standard < large < largest
    assert page.locator('[data-cb-size="xl"]').get_attribute("aria-pressed") == "true"
    page.locator("[data-cb-contrast]").click()
    assert page.locator("[data-cb-contrast]").get_attribute("aria-pressed") == "true"
    other = ctx.new_page()  # another page of the same browser: remembered
    other.goto(base_url + "all/")
    assert other.evaluate(size) == largest
    assert other.evaluate("document.documentElement.classList.contains('cb-contrast')")
    assert other.locator('[data-cb-size="xl"]').get_attribute("aria-pressed") == "true"
    assert other.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    other.locator('[data-cb-size=""]').click()
    other.locator("[data-cb-contrast]").click()
    assert other.evaluate(size) == standard
    assert not other.evaluate("document.documentElement.classList.contains('cb-contrast')")


@pytest.mark.parametrize("setting", ["zoom-200", "font-xl"])
def test_no_horizontal_scroll_at_375_px(context, base_url, setting):
    """200 % zoom at 375 px is a 187.5 px wide layout viewport; 特大 is the largest font size."""
    page = context(188 if setting == "zoom-200" else 375).new_page()
    if setting == "font-xl":
        page.goto(base_url)
        page.evaluate("localStorage.setItem('casebook.size', 'xl')")
    wide = {}
    for name, path in PAGES.items():
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide[name] = overflow
    assert not wide


TARGETS = (
    ".cb-tools button, .md-header__button, .md-typeset .md-button, .cb-sort, .cb-filter-text, .cb-filter-col,"
    " .cb-letters a, .cb-list__title, .cb-card, .cb-chart__data summary"
)


def test_touch_targets_on_phones(context, base_url):
    page = context(375).new_page()
    small = []
    for name in ("home", "case", "unit index", "category", "all cases", "downloads"):
        page.goto(base_url + PAGES[name])
        page.wait_for_load_state("networkidle")
        sizes = page.locator(TARGETS).evaluate_all(
            """els => els.filter(e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
                      .map(e => { const r = e.getBoundingClientRect(); return [e.className || e.tagName, r.width, r.height]; })"""
        )
        assert sizes, name
        small += [(name, *s) for s in sizes if s[1] < 44 - 0.5 or s[2] < 44 - 0.5]
    assert not small


def test_chinese_404_page_with_ways_back(context, base_url):
    page = context(375).new_page()
    response = page.goto(base_url + "no/such/page/")
    assert response.status == 404
    assert page.locator("article h1").inner_text().strip() == "页面不存在"
    assert page.title().startswith("页面不存在")
    home = page.locator("article a", has_text="返回首页")
    assert home.get_attribute("href") == "./"  # relative to the site's folder (found by the page's script)
    assert home.evaluate("a => a.href") == base_url
    search = page.locator("[data-cb-search]")
    assert search.is_visible()
    search.click()
    assert page.locator("#cbs-dialog[open], #__search:checked").count() == 1


def test_built_pages_carry_share_cards_and_the_tools_logo(site):
    case = (site / CASE / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="班组“微宣讲”让创新理论走进车间">' in case
    assert '<meta property="og:type" content="article">' in case
    assert '<meta property="og:image" content="../../cases/banzu-weixuanjiang/photo-1.jpg">' in case
    assert '<meta property="og:description" content="' in case
    assert '<link rel="icon" href="../../assets/casebook/logo.svg">' in case
    assert (site / "assets" / "casebook" / "logo.svg").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    head = home[: home.index("</head>")]
    assert re.findall(r"<title>([^<]*)</title>", head) == ["机械工业基层思想政治工作创新案例选编"]  # not twice


def test_top_navigation_marks_the_current_section(context, base_url):
    page = context(1280).new_page()
    for path, section in ((CASE, "案例浏览"), ("browse/unit/huadongzhongxingjichuangyouxiangongsidangwei/", "案例浏览"),
                          ("downloads/", "下载"), ("", "首页")):  # fmt: skip
        page.goto(base_url + path)
        assert page.locator(".md-tabs__item--active").inner_text().strip() == section, path
    page.goto(base_url)
    assert page.locator(".md-sidebar--primary").is_hidden()  # no sidebar over the home page's prose
