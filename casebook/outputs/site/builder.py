"""One site build: public model → photos → generated docs tree + config → engine → atomic swap."""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from casebook.util import files
from casebook.model import Collection
from casebook.publish import verify, views
from casebook.outputs.site import books as books_mod
from casebook.outputs.site import (
    case_page,
    engine,
    exports,
    mkdocs_config,
    pages,
    public_model,
    search_dict,
    templates,
    urls,
)
from casebook.outputs.site import search as site_search
from casebook.outputs.site.docs_tree import DocsTree
from casebook.outputs.site.html_parts import WebPhoto
from casebook.outputs.site.photos import PhotoCache
from casebook.outputs.site.render_cache import RenderCache
from casebook.outputs.site.sanitize import Renderer, plain, split_headings, to_markdown

THEME_SUBDIR = Path("theme") / "site"
TOOL_THEME = Path(__file__).resolve().parents[3] / THEME_SUBDIR
CONTENT_ORDER = {"preface": 0, "about": 99}
PHOTO_PATTERN = "/cases/*/photo-*.jpg\n"
_PHOTO = re.compile(r"^cases/[^/]+/photo-[^/]+\.jpg$")


@dataclass
class Prepared:
    config: Path  # the complete configuration (serve, or any engine reading mkdocs.yml)
    build_config: Path  # the same, leaving photo derivatives to the builder (hard links, no copying)
    photos: dict[str, Path]  # site path → derivative file
    docs: Path
    model: public_model.SiteModel
    photos_processed: int
    changed: int
    timings: dict = field(default_factory=dict)


def cache_dir(root: Path) -> Path:
    return root / ".cache" / "site"


def theme_dir(root: Path) -> Path:
    local = root / THEME_SUBDIR
    return local if (local / "main.html").is_file() else TOOL_THEME


def _verify_tree(tree: DocsTree, forbidden: views.Forbidden) -> None:
    """The generated pages are searched before the engine sees them (the preview serves them too)."""
    findings = verify.scan_blobs(tree.texts, forbidden)
    if findings:
        raise verify.Leak("网站", findings)


def _content_pages(collection: Collection, renderer: Renderer) -> tuple[str, list[pages.ContentPage]]:
    """content/index.md (home introduction) and the other editorial pages, sanitised."""
    intro, result = "", []
    for page in collection.pages:
        markdown = to_markdown(split_headings(renderer.to_html(page.body)))
        if page.name == "index":
            intro = markdown
            continue
        slug = re.sub(r"[^a-z0-9-]+", "-", page.name.lower()).strip("-") or "page"
        first = re.search(r"^#\s+(.+)$", page.body, re.M)
        title = page.title or (first.group(1).strip() if first else page.name)
        result.append(pages.ContentPage(page.name, title, f"{slug}/", markdown))
    result.sort(key=lambda p: (CONTENT_ORDER.get(p.name, 50), p.name))
    return intro, result


def _nav(content: list[pages.ContentPage]) -> list:
    nav: list = [{"首页": "index.md"}]
    nav += [{plain(p.title): urls.page_source(p.url)} for p in content if p.name == "preface"]
    nav.append(
        {
            "案例浏览": [
                {"按类别": urls.page_source(urls.CATEGORIES)},
                {"按年度": urls.page_source(urls.YEARS)},
                {"按主题": urls.page_source(urls.THEMES)},
                {"按单位": urls.page_source(urls.UNITS)},
                {"全部案例": urls.page_source(urls.ALL)},
            ]
        }
    )
    nav.append({"下载": urls.page_source(urls.DOWNLOADS)})
    nav += [{plain(p.title): urls.page_source(p.url)} for p in content if p.name != "preface"]
    return nav


def _photos(model: public_model.SiteModel, cache: Path, tree: DocsTree, workers: int | None) -> tuple[dict, int]:
    """Derivatives of every published photo, linked into the tree; returns the web photos and how many
    photos needed processing."""
    photo_cache = PhotoCache(cache / "photos")
    derived = photo_cache.derive(sorted({p.path for c in model.cases for p in c.photos}), workers)
    web: dict[tuple[str, int], WebPhoto] = {}
    for case in model.cases:
        for photo in case.photos:
            d = derived[photo.path]
            full, thumb = f"cases/{case.slug}/photo-{photo.number}.jpg", f"cases/{case.slug}/photo-{photo.number}-s.jpg"
            web[(case.slug, photo.number)] = WebPhoto(full, d.full_size, thumb, d.thumb_size, photo.caption)
            tree.link(full, d.full)
            tree.link(thumb, d.thumb)
    return web, photo_cache.processed


def _pages(
    tree: DocsTree, model: public_model.SiteModel, collection: Collection, cache: Path, web: dict, books: dict
) -> list:
    """Every page of the site into the tree; returns the editorial pages (for the nav)."""
    renderer = Renderer()
    render_cache = RenderCache(cache / "rendered.json")
    env = templates.environment(collection.root)  # the collection's templates first, then the tool's
    intro, content = _content_pages(collection, renderer)
    tree.add("index.md", pages.home(model, intro, web, books, env=env))
    for case in model.cases:
        page = case_page.render(model, case, renderer, web, books, render_cache, env=env)
        tree.add(urls.page_source(urls.case_url(case.slug)), page)
    render_cache.save()
    tree.add(urls.page_source(urls.CATEGORIES), pages.category_index(model, env=env))
    tree.add(urls.page_source(urls.YEARS), pages.year_index(model, env=env))
    tree.add(urls.page_source(urls.THEMES), pages.theme_index(model, env=env))
    tree.add(urls.page_source(urls.UNITS), pages.unit_index(model, env=env))
    for group in (*model.categories, *model.years, *model.themes, *model.units):
        tree.add(urls.page_source(group.url), pages.group_page(model, group, env=env, photos=web))
    tree.add(urls.page_source(urls.ALL), pages.all_cases(model, env=env))
    tree.add(urls.page_source(urls.DOWNLOADS), pages.downloads(model, books, env=env))
    tree.add("downloads/cases.csv", exports.to_csv(model))
    tree.add("downloads/cases.json", exports.to_json(model))
    for page in content:
        tree.add(urls.page_source(page.url), pages.content_page(page, env=env))
    return content


def _configs(
    root: Path,
    cache: Path,
    model: public_model.SiteModel,
    content: list,
    offline: bool = False,
    search: str = "casebook",
) -> tuple[Path, Path]:
    """The engine configuration (complete) and its build variant (photos placed by us)."""
    user_dict = None
    if search == "lunr":  # the former search, kept for the benchmark only
        user_dict = cache / "search-dict.txt"
        files.write_if_changed(user_dict, search_dict.user_dictionary(model).encode("utf-8"))
    config = mkdocs_config.generate(
        mkdocs_config.load_base(root / "mkdocs.yml"),
        site_name=plain(model.title),
        docs_dir=cache / "docs",
        site_dir=cache / "serve-site",
        theme_dir=theme_dir(root),
        user_dict=user_dict,
        nav=_nav(content),
        extra={"organiser": model.organiser, "icp": model.icp},
        search=search,
        offline=offline,
    )
    variant = "-offline" if offline else "-lunr" if search == "lunr" else ""
    complete, for_build = cache / f"mkdocs{variant}.yml", cache / f"mkdocs{variant}-build.yml"
    files.write_if_changed(complete, mkdocs_config.dump(config).encode("utf-8"))
    files.write_if_changed(for_build, mkdocs_config.dump({**config, "exclude_docs": PHOTO_PATTERN}).encode("utf-8"))
    return complete, for_build


def prepare(
    collection: Collection,
    workers: int | None = None,
    books_folder: Path | None = None,
    forbidden: views.Forbidden | None = None,
    offline: bool = False,
    search: str = "casebook",
) -> Prepared:
    """Write the generated docs tree and engine config under the collection's cache folder.
    ``offline``: the variant opened from file:// (links to index.html); ``search="lunr"``: Material's
    former search instead of the site's own (benchmark only)."""
    root, cache = collection.root, cache_dir(collection.root)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    model = public_model.make(collection)
    tree = DocsTree()
    web, processed = _photos(model, cache, tree, workers)
    timings["photos"] = time.perf_counter() - started
    books = books_mod.find(collection, books_folder)
    for found in books.values():
        for book in found:
            tree.link(book.site_path, book.source)
    content = _pages(tree, model, collection, cache, web, books)
    if search != "lunr":
        for path, data in site_search.files(model, html_links=offline).items():
            tree.add(path, data)
    _verify_tree(tree, forbidden if forbidden is not None else views.forbidden(collection))
    timings["pages"] = time.perf_counter() - started - timings["photos"]
    changed = tree.sync(cache / "docs")
    complete, for_build = _configs(root, cache, model, content, offline, search)
    timings["write"] = time.perf_counter() - started - timings["photos"] - timings["pages"]
    photo_links = {path: source for path, source in tree.links.items() if _PHOTO.match(path)}
    return Prepared(complete, for_build, photo_links, cache / "docs", model, processed, changed, timings)


def check_out_dir(root: Path, out: Path) -> str | None:
    """A reason to refuse ``out`` (it would destroy something that is not a generated site), or None."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        return f"输出文件夹 {out} 包含案例合集本身，拒绝覆盖"
    if out.exists() and not out.is_dir():
        return f"输出路径 {out} 已存在且不是文件夹"
    if out.is_dir() and any(out.iterdir()) and not (out / "sitemap.xml").is_file():
        return f"输出文件夹 {out} 不是先前生成的网站（缺少 sitemap.xml），拒绝覆盖"
    return None


def build(
    collection: Collection,
    out: Path,
    workers: int | None = None,
    books_folder: Path | None = None,
    offline: bool = False,
    search: str = "casebook",
) -> tuple[Prepared, list[str]]:
    """Build the site into ``out`` atomically: staged, every file verified, then swapped in. A failure
    at any step leaves the previous site untouched. ``offline``: also ``out``.zip (the same files)."""
    forbidden = views.forbidden(collection)
    prepared = prepare(collection, workers, books_folder, forbidden, offline, search)
    out = out.resolve()
    files.remove_leftovers(out.parent, f".{out.name}.*-*")  # of builds that were killed, not running ones
    staging = files.staging_dir(out)
    started = time.perf_counter()
    try:
        warnings = engine.build(prepared.build_config, staging)
        _place(prepared.photos, staging)
        if offline:
            offline_links(staging)
        findings = verify.scan_tree(staging, forbidden)
        if findings:
            raise verify.Leak("网站", findings)
        files.set_modes(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    prepared.timings["engine"] = time.perf_counter() - started
    files.replace_dir(staging, out)
    if offline:
        write_zip(out, out.with_name(out.name + ".zip"), forbidden)
    return prepared, warnings


_HREF = re.compile(r'(\shref=")([^"]*)(")')


def _to_file(url: str) -> str:
    """A link to a folder ("../", "cases/x/#a") as a link to its index.html; anything else unchanged."""
    if not mkdocs_config.same_site(url) or url.startswith(("#", "?")):
        return url
    cut = min([i for i in (url.find("#"), url.find("?")) if i >= 0], default=len(url))
    path, rest = url[:cut], url[cut:]
    if path in (".", "..") or path.endswith("/") or path == "":
        path = (path + "/" if path in (".", "..") else path) + "index.html"
        return path + rest
    return url


def offline_links(site: Path) -> None:
    """Every relative link to a folder in the built pages points at its index.html: opened from
    file://, a browser shows a folder listing for a directory URL."""
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        fixed = _HREF.sub(lambda m: m.group(1) + _to_file(m.group(2)) + m.group(3), text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_zip(folder: Path, target: Path, forbidden: views.Forbidden) -> None:
    """``folder`` as a deterministic zip (sorted names under the folder's name, fixed times and
    modes), verified, then moved into place."""
    tmp = files.temp_path(target)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                archive.writestr(info, path.read_bytes(), compresslevel=6)
        findings = verify.scan_files([(tmp, target.name)], forbidden)
        if findings:
            raise verify.Leak("网站压缩包", findings)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _place(photos: dict[str, Path], site: Path) -> None:
    """Photo derivatives into the built site: hard links to the cache (a copy across file systems)."""
    for rel, source in sorted(photos.items()):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
