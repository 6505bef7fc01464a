"""One site build: public model → photos → generated docs tree + config → engine → atomic swap."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from casebook.model import Collection
from casebook.outputs.site import books as books_mod
from casebook.outputs.site import (
    branding,
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
from casebook.publish import verify, views
from casebook.util import files

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
    digests: dict = field(default_factory=dict)  # docs tree path → what it is (DocsTree.digests)
    outcome: str = "full"  # "unchanged" (output left as it was), "incremental" or "full"
    rendered: int = 0  # files the engine wrote in this build


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


def _nav(content: list[pages.ContentPage], model: public_model.SiteModel) -> list:
    nav: list = [{"首页": "index.md"}]
    nav += [{plain(p.title): urls.page_source(p.url)} for p in content if p.name == "preface"]
    nav.append({"案例浏览": [{label: urls.page_source(url)} for label, url in pages.browse_links(model)]})
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
    tree.add(urls.page_source(urls.CATEGORIES), pages.category_index(model, env=env, photos=web))
    tree.add(urls.page_source(urls.YEARS), pages.year_index(model, env=env, photos=web))
    if model.themes:  # a campaign without themes has no 按主题 page
        tree.add(urls.page_source(urls.THEMES), pages.theme_index(model, env=env, photos=web))
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
        nav=_nav(content, model),
        extra={"organiser": model.organiser, "icp": model.icp, **branding.engine_extra(model)},
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
    for path, data in branding.files(model).items():  # site.logo, without its metadata
        tree.add(path, data)
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
    digests = tree.digests()
    return Prepared(complete, for_build, photo_links, cache / "docs", model, processed, changed, timings, digests)


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
    incremental: bool = True,
) -> tuple[Prepared, list[str]]:
    """Build the site into ``out`` atomically: staged, every new or changed file verified, then swapped
    in. A failure at any step leaves the previous site untouched. ``offline``: also ``out``.zip (the
    same files).

    What the site is made from (the generated docs tree, the engine configuration, the theme folder,
    this code, the engine's versions) is recorded beside ``out`` with every file of it (see *Rebuilds*
    in docs/architecture.md): when nothing changed and ``out`` is as it was left, nothing is done
    (``prepared.outcome == "unchanged"``); otherwise the engine re-renders only the pages whose input
    changed, unless the configuration, theme or engine changed (``incremental=False``: always the
    whole site)."""
    forbidden = views.forbidden(collection)
    prepared = prepare(collection, workers, books_folder, forbidden, offline, search)
    out = out.resolve()
    files.remove_leftovers(out.parent, f".{out.name}.*-*")  # of builds that were killed, not running ones
    started = time.perf_counter()
    config_key = _config_key(prepared, collection.root, offline, search)
    site_key = _digest({"config": config_key, "docs": prepared.digests})
    forbidden_key = _digest(sorted(forbidden.values))
    state_path = state_file(out)
    old = _read_json(state_path)
    old_files = old.get("files") if old.get("version") == STATE_VERSION else None
    old_intact = isinstance(old_files, dict) and _intact(out, old_files)
    zip_path = out.with_name(out.name + ".zip")
    if (
        incremental
        and old_intact
        and old.get("key") == site_key
        and old.get("forbidden") == forbidden_key
        and (not offline or _intact_file(zip_path, old.get("zip")))
    ):
        prepared.outcome = "unchanged"
        prepared.timings["engine"] = time.perf_counter() - started
        return prepared, []
    engine_folder, engine_state_path = _engine_paths(collection.root, offline, search)
    files.remove_leftovers(engine_folder.parent, f".{engine_folder.name}.*-*")
    warnings, fresh, prepared.outcome = _engine(
        prepared, engine_folder, engine_state_path, config_key, offline, incremental
    )
    prepared.rendered = len(fresh)
    staging = files.staging_dir(out)
    try:
        _link_tree(engine_folder, staging)
        _place(prepared.photos, staging)
        listing = _listing(staging)
        reference = old_files if old_intact and old.get("forbidden") == forbidden_key else {}

        def same(rel: str, stat: os.stat_result) -> bool:  # the very file that was verified before
            known = reference.get(rel)
            return known is not None and rel not in fresh and known[0] == stat.st_size and known[2] == stat.st_ino

        changed = sorted(rel for rel, stat in listing.items() if not same(rel, stat))
        findings = verify.scan_files([(staging / rel, rel) for rel in changed], forbidden)
        if findings:
            raise verify.Leak("网站", findings)
        files.set_modes(staging)
        digests = {rel: reference[rel][3] if same(rel, stat) else _sha(staging / rel) for rel, stat in listing.items()}
        recorded = {}
        for rel, stat in _listing(staging).items():  # after set_modes: the times a later check compares
            recorded[rel] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digests[rel], stat.st_ctime_ns]
        _write_engine_state(engine_state_path, engine_folder, config_key, prepared)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    prepared.timings["engine"] = time.perf_counter() - started
    state_path.unlink(missing_ok=True)  # a crash from here on leaves no record, so the next build redoes it
    files.replace_dir(staging, out)
    state = {"version": STATE_VERSION, "key": site_key, "forbidden": forbidden_key, "files": recorded}
    if offline:
        write_zip(out, zip_path, forbidden)
        state["zip"] = _file_record(zip_path)
    files.write_text(state_path, json.dumps(state, sort_keys=True))
    return prepared, warnings


# --- rebuilds: what the output was made from, and the engine's own folder ---------------------------

STATE_VERSION = 1
TEMPLATE_OUTPUTS = ("404.html", "sitemap.xml", "sitemap.xml.gz")  # rendered by the engine at every run
_OWN_CODE = ("builder.py", "engine.py", "mkdocs_config.py")  # what turns the engine's output into ours


def state_file(out: Path) -> Path:
    """The record of a built site, beside it (never published with it)."""
    return out.with_name(f".casebook-{out.name}.json")


def _engine_paths(root: Path, offline: bool, search: str) -> tuple[Path, Path]:
    variant = "-offline" if offline else "-lunr" if search == "lunr" else ""
    folder = cache_dir(root) / f"engine{variant}"
    return folder, folder.with_name(folder.name + ".json")


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _listing(folder: Path) -> dict[str, os.stat_result]:
    """Every file below ``folder`` by relative path (posix), with its stat."""
    result = {}
    prefix = len(str(folder)) + 1
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            result[path[prefix:].replace(os.sep, "/")] = os.stat(path)
    return result


def _intact(folder: Path, recorded: dict) -> bool:
    """``folder`` holds exactly the recorded files with the recorded contents (a file whose size
    differs is changed; one whose mtime or inode differs is hashed again)."""
    if not folder.is_dir():
        return False
    listing = _listing(folder)
    if listing.keys() != recorded.keys():
        return False
    for rel, stat in listing.items():
        size, mtime, inode, digest, ctime = recorded[rel]
        if stat.st_size != size:
            return False
        # a write, even one that puts the old mtime back, changes the ctime: then the content decides
        if (stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns) != (mtime, inode, ctime) and _sha(folder / rel) != digest:
            return False
    return True


def _file_record(path: Path) -> list:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, _sha(path), stat.st_ctime_ns]


def _intact_file(path: Path, recorded: object) -> bool:
    if not isinstance(recorded, list) or not path.is_file():
        return False
    stat = path.stat()
    if stat.st_size != recorded[0]:
        return False
    same = (stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns) == (recorded[1], recorded[2], recorded[4])
    return same or _sha(path) == recorded[3]


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for rel, _stat in sorted(_listing(folder).items()):
        digest.update(rel.encode("utf-8") + b"\x00" + _sha(folder / rel).encode() + b"\x00")
    return digest.hexdigest()


def _config_key(prepared: Prepared, root: Path, offline: bool, search: str) -> str:
    """Everything besides the docs tree that the built site depends on: a change means a full build."""
    here = Path(__file__).parent
    return _digest(
        {
            "version": STATE_VERSION,
            "config": _sha(prepared.build_config),
            "theme": _tree_hash(theme_dir(root)),
            "code": [_sha(here / name) for name in _OWN_CODE],
            "engine": engine.versions(),
            "offline": offline,
            "search": search,
        }
    )


def output_path(source: str, directory_urls: bool) -> str:
    """Where the engine writes the docs file ``source`` (mkdocs' rule: x.md → x/index.html or x.html)."""
    if not source.endswith(".md"):
        return source
    parent, _, name = source.rpartition("/")
    stem = name[:-3]
    target = "index.html" if stem in ("index", "README") else f"{stem}/index.html" if directory_urls else f"{stem}.html"
    return f"{parent}/{target}" if parent else target


def _engine(
    prepared: Prepared, folder: Path, state_path: Path, config_key: str, offline: bool, incremental: bool
) -> tuple[list[str], set[str], str]:
    """Bring the engine's folder up to date with the docs tree: only the changed pages when the last
    run used the same configuration and the folder is as that run left it, else the whole site.
    Returns the engine's warnings, the files written (relative paths) and "incremental" or "full"."""
    docs = _engine_docs(prepared)
    state = _read_json(state_path)
    usable = (
        incremental
        and state.get("version") == STATE_VERSION
        and state.get("config") == config_key
        and isinstance(state.get("docs"), dict)
        and folder.is_dir()
        and _same_stats(_listing(folder), state.get("files"))
    )
    state_path.unlink(missing_ok=True)  # from here on the folder is being changed
    if usable:
        result = _engine_dirty(prepared, folder, state["docs"], docs, offline)
        if result is not None:
            warnings, fresh = result
            return warnings, fresh, "incremental"
    temp = files.staging_dir(folder, "engine")
    try:
        warnings = engine.build(prepared.build_config, temp)
        if offline:
            offline_links(temp)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    files.replace_dir(temp, folder)
    return warnings, set(_listing(folder)), "full"


def _same_stats(listing: dict[str, os.stat_result], recorded: object) -> bool:
    if not isinstance(recorded, dict) or listing.keys() != recorded.keys():
        return False
    return all([s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns] == recorded[rel] for rel, s in listing.items())


def _engine_docs(prepared: Prepared) -> dict:
    return {path: digest for path, digest in prepared.digests.items() if not _PHOTO.match(path)}


def _write_engine_state(path: Path, folder: Path, config_key: str, prepared: Prepared) -> None:
    """Written once the engine's files are linked into the staged site and their modes set (which
    changes their ctime): any later write to them, in the cache or through the published site,
    shows as a different ctime and makes the next build a full one."""
    docs = _engine_docs(prepared)
    listing = {rel: [s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns] for rel, s in _listing(folder).items()}
    state = {"version": STATE_VERSION, "config": config_key, "docs": docs, "files": listing}
    files.write_bytes(path, json.dumps(state, sort_keys=True).encode("utf-8"), durable=False)


def _engine_dirty(
    prepared: Prepared, folder: Path, before: dict, docs: dict, offline: bool
) -> tuple[list[str], set[str]] | None:
    """The engine's own dirty mode, driven by us: the outputs of changed, added and removed docs files
    and the templates rendered from the whole site (sitemap, 404) are deleted, every other output is
    made newer than any source, so the engine renders exactly the deleted ones; nothing is written in
    place (the files are hard-linked into the published site). None: do a full build instead."""
    directory_urls = not offline
    redo = {path for path, digest in docs.items() if before.get(path) != digest}
    gone = set(before) - set(docs)
    for path in sorted(redo | gone):
        (folder / output_path(path, directory_urls)).unlink(missing_ok=True)
    for name in TEMPLATE_OUTPUTS:
        (folder / name).unlink(missing_ok=True)
    for dirpath, _dirs, names in os.walk(folder, topdown=False):
        if dirpath != str(folder) and not names and not os.listdir(dirpath):
            os.rmdir(dirpath)
    now = time.time_ns()
    kept = _listing(folder)
    for rel in kept:
        os.utime(folder / rel, ns=(now, now))
    kept = _listing(folder)
    warnings = engine.build(prepared.build_config, folder, dirty=True)
    after = _listing(folder)
    for rel, stat in kept.items():  # rewritten in place or removed: the folder cannot be trusted
        new = after.get(rel)
        if new is None or (new.st_size, new.st_mtime_ns, new.st_ino) != (stat.st_size, stat.st_mtime_ns, stat.st_ino):
            return None
    expected = {output_path(path, directory_urls) for path in docs} | set(TEMPLATE_OUTPUTS)
    if not expected <= after.keys():
        return None
    fresh = set(after) - set(kept)
    if offline:
        offline_links(folder, [folder / rel for rel in fresh if rel.endswith(".html")])
    return warnings, fresh


def _link_tree(source: Path, target: Path) -> None:
    """Every file of ``source`` into ``target`` as a hard link (a copy across file systems)."""
    made: set[str] = set()
    prefix = len(str(source)) + 1
    for dirpath, _dirs, names in os.walk(source):
        rel_dir = dirpath[prefix:]
        out_dir = os.path.join(target, rel_dir) if rel_dir else str(target)
        if names and out_dir not in made:
            os.makedirs(out_dir, exist_ok=True)
            made.add(out_dir)
        for name in names:
            src, dst = os.path.join(dirpath, name), os.path.join(out_dir, name)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


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


def offline_links(site: Path, pages: list[Path] | None = None) -> None:
    """Every relative link to a folder in the built pages points at its index.html: opened from
    file://, a browser shows a folder listing for a directory URL. ``pages``: only these (the ones the
    engine has just written). A page is replaced, never rewritten in place (it may be hard-linked
    into a published site)."""
    for page in sorted(site.rglob("*.html")) if pages is None else sorted(pages):
        text = page.read_text(encoding="utf-8")
        fixed = _HREF.sub(lambda m: m.group(1) + _to_file(m.group(2)) + m.group(3), text)
        if fixed != text:
            stat = page.stat()
            files.write_bytes(page, fixed.encode("utf-8"), mode=stat.st_mode & 0o777, durable=False)


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
