"""python build.py wechat: paste-ready WeChat articles and 学习强国 texts, one package per public case.

Every article.html of the sample (plus hostile and private cases) is parsed and held to what the WeChat
editor keeps: no <style>/<script>/<link>, no class or id, no external URL, every image beside it and
under the upload limit, captions in order; digests and titles within the limits or warned; nothing
private in any file; the same bytes from two builds. The last test clicks 复制正文 in Chromium."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from browsing import CHROMIUM, NO_CHROMIUM, chromium
from conftest import run_cli
from lxml import html as lxml_html
from PIL import Image
from test_site_helpers import SECRET, XSS_VECTORS, set_site_url

from casebook import pipeline
from casebook.outputs.wechat import article, covers, texts
from casebook.publish import views

PUBLIC_CASES = 12
DOCUMENT_TAGS = {"html", "head", "meta", "title", "body"}  # the page around the pasted fragment
PRIVATE_FOLDERS = ("cases/2023/西岭液压-矛盾纠纷三级排查化解", "cases/2024/辽河铸锻-反诈护薪法治小课堂")
HOSTILE_SLUG = "wechat-anquan"
PRIVATE_TITLE = "公众号测试不公开案例机密标题"


def _build(root: Path, *args: str, env: dict | None = None):
    return run_cli("--root", str(root), "wechat", *args, env=env)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _front(text: str, **changes: str) -> str:
    """index.md with front matter lines replaced or added (values as YAML)."""
    head, body = text.split("\n---\n", 1)
    for key, value in changes.items():
        line = f"{key}: {value}"
        head, found = re.subn(rf"^{key}:.*$", line, head, count=1, flags=re.M)
        if not found:
            head += "\n" + line
    return head + "\n---\n" + body


def _edit(root: Path, folder: str, **changes: str) -> None:
    index = root / "cases" / folder / "index.md"
    index.write_text(_front(index.read_text(encoding="utf-8"), **changes), encoding="utf-8")


def _add_edge_cases(root: Path) -> None:
    """A public case with hostile markup, and a private case whose contact and title are secret."""
    source = root / "cases" / "2024" / "中原筑友-机手驿站"
    hostile = root / "cases" / "2024" / "安全测试厂-公众号"
    shutil.copytree(source, hostile)
    text = (hostile / "index.md").read_text(encoding="utf-8")
    text = _front(text, title='"公众号安全测试案例"', unit="公众号安全测试厂", slug=HOSTILE_SLUG)
    text = re.sub(r"(?s)\ncontact:.*?\nunit_info:", "\nunit_info:", text)
    vectors = [v for v in XSS_VECTORS if "remote.png" not in v]
    extra = ['<div class="x" id="y" style="color:red">带属性的块</div>', "[外链](https://example.org/page)"]
    extra += ["| 表头 | 数值 |\n|---|---:|\n| 甲 | 1 |", "- 列表一\n- 列表二", "> 引用一段话"]
    (hostile / "index.md").write_text(text + "\n\n" + "\n\n".join(extra + vectors) + "\n", encoding="utf-8")
    private = root / "cases" / "2024" / "公众号私密厂-不公开"
    shutil.copytree(source, private)
    text = (private / "index.md").read_text(encoding="utf-8")
    text = _front(text, title=f'"{PRIVATE_TITLE}"', unit="公众号私密厂", public="false", slug="wechat-simi")
    contact = "\n".join(f'  {k}: "{v}"' for k, v in SECRET.items())
    text = re.sub(r"(?s)\ncontact:.*?\nunit_info:", f"\ncontact:\n{contact}\nunit_info:", text)
    (private / "index.md").write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path) -> Path:
    """A private copy of a collection; photo caches linked (their entries are replaced, never rewritten)."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    for cache in (Path(".cache") / "assets", Path(".cache") / "wechat"):
        if (source / cache).is_dir():
            shutil.copytree(source / cache, target / cache, copy_function=os.link)
    return target


@pytest.fixture(scope="module")
def built_once(warm_caches: Path, tmp_path_factory) -> Path:
    """The sample with the edge cases, built once for the module: tests that read it share it."""
    root = _copy(warm_caches, tmp_path_factory.mktemp("wechat") / "collection")
    shutil.rmtree(root / "build", ignore_errors=True)
    _add_edge_cases(root)
    result = _build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the built collection (tests may change it)."""
    root = _copy(built_once, tmp_path / "collection")
    return root, root / "build" / "wechat"


@pytest.fixture
def fresh(sample_root: Path) -> Path:
    """The plain sample (its wechat photo cache is warm, see conftest.warm_caches)."""
    return sample_root


def _articles(out: Path) -> list[Path]:
    return sorted(out.glob("*/*/article.html"))


def _collection(root: Path):
    return pipeline.load(root).collection


def test_a_package_for_every_public_case(built):
    root, out = built
    public = views.public(_collection(root))
    assert len(public.cases) == PUBLIC_CASES + 1  # the sample's twelve and the hostile one
    assert sorted(p.parent.relative_to(out).as_posix() for p in _articles(out)) == sorted(
        f"{c.year}/{c.slug}" for c in public.cases
    )
    for case in public.cases:
        folder = out / str(case.year) / case.slug
        names = {p.name for p in folder.iterdir()}
        expected = {"article.html", "cover.jpg", "cover-square.jpg", "meta.json", "发布信息.txt", "学习强国.txt"}
        assert expected | {f"{n}.jpg" for n in range(1, len(case.photos) + 1)} == names
        with Image.open(folder / "cover.jpg") as wide, Image.open(folder / "cover-square.jpg") as square:
            assert (wide.size, square.size) == ((900, 383), (200, 200))
    assert (out / "index.html").is_file()


def test_every_article_keeps_to_what_the_wechat_editor_keeps(built):
    root, out = built
    for path in _articles(out):
        tree = lxml_html.document_fromstring(path.read_bytes())
        tags = {element.tag for element in tree.iter() if isinstance(element.tag, str)}
        assert not tags & {"style", "script", "link", "iframe", "a", "form", "object", "embed"}, path
        assert tags <= article.KEPT_TAGS | DOCUMENT_TAGS, (path, tags - article.KEPT_TAGS - DOCUMENT_TAGS)
        for element in tree.body.iter():
            if not isinstance(element.tag, str):
                continue
            assert set(element.attrib) <= article.KEPT_ATTRIBUTES, (path, element.tag, dict(element.attrib))
            style = element.get("style", "")
            assert "url(" not in style and "expression" not in style and "javascript" not in style.lower()
        for value in tree.xpath("//@src | //@href"):
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I), (path, value)
        assert tree.body.xpath("./section[@style]"), "the article is one styled section"


def test_images_are_beside_the_article_bare_and_under_the_limits(built):
    _, out = built
    for path in _articles(out):
        sources = lxml_html.document_fromstring(path.read_bytes()).xpath("//img/@src")
        assert sources == [f"{n}.jpg" for n in range(1, len(sources) + 1)]
        for name in [*sources, "cover.jpg", "cover-square.jpg"]:
            blob = (path.parent / name).read_bytes()
            assert len(blob) < 1_000_000
            with Image.open(io.BytesIO(blob)) as image:
                assert image.format == "JPEG"
                assert image.width <= 1080
                assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
            assert b"Exif" not in blob[:4096] and b"http://ns.adobe.com/xap" not in blob


def test_captions_in_order_under_each_photo(built):
    root, out = built
    for case in views.public(_collection(root)).cases:
        path = out / str(case.year) / case.slug / "article.html"
        tree = lxml_html.document_fromstring(path.read_bytes())
        figures = [img.getparent() for img in tree.iter("img")]
        captions = [figure.xpath("./p")[0].text_content() for figure in figures]
        assert captions == [p.caption for p in sorted(case.photos, key=lambda p: p.number)], case.slug
        plain = (path.parent / "学习强国.txt").read_text(encoding="utf-8")
        positions = [plain.index(f"［图片 {n}.jpg］\n\n{c}") for n, c in enumerate(captions, start=1)]
        assert positions == sorted(positions)


def test_the_article_has_the_case_in_its_parts(built):
    root, out = built
    collection = _collection(root)
    case = next(c for c in views.public(collection).cases if c.slug == "banzu-weixuanjiang")
    page = (out / "2024" / case.slug / "article.html").read_text(encoding="utf-8")
    tree = lxml_html.document_fromstring(page)
    assert tree.xpath("//h1")[0].text_content() == case.title
    assert f"申报单位：{case.unit}" in page and f"执笔人：{'、'.join(case.authors)}" in page
    first_level = tree.xpath("//h2")
    assert first_level[0].text_content().startswith("一、") and "#b71c1c" in first_level[0].get("style")
    assert "font-weight:bold" in tree.xpath("//h3")[0].get("style")
    paragraph = next(p for p in tree.iter("p") if "text-indent:2em" in p.get("style", ""))
    assert "line-height:1.75" in paragraph.get("style")
    assert tree.xpath("//p")[-1].text_content() == f"来源：{collection.settings.organiser}"


def test_digests_and_titles_are_within_the_limits_or_warned(built):
    root, out = built
    for meta_path in sorted(out.glob("*/*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assert len(meta["digest"]) <= texts.DIGEST_MAX
        assert len(meta["title"]) <= texts.TITLE_MAX or any(w.startswith("W640") for w in meta["warnings"])
        assert meta["characters"] > 500
        notes = (meta_path.parent / "发布信息.txt").read_text(encoding="utf-8")
        assert f"标题：{meta['title']}" in notes and f"摘要：{meta['digest']}" in notes
    # the sample's 微宣讲 summary opens with a 123-character sentence: cut, with an ellipsis, and warned
    meta = json.loads((out / "2024" / "banzu-weixuanjiang" / "meta.json").read_text(encoding="utf-8"))
    assert meta["digest"].endswith("…") and meta["warnings"][0].startswith("W641")
    assert "（第一句共 123 字）" in meta["warnings"][0]


def test_nothing_private_in_any_file(built):
    root, out = built
    collection = _collection(root)
    secrets = [v for k, v in SECRET.items() if k not in ("name", "position")] + [PRIVATE_TITLE]
    for folder in PRIVATE_FOLDERS:
        case = next(c for c in collection.cases if c.rel.startswith(folder + "/"))
        secrets += [case.title, case.contact.phone, case.contact.mobile, case.contact.email, case.contact.address]
    for case in collection.cases:  # the public cases' contacts too: contact data is never published
        if case.contact:
            secrets += [v for v in (case.contact.phone, case.contact.mobile, case.contact.email) if v]
    assert "wechat-simi" not in {p.name for p in out.glob("*/*")}
    for name, data in _tree(out).items():
        text = data.decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, (name, secret)
            assert json.dumps(secret)[1:-1] not in text, (name, secret)


def test_hostile_markup_is_sanitised_before_styling(built):
    _, out = built
    page = (out / "2024" / HOSTILE_SLUG / "article.html").read_text(encoding="utf-8")
    tree = lxml_html.document_fromstring(page)
    for element in tree.body.iter():
        assert isinstance(element.tag, str), "no comment survives"
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            assert not re.search(r"evil\.example|example\.org|javascript|url\(", value, re.I), (element.tag, value)
    assert {"table", "ul", "blockquote"} <= {e.tag for e in tree.iter() if isinstance(e.tag, str)}
    assert "带属性的块" in page and "外链" in page


@pytest.mark.slow  # a whole-output rebuild, run in CI (the fast loop keeps its quicker neighbours)
def test_two_builds_are_byte_identical_across_time_zones_and_folders(built, tmp_path):
    root, out = built
    first = _tree(out)
    other = tmp_path / "elsewhere" / "collection"
    shutil.copytree(root, other, symlinks=True, ignore=shutil.ignore_patterns("build"))
    result = _build(other, "--out", str(tmp_path / "out2"), env={"TZ": "America/Los_Angeles"})
    assert result.returncode == 0, result.stderr
    assert _tree(tmp_path / "out2") == first


def test_long_titles_and_summaries_are_warned_with_the_fix(fresh):
    sample_root = fresh
    folder = "2024/中原筑友-机手驿站"
    long_title = "“机手驿站”把思想政治工作送到工地一线并且覆盖全市所有大型工地和设备服务网点"
    long_summary = "甲" * 130 + "。"
    _edit(sample_root, folder, title=f'"{long_title}"', summary=long_summary, wechat_cover="3.jpg")
    result = _build(sample_root, "--case", "zhongyuanzhuyou-jishouyizhan")
    assert result.returncode == 0, result.stderr
    assert f"W640 案例名称共 {len(long_title)} 字，超过微信公众号标题上限 32 字" in result.stderr
    assert "wechat_title" in result.stderr
    assert "W641" in result.stderr and "（第一句共 131 字）" in result.stderr
    out = sample_root / "build" / "wechat" / "2024" / "zhongyuanzhuyou-jishouyizhan"
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert len(meta["digest"]) == 120 and meta["cover_from"] == "3.jpg"
    preview = (sample_root / "build" / "wechat" / "index.html").read_text(encoding="utf-8")
    assert "W640" in preview

    _edit(sample_root, folder, wechat_title='"机手驿站：把思政工作送到工地"', wechat_cover="9.jpg")
    result = _build(sample_root, "--case", "zhongyuanzhuyou-jishouyizhan")
    assert result.returncode == 0 and "W640" not in result.stderr
    assert "W645" in result.stderr
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["title"] == "机手驿站：把思政工作送到工地" and meta["cover_from"] == "1.jpg"
    assert lxml_html.document_fromstring((out / "article.html").read_bytes()).xpath("//h1")[0].text_content() == (
        long_title
    )


def test_a_single_case_build_keeps_the_others_and_drops_what_became_private(built):
    root, out = built
    _edit(root, "2024/华东重机-班组微宣讲走进车间", public="false")
    result = _build(root, "--case", "zhongyuanzhuyou-jishouyizhan")
    assert result.returncode == 0, result.stderr
    folders = {p.parent.relative_to(out).as_posix() for p in _articles(out)}
    assert "2024/banzu-weixuanjiang" not in folders
    assert len(folders) == PUBLIC_CASES  # 13 public before, one fewer now
    assert "banzu-weixuanjiang" not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow  # a whole-output rebuild, run in CI (the fast loop keeps its quicker neighbours)
def test_settings_give_the_accent_and_the_source_line(fresh):
    sample_root = fresh
    settings = sample_root / "content" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    assert 'accent: "#b71c1c"' in text and "# source:" in text  # the shipped file documents both keys
    text = text.replace('accent: "#b71c1c"', 'accent: "#1565C0"').replace("# source: 来源：", "source: 来源：")
    settings.write_text(text.replace("来源：江淮机械工业职工思想政治工作研究会", "来源：测试宣传部"), encoding="utf-8")
    assert _build(sample_root, "--year", "2023").returncode == 0
    page = next((sample_root / "build" / "wechat").glob("2023/*/article.html")).read_text(encoding="utf-8")
    assert "#1565c0" in page and "#b71c1c" not in page
    assert page.count("来源：测试宣传部") == 1
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('"#1565C0"', '"red;background:url(x)"'), encoding="utf-8"
    )
    result = run_cli("--root", str(sample_root), "check")
    assert "E605" in result.stdout and "wechat.accent" in result.stdout


def test_site_url_gives_the_original_link(fresh):
    sample_root = fresh
    set_site_url(sample_root, "https://anli.example.gov.cn/")
    assert _build(sample_root, "--case", "banzu-weixuanjiang").returncode == 0
    folder = sample_root / "build" / "wechat" / "2024" / "banzu-weixuanjiang"
    link = "https://anli.example.gov.cn/cases/banzu-weixuanjiang/"
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8"))["source_url"] == link
    assert f"原文链接：{link}" in (folder / "发布信息.txt").read_text(encoding="utf-8")
    assert link not in (folder / "article.html").read_text(encoding="utf-8")


def test_wrong_usage_is_refused_in_chinese(fresh, tmp_path):
    sample_root = fresh
    result = _build(sample_root, "--case", "banzu-weixuanjang")
    assert result.returncode == 2 and "没有网址名为“banzu-weixuanjang”的公开案例" in result.stderr
    assert "banzu-weixuanjiang" in result.stderr  # did you mean
    assert _build(sample_root, "--year", "1999").returncode == 2
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    result = _build(sample_root, "--out", str(foreign))
    assert result.returncode == 2 and "不是空的" in result.stderr
    assert (foreign / "keep.txt").read_text() == "mine"


@pytest.mark.slow  # a whole-output rebuild, run in CI (the fast loop keeps its quicker neighbours)
def test_a_leak_stops_the_build_and_keeps_the_previous_output(built, monkeypatch):
    root, out = built
    before = _tree(out)
    real = views.forbidden

    def with_a_public_title(collection):
        found = real(collection)
        return views.Forbidden({**found.values, "班组“微宣讲”让创新理论走进车间": "未公开案例"})

    monkeypatch.setattr(views, "forbidden", with_a_public_title)
    result = _build(root)
    assert result.returncode == 1 and "公众号文章中的" in result.stderr and "不应公开" in result.stderr
    assert _tree(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".wechat.")]


def test_the_main_command_does_not_make_the_articles():
    import inspect

    assert "wechat" not in inspect.getsource(pipeline.main_job)


# --- in a browser ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_copy_button_puts_the_article_on_the_clipboard_as_html(built):
    sync_api = pytest.importorskip("playwright.sync_api")
    _, out = built
    requests: list[str] = []
    with chromium(sync_api) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto((out / "index.html").as_uri())
        phone = page.locator(".phone").first
        assert abs(phone.bounding_box()["width"] - 375) < 1
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        case = page.locator("section.case").nth(2)
        case.locator("button", has_text="复制正文").click()
        case.locator(".status", has_text="已复制").wait_for()
        copied = page.evaluate(
            """async () => { const out = {};
            for (const item of await navigator.clipboard.read())
              for (const type of item.types) out[type] = await (await item.getType(type)).text();
            return out; }"""
        )
    folder = out / case_folder_of(copied["text/plain"], out)
    expected = article.fragment_of((folder / "article.html").read_text(encoding="utf-8"))
    html = copied["text/html"]
    fragment = lxml_html.fragment_fromstring(html[html.index("<section") :], create_parent="div")
    title = lxml_html.fragment_fromstring(expected).xpath("//h1")[0].text_content()
    assert fragment.xpath("//h1")[0].text_content() == title
    assert 'style="' in html and "text-indent:2em" in html and "class=" not in html
    names = [img.get("src") for img in lxml_html.fragment_fromstring(expected).iter("img")]
    assert names and [img.get("src") for img in fragment.iter("img")] == [(folder / n).as_uri() for n in names]
    assert copied["text/plain"].startswith(title)
    assert all(url.startswith("file://") for url in requests), requests


def case_folder_of(plain: str, out: Path) -> str:
    """The folder whose article's plain text is ``plain``."""
    for meta_path in out.glob("*/*/meta.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if plain.startswith(meta["case"]["title"]):
            return meta_path.parent.relative_to(out).as_posix()
    raise AssertionError("no case matches the copied text")


@pytest.mark.parametrize(
    ("summary", "digest", "cut"),
    [
        ("第一句。第二句！", "第一句。第二句！", False),
        ("甲" * 100 + "。“乙”" + "丙" * 30 + "。", "甲" * 100 + "。", False),
        ("他说：“好！”" + "乙" * 120, "他说：“好！”", False),
        ("甲" * 80 + "，" + "乙" * 80, "甲" * 80 + "…", True),
        ("甲" * 200, "甲" * 119 + "…", True),
    ],
)
def test_the_digest_ends_at_a_sentence_end(summary, digest, cut):
    made = texts.digest(summary)
    assert (made.text, made.cut) == (digest, cut)
    assert len(made.text) <= texts.DIGEST_MAX


def test_covers_are_cut_once_and_again_when_damaged(tmp_path, monkeypatch):
    large = tmp_path / "large.jpg"
    Image.new("RGB", (1600, 1200), "#3366aa").save(large, "JPEG")
    cuts = []
    real = covers._cut
    monkeypatch.setattr(covers, "_cut", lambda path: cuts.append(path) or real(path))
    cache = covers.CoverCache(tmp_path / "covers")
    first = covers.covers(large, "#b71c1c", cache)
    assert covers.covers(large, "#b71c1c", covers.CoverCache(tmp_path / "covers")) == first == real(large)
    assert len(cuts) == 1 and set(first) == {"cover.jpg", "cover-square.jpg"}
    entry = next((tmp_path / "covers").iterdir())
    (entry / "cover.jpg").write_bytes(b"\xff\xd8 cut short")
    assert covers.covers(large, "#b71c1c", covers.CoverCache(tmp_path / "covers")) == first
    assert len(cuts) == 2
