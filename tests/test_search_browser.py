"""The site's own search in a real browser (Playwright driving Debian's Chromium), on one offline
build of the sample unpacked from its zip and opened from file://: recall on every unit name, title
term and quoted body phrase, the expected case first, absent terms, IME-style insertion, the
keyboard, the dialog's accessible parts, browsing by file links, and no request leaving the machine."""

# ruff: noqa: F811  (pytest fixtures imported from test_site_helpers)
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from browsing import CHROMIUM, NO_CHROMIUM, chromium
from conftest import run_cli
from test_browser_site import QUERIES
from test_site_helpers import DRAFT_TITLE, PRIVATE_TITLE, WITHDRAWN_TITLE, site_root  # noqa: F401

from casebook.inputs.loader import load
from casebook.outputs.site import public_model
from casebook.outputs.site.search import records, shards
from casebook.publish import views

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]
REQUESTS: list[str] = []


@pytest.fixture(scope="module")
def offline_site(site_root, tmp_path_factory) -> Path:
    # A copy: the offline variant's docs tree must not stay behind in the shared collection's cache
    root = tmp_path_factory.mktemp("offline-collection") / "collection"
    shutil.copytree(site_root, root, symlinks=True)
    out = tmp_path_factory.mktemp("offline") / "anli"
    result = run_cli("--root", str(root), "site", "--offline", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    archive = out.with_name("anli.zip")
    first = archive.read_bytes()
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert names == sorted(names) and all(n.startswith("anli/") for n in names)
        assert {i.date_time for i in zipped.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        zipped.extractall(unpacked)
    again = run_cli("--root", str(root), "site", "--offline", "--out", str(out))
    assert again.returncode == 0 and archive.read_bytes() == first  # deterministic zip
    return unpacked / "anli"


@pytest.fixture(scope="module")
def public_cases(site_root):
    collection, _ = load(site_root)
    return list(views.public(collection).cases)


@pytest.fixture(scope="module")
def quoted(site_root):
    from test_search_index import quoted_phrases

    collection, _ = load(site_root)
    model = public_model.make(collection)
    return quoted_phrases(model), [r.url for r in records.make(model)]


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as instance:  # one per module: Playwright's sync API runs one at a time
        yield instance


@pytest.fixture(scope="module")
def page(browser, offline_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.on("request", lambda request: REQUESTS.append(request.url))
    tab = context.new_page()
    tab.goto((offline_site / "index.html").as_uri())
    yield tab
    context.close()


def _open(page) -> None:
    if not page.evaluate("() => !!(document.querySelector('#cbs-dialog') || {}).open"):
        page.locator("body").press("/")
    page.wait_for_selector("#cbs-input", state="visible")


def _wait(page, query: str) -> str:
    page.wait_for_function(
        "q => document.querySelector('#cbs-input').value === q &&"
        " /找到|没有找到/.test(document.querySelector('#cbs-status').textContent)",
        arg=query,
    )
    while page.locator(".cbs__more").is_visible():
        count = page.locator(".cbs__link").count()
        page.locator(".cbs__more").click()
        page.wait_for_function("n => document.querySelectorAll('.cbs__link').length > n", arg=count)
    return page.locator("#cbs-status").inner_text()


def _search(page, query: str) -> list[str]:
    _open(page)
    page.fill("#cbs-input", query)
    _wait(page, query)
    return page.locator(".cbs__link").evaluate_all("els => els.map(e => e.dataset.case)")


def _terms(title: str) -> list[str]:
    return [t for t in re.split(r"[“”‘’《》「」：:，,、；（）()!！？?\s—]+", title) if len(t) >= 2]


def test_every_unit_name_finds_its_case_first(page, public_cases):
    for case in public_cases:
        found = _search(page, case.unit)
        assert f"cases/{case.slug}/" in found, case.unit
        first = next(c for c in public_cases if f"cases/{c.slug}/" == found[0])
        assert first.unit == case.unit, (case.unit, found[0])  # exact unit first (a unit may have several)


def test_every_title_and_title_term_finds_its_case(page, public_cases):
    for case in public_cases:
        assert _search(page, case.title)[0] == f"cases/{case.slug}/", case.title
        for term in _terms(case.title):
            found = _search(page, term)
            assert f"cases/{case.slug}/" in found, term
            if not any(term in c.title for c in public_cases if c is not case):
                assert found[0] == f"cases/{case.slug}/", term


@pytest.mark.parametrize("query, slug", QUERIES)
def test_body_phrases_and_coined_terms(page, query, slug):
    assert f"cases/{slug}/" in _search(page, query)


def test_every_quoted_body_phrase_finds_its_case(page, quoted):
    """The script's own query function (the one the dialog calls) on every phrase in “…” of every
    published body; case numbers are the public model's order."""
    phrases, urls = quoted
    assert len(phrases) > 150
    _open(page)
    found = page.evaluate(
        "async qs => { const out = []; for (const q of qs) {"
        " const r = await window.casebookSearch.search(q); out.push(r.hits.map(h => h.doc)); } return out; }",
        [q for q, _ in phrases],
    )
    missing = [(q, url) for (q, url), docs in zip(phrases, found, strict=True) if url not in [urls[d] for d in docs]]
    assert missing == []
    assert phrases[0][1] in _search(page, phrases[0][0])  # and through the dialog


@pytest.mark.parametrize("query", ["区块链", "人工智能", PRIVATE_TITLE, DRAFT_TITLE, WITHDRAWN_TITLE])
def test_absent_terms_give_nothing(page, query):
    assert _search(page, query) == []
    assert "没有找到" in page.locator("#cbs-status").inner_text()


def test_results_read_well(page):
    _search(page, "微宣讲")
    link = page.locator(".cbs__link").first
    text = link.inner_text()
    assert "\u200b" not in text and "申报单位" not in text
    assert page.locator(".cbs__link mark").first.inner_text() == "微宣讲"
    facets = page.locator(".cbs__facets").inner_text()
    assert "类别" in facets and "年度" in facets and "主题" in facets and "（1）" in facets
    page.locator(".cbs__chip").first.click()
    assert page.locator(".cbs__chip").first.get_attribute("aria-pressed") == "true"


def test_text_inserted_by_an_input_method(page):
    _open(page)
    page.fill("#cbs-input", "")
    page.evaluate(
        """q => { const box = document.querySelector('#cbs-input');
                  box.value = q;  // as an IME commits: no key events, no input event
                  box.dispatchEvent(new CompositionEvent('compositionend', {data: q, bubbles: true})); }""",
        "鹭岛心语",
    )
    _wait(page, "鹭岛心语")
    found = page.locator(".cbs__link").evaluate_all("els => els.map(e => e.dataset.case)")
    assert found[0] == "cases/xiamenludaodianji-ludaoxinyuguanaiyizhan/"


def test_dialog_is_accessible_and_keyboard_operable(page, offline_site):
    page.goto((offline_site / "index.html").as_uri())
    page.locator("body").press("s")
    assert page.evaluate("() => document.activeElement.id") == "cbs-input"
    assert page.locator("label[for=cbs-input]").inner_text()
    status = page.locator("#cbs-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert page.locator("#cbs-dialog").get_attribute("aria-labelledby") == "cbs-title"
    page.keyboard.type("厂史馆")
    assert "正在搜索" in status.inner_text() or "找到" in status.inner_text()
    _wait(page, "厂史馆")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('cbs__link')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.id") == "cbs-input"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cases/luoshui-changshiguan/index\.html$"))
    assert page.locator("article h1").first.inner_text().startswith("厂史馆")


def test_offline_site_browses_by_file_links(page, offline_site):
    page.goto((offline_site / "index.html").as_uri())
    page.locator(".cb-chart a", has_text="企业").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/browse/category/qiye/index.html")
    page.locator("a.cb-card").first.click()
    page.wait_for_load_state()
    assert re.search(r"/cases/[^/]+/index\.html$", page.url)
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    folders = [h for h in hrefs if not re.match(r"^(https?:|mailto:|#)", h) and h.split("#")[0].endswith("/")]
    assert folders == []
    assert f"cases/{QUERIES[0][1]}/" in _search(page, QUERIES[0][0])


def test_no_request_left_the_machine(page):
    assert REQUESTS and all(url.startswith(("file://", "data:", "about:")) for url in REQUESTS), [
        u for u in REQUESTS if not u.startswith("file://")
    ]


def test_a_shard_without_keys_is_not_fetched_and_matches_nothing(browser, offline_site, tmp_path):
    """meta.js marks a shard no key falls into with "~" (shards.ABSENT): the script takes it as empty,
    loads no file for it, and a query needing a bigram of it finds nothing, without an error. Here the
    shard holding 微宣's bigram is marked so in a copy of the site (a real collection has such shards
    where few keys are large)."""
    site = tmp_path / "anli"
    shutil.copytree(offline_site, site)
    meta_js = site / shards.INDEX_DIR / "meta.js"
    head, _, rest = meta_js.read_text(encoding="utf-8").partition(",")
    meta = json.loads(rest.removesuffix(");\n"))
    k = shards.shard_of("微宣", meta["nb"])
    tags = meta["f"]["b"]
    meta["f"]["b"] = tags[: k * shards.TAG] + shards.ABSENT + tags[(k + 1) * shards.TAG :]
    meta_js.write_text(f"{head},{json.dumps(meta, ensure_ascii=False)});\n", encoding="utf-8")
    requests, problems = [], []
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
    tab.goto((site / "index.html").as_uri())
    assert _search(tab, "微宣讲") == []
    assert "没有找到" in tab.locator("#cbs-status").inner_text()
    elsewhere = [
        (q, s) for q, s in QUERIES if all(shards.shard_of(q[i : i + 2], meta["nb"]) != k for i in range(len(q) - 1))
    ]
    query, slug = elsewhere[0]
    assert f"cases/{slug}/" in _search(tab, query)  # the other shards still answer
    assert not [url for url in requests if f"/{shards.INDEX_DIR}/b/{k}." in url]
    context.close()
    assert problems == []
