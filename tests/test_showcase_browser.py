"""The rest of issue 11 in a real browser (Chromium): the case's sections on phones and tablets, the
QR code (site_url set), the browse indexes as picture cards, screenshots at 375, 768 and 1280 px, and
the 404 page served under a sub-path without site_url, with and without JavaScript — axe-clean
(WCAG 2.1 A/AA) wherever scripts run. The screenshots committed under docs/screenshots/ are made from this module's by
scripts/screenshots.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsing import CHROMIUM, NO_CHROMIUM, WCAG, chromium, serving
from conftest import PROJECT, run_cli
from test_site_helpers import with_site_url

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
if not CHROMIUM.exists():
    pytest.skip(NO_CHROMIUM, allow_module_level=True)

CASE = "cases/banzu-weixuanjiang/"
ADDRESS = "https://anli.example.gov.cn/"
PREFIX = "/anli/"


def _build(tmp_path_factory, name: str, site_url: str | None) -> Path:
    root = tmp_path_factory.mktemp(name) / "collection"
    root.mkdir()
    for folder in ("cases", "content"):
        shutil.copytree(PROJECT / folder, root / folder)
    text = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(with_site_url(text, site_url), encoding="utf-8")
    out = root.parent / "site"
    result = run_cli("--root", str(root), "site", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def site_url_site(tmp_path_factory):
    with serving(_build(tmp_path_factory, "with-url", ADDRESS)) as url:
        yield url


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory):
    with serving(_build(tmp_path_factory, "no-url", None), PREFIX) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as instance:
        yield instance


@pytest.fixture
def page_at(browser):
    made = []

    def make(width: int, height: int = 900, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", java_script_enabled=javascript
        )
        made.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        return page

    yield make
    for context in made:
        context.close()


def _violations(page) -> list[str]:
    # colours mid-transition (a button just clicked, Material's 125 ms fades) are not the page's: wait
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    result = axe_module.Axe().run(page, options=WCAG).response
    return [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_screens_with_sections_qr_code_and_group_cards(page_at, site_url_site, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = page_at(width)
    for name, path in (("home", ""), ("category-index", "browse/category/"), ("year-index", "browse/year/"),
                       ("theme-index", "browse/theme/"), ("case", CASE)):  # fmt: skip
        page.goto(site_url_site + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"showcase-{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, (name, width)
        assert not _violations(page), (name, width, _violations(page))
        if name.endswith("-index"):
            cards = page.locator(".cb-cards--groups .cb-card img")
            assert cards.count() >= 2
            assert all(cards.nth(i).evaluate("i => i.complete && i.naturalWidth > 0") for i in range(cards.count()))
    toc = page.locator("details.cb-toc")
    if width >= 1220:  # the engine's table of contents is shown: no second one
        assert toc.is_hidden() and page.locator(".md-sidebar--secondary .md-nav__link").count() >= 4
    else:
        assert toc.is_visible() and not page.locator(".cb-toc__nav a").first.is_visible()
        toc.locator("summary").focus()
        page.keyboard.press("Enter")  # a disclosure, opened with the keyboard
        link = page.locator(".cb-toc__nav a", has_text="三、工作成效")
        assert link.is_visible()
        assert not _violations(page), _violations(page)
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash.length > 1")
        assert page.evaluate("decodeURIComponent(location.hash)") == "#三工作成效"
    button = page.locator("[data-cb-qr]")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert page.locator("#cb-qr").is_hidden()
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and page.locator("#cb-qr svg").is_visible()
    assert ADDRESS + CASE in page.locator(".cb-qr__address").inner_text()
    assert not _violations(page), _violations(page)
    page.screenshot(path=str(ARTIFACTS / f"showcase-case-qr-{width}.png"))
    button.click()
    page.emulate_media(media="print")  # printed, the code is there even though it is closed on screen
    assert page.locator("#cb-qr svg").is_visible() and page.locator("details.cb-toc").is_hidden()
    assert not page.problems


def test_404_under_a_sub_path_without_site_url(page_at, sub_path_site):
    page = page_at(375)
    for path in ("cases/no-such-case/", "no/such/page"):  # below a folder of the site, and anywhere
        response = page.goto(sub_path_site + path)
        assert response.status == 404
        page.wait_for_load_state("networkidle")
        assert page.locator("article h1").inner_text().strip() == "页面不存在"
        # styled: the theme's and the showcase's stylesheets loaded from the site's folder
        sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert any(s.endswith(PREFIX + "assets/casebook/casebook.css") for s in sheets), sheets
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        home = page.locator("article a", has_text="返回首页")
        assert home.evaluate("a => a.href") == sub_path_site
        assert not _violations(page), _violations(page)
    page.screenshot(path=str(ARTIFACTS / "showcase-404-subpath-375.png"), full_page=True)
    page.locator("article a", has_text="返回首页").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".cb-banner").is_visible()


def test_404_under_a_sub_path_is_styled_without_javascript(page_at, sub_path_site):
    """The address of the site's folder is unknown without site_url and without the script: the
    stylesheets are in the page itself (theme/site/404.html), so nothing depends on a relative link."""
    page = page_at(375, javascript=False)
    for path in ("cases/no-such-case/", "no/such/page", "nothing"):
        response = page.goto(sub_path_site + path)
        assert response.status == 404
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('base')") is None  # the script did not run
        header = page.evaluate(
            "(s => ({position: s.position, background: s.backgroundColor}))"
            "(getComputedStyle(document.querySelector('.md-header')))"
        )
        assert header == {"position": "sticky", "background": "rgb(183, 28, 28)"}, (path, header)  # engine + palette
        title = page.locator("article h1")
        assert title.inner_text().strip() == "页面不存在"
        assert int(title.evaluate("h => getComputedStyle(h).fontWeight")) >= 600  # the showcase's stylesheet
        assert title.evaluate("h => getComputedStyle(h).fontFamily").startswith('"PingFang SC"')
        assert page.locator(".md-header svg").first.bounding_box()["height"] <= 32  # icons sized, not raw SVG
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, path
        # (axe-core needs scripts: the same page with them is checked above)
    home = page.locator("article a", has_text="返回首页")  # at the site's top level the relative link is right
    assert home.evaluate("a => a.href") == sub_path_site
    page.screenshot(path=str(ARTIFACTS / "showcase-404-subpath-nojs-375.png"), full_page=True)
