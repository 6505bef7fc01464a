"""Shared fixtures for the site tests: one collection (the sample plus edge cases) built once per
session by the real CLI, and helpers to read the output. Imported by test_site*.py and test_browser*.py."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT, run_cli
from PIL import Image

SECRET = {
    "name": "欧阳保密",
    "position": "保密办主任",
    "phone": "0551-68889999",
    "mobile": "13866667777",
    "email": "secret-contact@private-example.cn",
    "address": "合肥市保密路99号机要楼",
}
PRIVATE_TITLE = "不公开案例的机密标题甲乙"
DRAFT_TITLE = "仍在草稿状态的案例标题丙丁"
WITHDRAWN_TITLE = "已经撤回的案例标题戊己"
XSS_SLUG = "anquan-ceshi"
EXIF_SLUG = "exif-ceshi"
GPS_MARKER = "GPS-SECRET-MARKER"
ICP = "皖ICP备12345678号"
SITE_URL = "https://anli.example.gov.cn/"
HAS_SOFFICE = shutil.which("soffice") is not None
_SITE_URL_KEY = re.compile(r"^site_url:.*(?:\n|$)", re.M)


def with_site_url(text: str, url: str | None) -> str:
    """mkdocs.yml's text with its ``site_url`` key replaced by ``url`` (the sample sets an example one;
    a second key would make the file ambiguous), or removed when ``url`` is None: a collection that
    sets no address."""
    line = f"site_url: {url}\n" if url else ""
    if _SITE_URL_KEY.search(text):
        return _SITE_URL_KEY.sub(line, text, count=1)
    return text + ("\n" + line if line else "")


def set_site_url(root: Path, url: str | None) -> None:
    """The collection at ``root`` published at ``url`` (None: without site_url)."""
    config = root / "mkdocs.yml"
    config.write_text(with_site_url(config.read_text(encoding="utf-8"), url), encoding="utf-8")


XSS_VECTORS = [
    "<script>alert('xss1')</script>",
    "<img src=x onerror=alert('xss2')>",
    "<svg onload=alert('xss3')><circle r=1></circle></svg>",
    '<iframe src="https://evil.example/frame"></iframe>',
    "<a href=\"javascript:alert('xss5')\">脚本链接</a>",
    "[Markdown 脚本链接](javascript:alert('xss6'))",
    '<div style="background:url(https://evil.example/bg.png)">样式注入</div>',
    "<style>body{display:none} @import url(https://evil.example/x.css);</style>",
    '<form action="https://evil.example/post"><input name="q"><button>提交</button></form>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<p onclick=\"alert('xss12')\">点击段落</p>",
    "<a href=\"JaVaScRiPt:alert('xss14')\">大小写</a>",
    "<a href=\"&#106;avascript:alert('xss15')\">实体编码</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">数据地址</a>',
    '<img src="https://evil.example/track.gif" alt="跟踪像素">',
    "![外部图片][remote]\n\n[remote]: https://evil.example/remote.png",
    '<link rel="stylesheet" href="https://evil.example/link.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "<video src=x onerror=alert('xss22')></video><audio src=x onerror=alert('xss22b')></audio>",
    "<details open ontoggle=alert('xss23')><summary>展开</summary>内容</details>",
    "<input autofocus onfocus=alert('xss24')>",
    "<!--<img src=\"--><img src=x onerror=alert('xss25')//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss26')>\"></noscript>",
    '<span id="__search" class="md-search">DOM 覆盖</span>',
    "一段文字 {: onclick=\"alert('xss28')\" }",
    "<table background=\"javascript:alert('xss29')\"><tr><td>表格</td></tr></table>",
    '<a href="https://example.org/" target="_blank" onmouseover="alert(\'xss30\')">正常外链</a>',
    # last: an unclosed <style> swallows the rest of the document, as it would in a browser
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss13')>",
]
KEPT = ["<strong>加粗保留</strong>", "<sup>2</sup>", "<em>强调保留</em>"]


def _case(title: str, unit: str, body_extra: str = "", **front: object) -> str:
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"unit: {unit}",
        "recommender: 测试推荐单位",
        "category: 企业",
        "themes: [企业文化与人文关怀]",
        "year: 2024",
        "authors: [测试执笔人]",
        "summary: 这是一个用于测试网站生成的案例概要，说明做法和成效。",
    ]
    for key, value in front.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines += [
        "---",
        "## 一、基本情况",
        "",
        "测试单位的基本情况。",
        "",
        "## 二、主要做法",
        "",
        "主要做法的描述。",
        "",
        "## 三、工作成效",
        "",
        "工作成效的描述。",
        "",
        "## 四、工作启示",
        "",
        "工作启示的描述。" + body_extra,
        "",
    ]
    return "\n".join(lines)


def _gps_photo(path: Path) -> None:
    """A landscape 1200×800 JPEG stored with Orientation 6 (shown as portrait) and GPS data."""
    image = Image.new("RGB", (1200, 800), (200, 120, 40))
    for x in range(0, 1200, 40):
        image.paste((30, 60, 200), (x, 0, x + 20, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010E] = GPS_MARKER  # ImageDescription
    exif[0x8825] = {1: "N", 2: (31.0, 49.0, 12.0), 3: "E", 4: (117.0, 13.0, 30.0)}
    image.save(path, "JPEG", exif=exif, comment=GPS_MARKER.encode())


def make_collection(root: Path, books: bool = True) -> Path:
    """The sample plus the site's edge cases (private, draft, withdrawn, XSS, EXIF); ``books``: with
    build/book/ as `book` leaves it (a real volume: seconds with LibreOffice)."""
    root.mkdir(parents=True)
    for name in ("cases", "content"):
        shutil.copytree(PROJECT / name, root / name)
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(with_site_url(config, SITE_URL), encoding="utf-8")  # sitemap entries
    settings = root / "content" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("icp: null", f"icp: {ICP}"), encoding="utf-8")
    cases = root / "cases" / "2024"
    contact = {"contact": SECRET}
    for folder, title, extra in (
        ("测试私密厂-不公开案例", PRIVATE_TITLE, {"public": False}),
        ("测试草稿厂-草稿案例", DRAFT_TITLE, {"status": "draft"}),
        ("测试撤回厂-撤回案例", WITHDRAWN_TITLE, {"status": "withdrawn"}),
    ):
        (cases / folder).mkdir()
        (cases / folder / "index.md").write_text(
            _case(title, f"{folder[:5]}有限公司", **extra, **contact), encoding="utf-8"
        )
    xss = cases / "安全测试厂-跨站脚本防护"
    xss.mkdir()
    # after the last required section: raw HTML blocks may swallow what follows them (on the page and
    # for check alike); external images are refused by check (E210), so that vector is tested in-process
    vectors = [v for v in XSS_VECTORS if "remote.png" not in v]
    body = "\n\n" + "\n\n".join(KEPT + vectors) + "\n\n"
    (xss / "index.md").write_text(
        _case(
            "“安全”<i>标题</i>测试 & </title><script>alert('t')</script>", "安全测试厂", body, slug=XSS_SLUG, **contact
        ),
        encoding="utf-8",
    )
    exif = cases / "照片测试厂-照片元数据"
    exif.mkdir()
    _gps_photo(exif / "1.jpg")
    photos = [{"file": "1.jpg", "time": "2024年5月", "subject": "照片测试厂", "event": "测试照片的方向和元数据"}]
    (exif / "index.md").write_text(
        _case("照片元数据清除测试", "照片测试厂有限公司", slug=EXIF_SLUG, photos=photos, **contact), encoding="utf-8"
    )
    if books:
        _books(root)
    return root


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        )
    return buffer.getvalue()


def _books(root: Path) -> None:
    """build/book/ as `python build.py book` leaves it: the real public 2024 volume (with its PDF when
    LibreOffice is here) recorded in the manifest, and beside it files the site must never offer: a
    stale PDF of 2023, a 2023 DOCX with contact data and an organisers' edition, none of them vouched
    for by the manifest."""
    from casebook.inputs.loader import load
    from casebook.outputs.book import stage

    title = "机械工业基层思想政治工作创新案例选编"
    folder = root / "build" / "book"
    collection, _ = load(root)
    stage.build_book(root, collection, 2024, "public", folder, make_pdf=HAS_SOFFICE)
    (folder / f"{title}（2023年度）.docx").write_bytes(_docx(f"联系电话 {SECRET['phone']}"))
    (folder / f"{title}（2023年度）.pdf").write_bytes(b"%PDF-1.4\n% stale\n%%EOF\n")
    (folder / f"{title}（2024年度）组织方版.docx").write_bytes(_docx(f"组织方版 {SECRET['mobile']}"))


def build(root: Path, out: Path) -> subprocess.CompletedProcess:
    return run_cli("--root", str(root), "site", "--out", str(out))


_SHARED: dict[str, Path] = {}  # one collection and one build per session, whichever module asks first


@pytest.fixture(scope="session")
def site_root(tmp_path_factory) -> Path:
    if "root" not in _SHARED:
        _SHARED["root"] = make_collection(tmp_path_factory.mktemp("site") / "collection")
    return _SHARED["root"]


@pytest.fixture(scope="session")
def built_site(site_root: Path) -> Path:
    if "out" not in _SHARED:
        out = site_root.parent / "out"
        result = build(site_root, out)
        assert result.returncode == 0, result.stdout + result.stderr
        _SHARED["out"] = out
    return _SHARED["out"]


def text_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".js", ".css", ".txt", ".md"):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            if path.suffix == ".json":
                text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
            yield path, text


def case_html(site: Path, slug: str) -> str:
    return (site / "cases" / slug / "index.html").read_text(encoding="utf-8")


def article(page: str) -> str:
    start = page.index('<article class="md-content__inner')
    return page[start : page.index("</article>", start)]


if __name__ == "__main__":  # python tests/test_site_helpers.py DIR: make the test collection to look at
    make_collection(Path(sys.argv[1]))
