# ruff: noqa: F811  (pytest fixtures imported from test_site_helpers)
"""The website, file by file: a real `python build.py site` of the sample collection plus edge cases."""

from __future__ import annotations

import filecmp
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from test_site_helpers import (  # noqa: F401  (fixtures)
    DRAFT_TITLE,
    EXIF_SLUG,
    GPS_MARKER,
    HAS_SOFFICE,
    ICP,
    PRIVATE_TITLE,
    SECRET,
    WITHDRAWN_TITLE,
    XSS_SLUG,
    article,
    build,
    built_site,
    case_html,
    site_root,
    text_files,
)

from casebook.inputs.loader import load
from casebook.publish import views

# ---- privacy --------------------------------------------------------------------------------


def _contact_values(root: Path) -> list[str]:
    """Every contact value, except a contact person who is also a published case's 执笔人 (public by design)."""
    collection, _ = load(root)
    values = set(SECRET.values())
    for case in collection.cases:
        if case.contact:
            values.update(v for v in case.contact.values() if len(v) >= 2)
    public_names = {a for c in views.public(collection).cases for a in c.authors}
    return sorted(values - public_names)


def test_no_contact_value_anywhere(built_site, site_root):
    values = _contact_values(site_root)
    assert SECRET["mobile"] in values and len(values) > 20
    for path, text in text_files(built_site):
        for value in values:
            assert value not in text, f"{value} in {path.relative_to(built_site)}"


def test_unpublished_cases_appear_nowhere(built_site):
    for path, text in text_files(built_site):
        for title in (PRIVATE_TITLE, DRAFT_TITLE, WITHDRAWN_TITLE, "矛盾纠纷“三级排查”", "反诈护薪"):
            assert title not in text, f"{title} in {path.relative_to(built_site)}"
    slugs = {p.name for p in (built_site / "cases").iterdir()}
    assert "banzu-weixuanjiang" in slugs
    assert not any("xiling" in s or "liaohe" in s or "ceshisimi" in s for s in slugs)


def test_published_jpegs_carry_no_metadata(built_site):
    jpegs = sorted(built_site.rglob("*.jpg"))
    assert len(jpegs) >= 20
    for path in jpegs:
        data = path.read_bytes()
        assert GPS_MARKER.encode() not in data
        for marker, payload in _segments(data):
            assert marker in (0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD), f"segment {marker:#x} in {path}"
            if marker == 0xE0:
                assert payload.startswith(b"JFIF\x00")


def _segments(data: bytes):
    assert data[:2] == b"\xff\xd8"
    pos = 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        if marker == 0xDA:
            return
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        yield marker, data[pos + 4 : pos + 2 + length]
        pos += 2 + length


def test_photos_are_derivatives_never_originals(built_site, site_root):
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (site_root / "cases").rglob("*.jpg")}
    for path in built_site.rglob("*.jpg"):
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in originals
    from PIL import Image

    for path in (built_site / "cases").rglob("photo-*.jpg"):
        with Image.open(path) as image:
            limit = 600 if path.stem.endswith("-s") else 1600
            assert max(image.size) <= limit


def test_orientation_applied_and_sizes_in_html(built_site):
    from PIL import Image

    with Image.open(built_site / "cases" / EXIF_SLUG / "photo-1.jpg") as image:
        assert image.size == (800, 1200)  # stored landscape with Orientation 6 → published portrait
    page = case_html(built_site, EXIF_SLUG)
    images = re.findall(r"<img [^>]*>", article(page))
    assert images
    for tag in images:
        assert 'loading="lazy"' in tag and 'width="' in tag and 'height="' in tag
        assert 'alt="1.2024年5月，照片测试厂测试照片的方向和元数据"' in tag
    assert "<figcaption>1.2024年5月，照片测试厂测试照片的方向和元数据</figcaption>" in page


# ---- safety ---------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(fragment: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


def test_xss_vectors_rendered_harmless(built_site):
    from test_site_helpers import XSS_VECTORS

    assert len(XSS_VECTORS) >= 20
    body = article(case_html(built_site, XSS_SLUG))
    # the page's own QR code (an SVG drawn by the tool from the page's address) is not content
    body, own = re.subn(r'<div class="cb-qr" id="cb-qr" hidden><svg class="cb-qr__code".*?</svg>', "", body, flags=re.S)
    assert own == 1
    for tag, attrs in _tags(body):
        assert tag not in {"script", "iframe", "object", "embed", "form", "input", "style", "link", "meta",
                           "base", "svg", "math", "video", "audio", "textarea"}, tag  # fmt: skip
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            lowered = (value or "").strip().lower()
            assert not lowered.startswith(("javascript:", "data:", "vbscript:")), (tag, name, value)
            if name == "src" or (tag == "a" and name == "href" and "evil" in lowered):
                assert "evil.example" not in lowered, (tag, name, value)
        if tag == "span":
            assert attrs.get("id") != "__search" and "md-search" not in (attrs.get("class") or "")
    assert "<strong>加粗保留</strong>" in body and "<sup>2</sup>" in body and "<em>强调保留</em>" in body
    assert 'href="https://example.org/"' in body  # ordinary links stay


def test_hostile_title_is_inert_everywhere(built_site):
    page = case_html(built_site, XSS_SLUG)
    head = page[: page.index("<body")]
    assert "<script>alert('t')" not in page
    assert "</title><script>" not in head
    assert "&lt;i&gt;标题&lt;/i&gt;" in article(page)


def test_no_page_loads_anything_from_another_host(built_site):
    loading = re.compile(
        r"""<(?:script|img|link|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|srcset|data)=["']([^"']+)"""
    )
    for path in built_site.rglob("*.html"):
        text = re.sub(r'<link rel="canonical" [^>]*>', "", path.read_text(encoding="utf-8"))  # names, loads nothing
        for url in loading.findall(text):
            assert not re.match(r"^(?:[a-z]+:)?//", url.strip(), re.I), f"{url} in {path}"
    for path in built_site.rglob("*.css"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "@import url(http" not in text


# ---- structure ------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(attrs[key])


def _page_links(path: Path) -> tuple[list[str], set[str]]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links, parser.ids


def _resolve(site: Path, page: Path, link: str) -> Path | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")):
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    return target / "index.html" if target.is_dir() else target


def test_every_internal_link_resolves(built_site):
    checked = 0
    for page in built_site.rglob("*.html"):
        if page.name == "404.html":
            continue
        links, _ = _page_links(page)
        for link in links:
            target = _resolve(built_site, page, link)
            if target is not None:
                assert target.exists(), f"{link} in {page.relative_to(built_site)}"
                checked += 1
    assert checked > 500


def test_every_case_within_two_clicks_of_home(built_site):
    home = built_site / "index.html"
    seen, frontier = {home}, [home]
    for _ in range(2):
        following = []
        for page in frontier:
            for link in _page_links(page)[0]:
                target = _resolve(built_site, page, link)
                if target and target.suffix == ".html" and target.exists() and target not in seen:
                    seen.add(target)
                    following.append(target)
        frontier = following
    cases = set((built_site / "cases").glob("*/index.html"))
    assert cases and cases <= seen


def test_global_nav_lists_no_cases(built_site):
    page = case_html(built_site, "banzu-weixuanjiang")
    nav = page[page.index('<nav class="md-nav md-nav--primary') :]
    nav = nav[: nav.index("</nav>\n")] if "</nav>\n" in nav else nav
    assert "cases/" not in re.sub(r"<nav class=\"md-nav md-nav--secondary\".*", "", nav, flags=re.S)
    assert len(page.encode()) < 120_000
    primary = page[page.index('<nav class="md-nav md-nav--primary') :]
    for label in ("首页", "前言", "按类别", "按年度", "按主题", "按单位", "全部案例", "下载", "关于本站"):
        assert f"{label}\n" in primary or f">{label}<" in primary or f"{label}</span>" in primary, label


def test_case_page_content(built_site):
    page = case_html(built_site, "banzu-weixuanjiang")
    body = article(page)
    for text in ("班组“微宣讲”让创新理论走进车间", "华东重型机床有限公司党委", "江淮机械工业联合会", "张明远、李晓岚",
                 "案例概要和创新点", "优秀案例", "cb-summary"):  # fmt: skip
        assert text in body
    assert 'href="../../browse/category/qiye/"' in body
    assert 'href="../../browse/year/2024/"' in body
    assert "browse/theme/" in body and "browse/unit/" in body
    assert 'id="一基本情况"' in body and 'href="#一基本情况"' in page  # Chinese heading anchors
    figures = re.findall(r'<figure class="cb-figure">(.*?)</figure>', body, re.S)
    assert len(figures) == 3 and all("<img " in f and "<figcaption>" in f for f in figures)
    assert "下一篇" in body or "上一篇" in body
    assert f"anthology-2024.{'pdf' if HAS_SOFFICE else 'docx'}" in body  # this year's anthology was built


def test_unit_index_by_pinyin_with_polyphones(built_site):
    page = (built_site / "browse" / "unit" / "index.html").read_text(encoding="utf-8")
    body = article(page)
    letters = re.findall(r'<h2 id="([a-z]+|other)"', body)
    assert letters == sorted(letters) and "c" in letters and "x" in letters
    section = {m.group(1): m.group(2) for m in re.finditer(r'<h2 id="([a-z]+)".*?</h2>(.*?)(?=<h2 |$)', body, re.S)}
    assert "重庆渝江齿轮有限公司党委" in section["c"]
    assert "长沙湘麓工程机械职业技术学院党委" in section["c"]
    assert "厦门鹭岛电机股份有限公司党委" in section["x"]
    units = {p.name for p in (built_site / "browse" / "unit").iterdir() if p.is_dir()}
    assert any(u.startswith("chongqing") for u in units)
    assert any(u.startswith("changsha") for u in units)
    assert any(u.startswith("xiamen") for u in units)
    assert any("hangye" in u for u in units)


def test_browse_pages_and_all_cases_table(built_site):
    for path in ("browse/category/qiye", "browse/category/yuanxiao", "browse/year/2023", "browse/year/2024",
                 "browse/theme/lixiangxinnianjiaoyu", "all", "downloads"):  # fmt: skip
        assert (built_site / path / "index.html").is_file(), path
    table = article((built_site / "all" / "index.html").read_text(encoding="utf-8"))
    assert table.count("<tr>") == len(list((built_site / "cases").iterdir())) + 1
    assert "cb-sort" in table and "cb-filter-text" in table


def test_home_page(built_site):
    home = article((built_site / "index.html").read_text(encoding="utf-8"))
    assert "思想政治工作是经济工作" in home  # content/index.md
    assert home.count("<svg") == 2 and "cb-chart__bar" in home
    assert "获评案例" in home and "2024年度案例" in home and 'class="cb-card"' in home


def test_downloads_and_exports(built_site, site_root):
    csv_bytes = (built_site / "downloads" / "cases.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    header = csv_bytes.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("案例名称,申报单位")
    data = json.loads((built_site / "downloads" / "cases.json").read_text(encoding="utf-8"))
    assert {c["url"] for c in data["cases"]} == {f"cases/{p.name}/" for p in (built_site / "cases").iterdir()}
    assert not any(k in data["cases"][0] for k in ("contact", "unit_info"))
    page = article((built_site / "downloads" / "index.html").read_text(encoding="utf-8"))
    volumes = ["anthology-2024.docx"] + (["anthology-2024.pdf"] if HAS_SOFFICE else [])
    assert all(name in page for name in volumes)
    assert not (built_site / "downloads" / "2023").exists()  # not made by the book stage: never offered
    published = sorted(p.name for p in (built_site / "downloads").rglob("*") if p.is_file())
    assert published == sorted([*volumes, "cases.csv", "cases.json", "index.html"])
    public_docx = site_root / "build" / "book" / "机械工业基层思想政治工作创新案例选编（2024年度）.docx"
    assert (built_site / "downloads" / "2024" / "anthology-2024.docx").read_bytes() == public_docx.read_bytes()


def test_search_index(built_site, site_root):
    """The site's own index (outputs/site/search): script files made from the public model only, the
    same bytes as built in process; Material's lunr index and the jieba dictionary are gone."""
    from casebook.outputs.site import public_model
    from casebook.outputs.site.search import files

    assert not (built_site / "search" / "search_index.json").exists()
    assert not (site_root / ".cache" / "site" / "search-dict.txt").exists()
    collection, _ = load(site_root)
    expected = files(public_model.make(collection))
    built = {
        p.relative_to(built_site).as_posix(): p.read_bytes() for p in (built_site / "search").rglob("*") if p.is_file()
    }
    assert built == expected  # deterministic, nothing added by the engine
    docs = [
        json.loads(re.search(rb"add\((\"[^\"]*\"),(.*)\);", data, re.S).group(2))
        for path, data in built.items()
        if "/d/" in path
    ]
    locations = {d["u"] for d in docs}
    assert "cases/banzu-weixuanjiang/" in locations and all(u.startswith("cases/") for u in locations)
    text = "".join(json.dumps(d, ensure_ascii=False) for d in docs)
    assert "微宣讲" in text and "华东重型机床有限公司党委" in text and "\u200b" not in text
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert "assets/casebook/search.js" in page and "md-search" not in page


def test_footer_shows_organiser(built_site):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert "主办：江淮机械工业职工思想政治工作研究会" in page
    assert f'<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer nofollow">{ICP}</a>' in page
    assert "Made with" not in page


def test_no_local_path_leaks_into_the_site(built_site, site_root):
    for path, text in text_files(built_site):
        assert str(site_root) not in text and "/.cache/" not in text, path


def test_sitemap_has_no_build_date(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>https://anli.example.gov.cn/cases/") >= 10  # the fixture sets site_url
    assert "<lastmod>" not in sitemap


# ---- determinism and atomicity --------------------------------------------------------------


def test_two_builds_are_identical(built_site, site_root, tmp_path):
    """A second, cold build of a copy elsewhere (no caches, another path) gives the same bytes."""
    import shutil

    copy = tmp_path / "elsewhere" / "collection"
    shutil.copytree(site_root, copy, ignore=shutil.ignore_patterns(".cache"))
    again = tmp_path / "again"
    result = build(copy, again)
    assert result.returncode == 0, result.stderr
    assert "新处理图片 0 张" not in result.stdout  # really cold
    _assert_same_tree(built_site, again)


def test_warm_build_does_no_image_work(built_site, site_root):
    from casebook.outputs.site import builder

    collection, _ = load(site_root)
    prepared = builder.prepare(collection)
    assert prepared.photos_processed == 0 and prepared.changed == 0


def _assert_same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, files_a, shallow=False)
    assert not mismatch and not errors, mismatch[:10]


def test_content_errors_refuse_to_build_and_keep_previous_site(site_root, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(site_root, broken, ignore=shutil.ignore_patterns(".cache", "build"))
    out = tmp_path / "out"
    (out).mkdir()
    (out / "sitemap.xml").write_text("previous", encoding="utf-8")
    case = broken / "cases" / "2024" / "华东重机-班组微宣讲走进车间" / "index.md"
    case.write_text(case.read_text(encoding="utf-8").replace("category: 企业", "category: 工厂"), encoding="utf-8")
    result = build(broken, out)
    assert result.returncode == 1
    assert "E101" in result.stderr and "未生成网站" in result.stderr
    assert (out / "sitemap.xml").read_text(encoding="utf-8") == "previous"


def test_refuses_to_overwrite_a_folder_that_is_not_a_site(site_root, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    result = build(site_root, precious)
    assert result.returncode == 2
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_out_may_not_be_the_collection(site_root):
    result = build(site_root, site_root)
    assert result.returncode == 2


def test_slug_collision_is_an_error(site_root, tmp_path):
    import shutil

    clash = tmp_path / "clash"
    shutil.copytree(site_root, clash, ignore=shutil.ignore_patterns(".cache", "build"))
    case = clash / "cases" / "2024" / "中原筑友-机手驿站" / "index.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("\ntitle:", "\nslug: banzu-weixuanjiang\ntitle:", 1), encoding="utf-8")
    result = build(clash, tmp_path / "out")
    assert result.returncode == 1 and "E402" in result.stderr
    assert not (tmp_path / "out").exists()
