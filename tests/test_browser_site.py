"""The website in a real browser (Playwright driving Debian's Chromium): navigation, Chinese search
typed into the site's own search box, the lightbox, the all-cases table, phone and desktop widths,
and every request recorded — none may go to another host."""

# ruff: noqa: F811  (pytest fixtures imported from test_site_helpers)
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browsing import CHROMIUM, NO_CHROMIUM, chromium, serving
from test_site_helpers import EXIF_SLUG, built_site, site_root  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)

# (query, slug of a case that must be among the results): units, title words, body phrases
QUERIES = [
    ("微宣讲", "banzu-weixuanjiang"),
    ("华东重型机床", "banzu-weixuanjiang"),
    ("班前十分钟", "banzu-weixuanjiang"),
    ("匠心契约", "yujiang-jiangxin-qiyue"),
    ("重庆渝江齿轮", "yujiang-jiangxin-qiyue"),
    ("鹭岛心语", "xiamenludaodianji-ludaoxinyuguanaiyizhan"),
    ("外来务工", "xiamenludaodianji-ludaoxinyuguanaiyizhan"),
    ("厦门鹭岛电机", "xiamenludaodianji-ludaoxinyuguanaiyizhan"),
    ("机手驿站", "zhongyuanzhuyou-jishouyizhan"),
    ("夜校", "jianghuaijixiehangyepeixunzhongxin-yexiaojiagongweishuangketang"),
    ("江淮机械行业", "jianghuaijixiehangyepeixunzhongxin-yexiaojiagongweishuangketang"),
    ("实景思政课", "xianglu-zhuangbeishi"),
    ("行走的装备史", "xianglu-zhuangbeishi"),
    ("青马工匠班", "changshaxiangluzhiyuan-qingmagongjiangban"),
    ("厂史馆", "luoshui-changshiguan"),
    ("微心愿", "zhigong-weixinyuan"),
    ("身边好人", "luzhongnongji-shenbianhaorenyueyueping"),
    ("大国工匠进校园", "qinchuanjixiexuexiao-daguogongjiangjinxiaoyuan"),
    ("秦川机械工业学校", "qinchuanjixiexuexiao-daguogongjiangjinxiaoyuan"),
    ("一生一策", "nanlingjidianzhiyuan-yishengyicejingzhunbangfu"),
    ("精准帮扶", "nanlingjidianzhiyuan-yishengyicejingzhunbangfu"),
]
REQUESTS: list[str] = []


@pytest.fixture(scope="module")
def base_url(built_site):
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as instance:
        yield instance


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.on("request", lambda request: REQUESTS.append(request.url))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


def test_home_to_category_to_case(open_page, base_url):
    page = open_page()
    page.goto(base_url)
    page.locator(".cb-chart a", has_text="企业").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/browse/category/qiye/")
    assert _h1(page) == "企业类案例"
    first = page.locator("a.cb-card").first  # browse pages show the cases as picture cards
    title = first.locator(".cb-card__title").inner_text().strip()
    first.click()
    page.wait_for_load_state()
    assert "/cases/" in page.url
    assert _h1(page) == title
    assert page.locator(".cb-facts").inner_text().count("企业") >= 1
    page.locator(".cb-case-links a", has_text="企业类全部案例").click()
    assert page.url.endswith("/browse/category/qiye/")


def _search(page, query: str) -> list[str]:
    """Typed into the site's own search dialog (search.js), as a reader types: key events."""
    if not page.evaluate("() => !!(document.querySelector('#cbs-dialog') || {}).open"):
        page.locator(".cbs-open").click()
    box = page.locator("#cbs-input")
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function(
        "q => /找到|没有找到/.test(document.querySelector('#cbs-status').textContent)"
        " && document.querySelector('#cbs-input').value === q",
        arg=query,
    )
    assert page.locator("#cbs-status").inner_text()
    hrefs = page.locator("a.cbs__link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [urlsplit(h).path for h in hrefs]


def test_chinese_search_finds_the_expected_cases(open_page, base_url):
    assert len(QUERIES) >= 15
    page = open_page()
    page.goto(base_url)
    missing = []
    for query, slug in QUERIES:
        paths = _search(page, query)
        if not any(p.endswith(f"/cases/{slug}/") for p in paths):
            missing.append((query, slug, paths[:5]))
    assert not missing


def test_search_never_finds_unpublished_cases(open_page, base_url):
    page = open_page()
    page.goto(base_url)
    for query in ("反诈护薪", "三级排查化解", "机密标题"):
        paths = _search(page, query)
        assert not any("liaohe" in p or "xiling" in p or "simi" in p for p in paths), (query, paths)


def test_lightbox(open_page, base_url):
    page = open_page()
    page.goto(base_url + "cases/banzu-weixuanjiang/")
    box = page.locator(".cb-lightbox")
    assert box.is_hidden()
    page.locator("a.cb-zoom").first.click()
    assert box.is_visible()
    image = page.locator(".cb-lightbox__image")
    page.wait_for_function("() => document.querySelector('.cb-lightbox__image').naturalWidth > 0")
    assert page.locator(".cb-lightbox__caption").inner_text().startswith("1.2024年3月，")
    assert image.get_attribute("src").endswith("photo-1.jpg")
    page.keyboard.press("ArrowRight")
    assert page.locator(".cb-lightbox__caption").inner_text().startswith("2.")
    page.keyboard.press("Escape")
    assert box.is_hidden()
    assert page.evaluate("location.pathname").endswith("/cases/banzu-weixuanjiang/")


def test_all_cases_table_sorts_and_filters(open_page, base_url):
    page = open_page()
    page.goto(base_url + "all/")
    rows = page.locator("#cb-all-cases tbody tr")
    total = rows.count()
    assert total >= 10
    page.locator(".cb-filter-text").fill("长沙湘麓")
    visible = page.locator("#cb-all-cases tbody tr:not([hidden])")
    assert visible.count() == 2
    page.locator(".cb-filter-text").fill("")
    page.locator("select.cb-filter-col[data-col='3']").select_option("2023")
    years = visible.locator("td:nth-child(4)").all_inner_texts()
    assert years and set(years) == {"2023"}
    page.locator("select.cb-filter-col[data-col='3']").select_option("")
    page.locator("button.cb-sort[data-col='3']").click()
    years = visible.locator("td:nth-child(4)").all_inner_texts()
    assert years == sorted(years)
    page.locator("button.cb-sort[data-col='3']").click()
    assert visible.locator("td:nth-child(4)").all_inner_texts() == sorted(years, reverse=True)


@pytest.mark.parametrize("width", [375, 1280])
def test_screens_and_phone_width(open_page, base_url, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(width=width, height=800)
    for name, path in (("home", ""), ("case", "cases/banzu-weixuanjiang/"), ("photo", f"cases/{EXIF_SLUG}/"),
                       ("units", "browse/unit/"), ("all", "all/"), ("downloads", "downloads/")):  # fmt: skip
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"site-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is wider than the screen at {width}px"
    images = page.locator("img")
    for index in range(images.count()):
        assert images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")


def test_print_stylesheet_hides_chrome(open_page, base_url):
    page = open_page()
    page.goto(base_url + "cases/banzu-weixuanjiang/")
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden()
    assert page.locator(".md-sidebar--primary").is_hidden()
    assert page.locator(".cb-summary").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "site-case-print.pdf"))


def test_zz_no_request_left_this_machine(open_page, base_url):
    before = len(REQUESTS)
    page = open_page()
    for path in ("", "cases/banzu-weixuanjiang/", "about/", "preface/"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    assert len(REQUESTS) - before >= 8  # this test's own pages (it must not depend on the others run before it)
    host = urlsplit(base_url).netloc
    foreign = sorted({u for u in REQUESTS if not re.match(r"^(data|blob):", u) and urlsplit(u).netloc != host})
    assert not foreign


def test_search_on_a_phone(open_page, base_url):
    page = open_page(width=375, height=800)
    page.goto(base_url)
    paths = _search(page, "微宣讲")
    assert any(p.endswith("/cases/banzu-weixuanjiang/") for p in paths)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-search-375.png"))
