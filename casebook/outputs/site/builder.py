"""One site build: public model → photos → generated docs tree + config → engine → atomic swap."""

from __future__ import annotations

import dataclasses
import filecmp
import functools
import hashlib
import json
import os
import re
import shutil
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from casebook.model import Case, Collection
from casebook.outputs.site import books as books_mod
from casebook.outputs.site import (
    branding,
    case_page,
    docs_tree,
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
from casebook.outputs.site.docs_tree import DocsTree, DuplicateOutput
from casebook.outputs.site.html_parts import WebPhoto
from casebook.outputs.site.photos import PhotoCache
from casebook.outputs.site.render_cache import BlobCache, RenderCache, flat
from casebook.outputs.site.sanitize import Renderer, plain, split_headings, to_markdown
from casebook.outputs.site.search import incremental as search_incremental
from casebook.outputs.site.search import records as search_records
from casebook.publish import verify, views
from casebook.util import codehash, files

THEME_SUBDIR = Path("theme") / "site"
TOOL_THEME = Path(__file__).resolve().parents[3] / THEME_SUBDIR
CONTENT_ORDER = {"preface": 0, "about": 99}
# files of the docs tree the builder places into the site itself (hard links), not the engine: the
# photo derivatives and the search index (thousands of script files, already verified in the tree)
PLACED_PATTERN = "/cases/*/photo-*.jpg\n/search/\n"
_PLACED = re.compile(r"^(?:cases/[^/]+/photo-[^/]+\.jpg|search/.+)$")


@dataclass
class Prepared:
    config: Path  # the complete configuration (serve, or any engine reading mkdocs.yml)
    build_config: Path  # the same, leaving photos and the search index to the builder (hard links)
    placed: dict[str, str]  # site path → file (photo derivative, search file in the docs tree)
    docs: Path
    model: public_model.SiteModel | None  # None: the build found nothing changed and prepared nothing
    photos_processed: int
    changed: int
    timings: dict = field(default_factory=dict)
    digests: dict = field(default_factory=dict)  # docs tree path → what it is (DocsTree.digests)
    outcome: str = "full"  # "unchanged" (output left as it was), "incremental" or "full"
    rendered: int = 0  # files the engine wrote in this build
    cases: int = 0  # published cases
    verified: set = field(default_factory=set)  # placed files whose bytes this build's tree check searched
    ahead: bool = False  # the engine's dirty run was started ahead of the pages (engine.Waiting)


def cache_dir(root: Path) -> Path:
    return root / ".cache" / "site"


def theme_dir(root: Path) -> Path:
    local = root / THEME_SUBDIR
    return local if (local / "main.html").is_file() else TOOL_THEME


def _verify_tree(texts: dict[str, bytes], forbidden: views.Forbidden) -> None:
    """The generated pages are searched before the engine sees them (the preview serves them too)."""
    findings = verify.scan_blobs(texts, forbidden)
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


@dataclass(frozen=True)
class Keys:
    """What the generated files are made from, for the build cache (see *Rebuilds* in
    docs/architecture.md): ``listing`` covers every page that shows cases (all facts, photos, groups,
    books, editorial pages, settings, templates, code, the forbidden values), ``bodies`` every body."""

    listing: str
    bodies: str
    code: str  # code_key: what a body's HTML depends on besides the body


_CASE_SKIP = {"folder", "lines", "contact", "body", "body_line", "headings"}
_CASE_FIELDS = tuple(f.name for f in dataclasses.fields(Case) if f.name not in _CASE_SKIP)
_BODY_IN_TEMPLATE = re.compile(r"\.\s*(?:body|headings|body_line)\b|\[\s*[\"'](?:body|headings)[\"']")


_MODEL_FIELDS = ("title", "organiser", "icp", "category_term", "summary_label", "unit_info_label", "site_url")
_MODEL_FIELDS += ("logo", "colour")


def _case_facts(case: Case) -> list:
    """Everything of a case a listing may show (not its body)."""
    return [getattr(case, name) for name in _CASE_FIELDS]


def _templates_show_bodies(env) -> bool:
    """Whether some template (a collection may override any) reads a case's body or headings: then
    a body edit changes listing pages too."""
    return any(_BODY_IN_TEMPLATE.search(env.loader.get_source(env, name)[0]) for name in env.list_templates())


def _keys(
    root: Path, model: public_model.SiteModel, web: dict, books: dict, content: list, intro: str, env, forbidden
) -> Keys:
    bodies = _texts_digest(part for c in model.cases for part in (c.slug, c.body))
    groups = [(g.kind, g.name, g.slug, g.url, [c.slug for c in g.cases])
              for g in (*model.categories, *model.years, *model.themes, *model.units)]  # fmt: skip
    listing = {
        "code": code_key(root),
        "model": [getattr(model, name) for name in _MODEL_FIELDS],
        "groups": groups,
        "cases": [_case_facts(c) for c in model.cases],
        "photos": sorted((list(k), flat(v)) for k, v in web.items()),
        "books": [(b.year, b.kind, b.name, b.site_path, b.size) for b in _all_books(books)],
        "content": [(p.name, p.title, p.url, p.markdown) for p in content] + [intro],
        "forbidden": sorted(forbidden.values.items()),
        "bodies": bodies if _templates_show_bodies(env) else "",
    }
    return Keys(_digest(listing), bodies, listing["code"])


def _texts_digest(texts) -> str:
    """A hash of a sequence of texts (each after its length): as _digest of the list, without encoding
    megabytes of bodies as JSON first."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _all_books(books: dict) -> list:
    return [book for year in sorted(books) for book in books[year]]


def _add_cached(tree: DocsTree, blobs: BlobCache, path: str, key: str, make) -> None:
    # kept as UTF-8: the cache's thousands of pages are read back as bytes, nothing decoded or encoded
    value, hit = blobs.get(key, lambda: _utf8(make()))
    tree.add(path, value, verified=hit)


def _utf8(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _pages(
    tree: DocsTree,
    model: public_model.SiteModel,
    collection: Collection,
    cache: Path,
    web: dict,
    books: dict,
    site: tuple,
    blobs: BlobCache,
    keys: Keys,
) -> None:
    """Every page of the site into the tree, each from the build cache when what it is made from is
    unchanged (a case page: its body and the listing key; any other page: the listing key)."""
    env, intro, content = site
    renderer = Renderer()
    render_cache = RenderCache(cache / "rendered.json")

    def listed(path: str, make) -> None:
        _add_cached(tree, blobs, path, blobs.key("page", keys.listing, path), make)

    listed("index.md", lambda: pages.home(model, intro, web, books, env=env))
    for case in model.cases:
        key = blobs.key("case", keys.listing, case.slug, case.body)
        make = functools.partial(case_page.render, model, case, renderer, web, books, render_cache, env=env)
        _add_cached(tree, blobs, urls.page_source(urls.case_url(case.slug)), key, make)
    render_cache.save()
    listed(urls.page_source(urls.CATEGORIES), lambda: pages.category_index(model, env=env, photos=web))
    listed(urls.page_source(urls.YEARS), lambda: pages.year_index(model, env=env, photos=web))
    if model.themes:  # a campaign without themes has no 按主题 page
        listed(urls.page_source(urls.THEMES), lambda: pages.theme_index(model, env=env, photos=web))
    listed(urls.page_source(urls.UNITS), lambda: pages.unit_index(model, env=env))
    for group in (*model.categories, *model.years, *model.themes, *model.units):
        listed(urls.page_source(group.url), functools.partial(pages.group_page, model, group, env=env, photos=web))
    listed(urls.page_source(urls.ALL), lambda: pages.all_cases(model, env=env))
    listed(urls.page_source(urls.DOWNLOADS), lambda: pages.downloads(model, books, env=env))
    listed("downloads/cases.csv", lambda: exports.to_csv(model))
    listed("downloads/cases.json", lambda: exports.to_json(model))
    for page in content:
        listed(urls.page_source(page.url), functools.partial(pages.content_page, page, env=env))


def _search(
    tree: DocsTree,
    model: public_model.SiteModel,
    blobs: BlobCache,
    keys: Keys,
    offline: bool,
    forbidden: views.Forbidden,
) -> None:
    """The search index, spliced from the previous build's postings where few cases changed
    (search/incremental.py). A file counts as verified when an earlier build searched the very same
    bytes under the same name with the same forbidden values (a marker in the build cache, which is
    saved only after this build's check passed)."""
    renderer = search_records.CachedRenderer(blobs, keys.code)
    state = blobs.path.parent / f"search-state{'-offline' if offline else ''}.bin"
    made, _ = search_incremental.files(model, renderer, blobs, keys.code, state, html_links=offline)
    seen = blobs.key("search-forbidden", repr(sorted(forbidden.values.items())))
    for path, data in made.items():
        name = path[len(site_search.INDEX_DIR) + 1 :]
        _, hit = blobs.get(blobs.key("search-file", seen, name, hashlib.sha256(data).hexdigest()), str)
        tree.add(path, data, verified=hit)


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
    variant = _variant(offline, search)
    complete, for_build = cache / f"mkdocs{variant}.yml", cache / f"mkdocs{variant}-build.yml"
    files.write_if_changed(complete, mkdocs_config.dump(config).encode("utf-8"))
    build_only = {"exclude_docs": PLACED_PATTERN, "hooks": [str(engine.HOOKS)]}
    files.write_if_changed(for_build, mkdocs_config.dump({**config, **build_only}).encode("utf-8"))
    return complete, for_build


def prepare(
    collection: Collection,
    workers: int | None = None,
    books_folder: Path | None = None,
    forbidden: views.Forbidden | None = None,
    offline: bool = False,
    search: str = "casebook",
    books: dict | None = None,
) -> Prepared:
    """Write the generated docs tree and engine config under the collection's cache folder.
    ``offline``: the variant opened from file:// (links to index.html); ``search="lunr"``: Material's
    former search instead of the site's own (benchmark only); ``books``: books_mod.find's answer."""
    prepared, index = prepare_pages(collection, workers, books_folder, forbidden, offline, search, books)
    index.make()
    index.write(prepared)
    return prepared


@dataclass
class SearchIndex:
    """The second half of ``prepare``: the search files, made while the engine renders the pages
    (they are no input of the engine: the builder places them into the site itself), written into
    the docs tree once the engine is done with it."""

    model: public_model.SiteModel
    blobs: BlobCache
    keys: Keys
    forbidden: views.Forbidden
    offline: bool
    search: str
    tree: DocsTree = field(default_factory=DocsTree)
    seconds: float = 0.0

    def make(self) -> None:
        started = time.perf_counter()
        if self.search != "lunr":
            _search(self.tree, self.model, self.blobs, self.keys, self.offline, self.forbidden)
        # what came from the cache was searched when it was made, with the same forbidden values (they
        # are in every key); cache entries are saved only after the trees holding them passed this check
        _verify_tree(self.tree.unverified(), self.forbidden)
        self.blobs.save()
        self.seconds = time.perf_counter() - started

    def write(self, prepared: Prepared) -> None:
        started = time.perf_counter()
        prepared.changed += self.tree.sync(prepared.docs, keep=lambda rel: not _is_search(rel))
        docs = str(prepared.docs)  # str paths: thousands of files, pathlib's joins cost a fifth of a second
        prepared.placed.update({path: os.path.join(docs, path) for path in self.tree.texts})
        prepared.verified |= self.tree.written  # the bytes make() searched
        prepared.digests.update(self.tree.digests())
        prepared.timings["search"] = self.seconds + time.perf_counter() - started


def _is_search(rel: str) -> bool:
    return rel.startswith(site_search.INDEX_DIR + "/")


def prepare_pages(
    collection: Collection,
    workers: int | None = None,
    books_folder: Path | None = None,
    forbidden: views.Forbidden | None = None,
    offline: bool = False,
    search: str = "casebook",
    books: dict | None = None,
) -> tuple[Prepared, SearchIndex]:
    """Every page, photo and book into the docs tree and the engine config; returns what remains to
    be done (the search index: ``SearchIndex.run``)."""
    root, cache = collection.root, cache_dir(collection.root)
    forbidden = forbidden if forbidden is not None else views.forbidden(collection)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    model = public_model.make(collection)
    tree = DocsTree()
    web, processed = _photos(model, cache, tree, workers)
    timings["photos"] = time.perf_counter() - started
    books = books if books is not None else books_mod.find(collection, books_folder)
    for found in books.values():
        for book in found:
            tree.link(book.site_path, book.source)
    for path, data in branding.files(model).items():  # site.logo, without its metadata
        tree.add(path, data)
    env = templates.environment(root)  # the collection's templates first, then the tool's
    intro, content = _content_pages(collection, Renderer())
    keys = _keys(root, model, web, books, content, intro, env, forbidden)
    blobs = BlobCache(cache / f"generated{_variant(offline, search)}.bin")
    _pages(tree, model, collection, cache, web, books, (env, intro, content), blobs, keys)
    clash = sorted(path for path in tree.paths() if _is_search(path))
    if clash:  # the search index's folder is the builder's (placed, not rendered by the engine)
        raise DuplicateOutput(f"网站中的 {clash[0]} 位于站内搜索专用的 search/ 文件夹：请给该页面换一个文件名")
    timings["pages"] = _lap(started, timings)
    _verify_tree(tree.unverified(), forbidden)  # the cache is saved by SearchIndex.run, after its own check
    timings["verify"] = _lap(started, timings)
    changed = tree.sync(cache / "docs", keep=_is_search)
    complete, for_build = _configs(root, cache, model, content, offline, search)
    timings["write"] = _lap(started, timings)
    placed = {path: str(source) for path, source in tree.links.items() if _PLACED.match(path)}
    prepared = Prepared(
        complete, for_build, placed, cache / "docs", model, processed, changed, timings, tree.digests(),
        cases=len(model.cases),
    )  # fmt: skip
    return prepared, SearchIndex(model, blobs, keys, forbidden, offline, search)


def _lap(started: float, timings: dict) -> float:
    """Seconds since ``started`` not yet accounted for in ``timings``."""
    return time.perf_counter() - started - sum(timings.values())


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
    ahead: engine.Waiting | None = None,
) -> tuple[Prepared, list[str]]:
    """Build the site into ``out`` atomically: staged, every new or changed file verified, then swapped
    in. A failure at any step leaves the previous site untouched. ``offline``: also ``out``.zip (the
    same files).

    What the site is made from (the generated docs tree, the engine configuration, the theme folder,
    this code, the engine's versions) is recorded beside ``out`` with every file of it (see *Rebuilds*
    in docs/architecture.md): when nothing changed and ``out`` is as it was left, nothing is done
    (``prepared.outcome == "unchanged"``); otherwise the engine re-renders only the pages whose input
    changed, unless the configuration, theme or engine changed (``incremental=False``: always the
    whole site). ``ahead``: an engine started earlier by ``start_engine`` (the preview's, started
    after its last build), used or cancelled."""
    begun = time.perf_counter()
    forbidden = views.forbidden(collection)
    forbidden_key = _digest(sorted(forbidden.values))
    out = out.resolve()
    files.remove_leftovers(out.parent, f".{out.name}.*-*")  # of builds that were killed, not running ones
    state_path, zip_path = state_file(out), out.with_name(out.name + ".zip")
    old = _read_json(state_path)
    old_files = old.get("files") if old.get("version") == STATE_VERSION else None
    verified = old.get("forbidden") == forbidden_key and isinstance(old_files, dict)  # against the same values
    current = incremental and verified and (not offline or _intact_file(zip_path, old.get("zip")))
    books = books_mod.find(collection, books_folder)
    inputs_key = input_key(collection, books, offline, search)
    if current and old.get("inputs") == inputs_key and _intact(out, old_files):
        if ahead is not None:
            ahead.cancel()
        unchanged = _unchanged(collection, offline, search)  # decided before anything is prepared
        unchanged.timings["check"] = time.perf_counter() - begun
        return unchanged, []
    engine_folder, engine_state_path = _engine_paths(collection.root, offline, search)
    early = ahead or (start_engine(collection.root, offline, search) if incremental else None)
    # before the docs tree is synced (its links move the ctime of files shared with ``out``, which
    # would have them hashed again) and before the engine touches the files' times
    intact = verified and _intact(out, old_files)
    try:
        prepared, index = prepare_pages(collection, workers, books_folder, forbidden, offline, search, books)
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    started = time.perf_counter()
    config_key = _config_key(prepared, collection.root, offline, search)
    old_intact = current and intact
    files.remove_leftovers(engine_folder.parent, f".{engine_folder.name}.*-*")
    released = threading.Event()  # the engine's own process renders now (or it ended)
    rendering = _Background(
        functools.partial(
            _engine, prepared, engine_folder, engine_state_path, config_key, (offline, incremental), early, released
        )
    )
    released.wait()  # its preparation first: both are Python work, which would only take turns
    try:
        index.make()  # meanwhile: the search index is no input of the engine
    except BaseException:
        rendering.result()
        _write_engine_state(engine_state_path, engine_folder, config_key, prepared)  # the engine's part is done
        raise
    warnings, fresh, prepared.outcome, engine_files = rendering.result()
    prepared.ahead = early is not None and early.went
    index.write(prepared)
    prepared.rendered = len(fresh)
    prepared.timings["engine"] = time.perf_counter() - started
    site_key = _digest({"config": config_key, "docs": prepared.digests})
    if old_intact and old.get("key") == site_key:  # other inputs, the same site (a contact's address)
        prepared.outcome = "unchanged"
        _write_engine_state(engine_state_path, engine_folder, config_key, prepared)
        _write_state(state_path, {**old, "inputs": inputs_key})
        return prepared, []
    reference = old_files if intact else {}  # a full build too trusts files verified before (photos)
    staging, recorded = _stage(prepared, out, (engine_folder, engine_files), fresh, reference, forbidden)
    docs_tree.note_links(prepared.docs, list(prepared.placed))  # the stage's links moved their ctime
    linked = _engine_records(engine_folder, engine_files, recorded, prepared.placed)
    _write_engine_state(engine_state_path, engine_folder, config_key, prepared, linked)
    state_path.unlink(missing_ok=True)  # a crash from here on leaves no record, so the next build redoes it
    _swap(staging, out)
    if prepared.outcome == "full" and spare_dir(out).is_dir():
        recorded = _refresh_spare(out, recorded)
        docs_tree.note_links(prepared.docs, list(prepared.placed))
        linked = _engine_records(engine_folder, engine_files, recorded, prepared.placed)
        _write_engine_state(engine_state_path, engine_folder, config_key, prepared, linked)
    state = {"version": STATE_VERSION, "key": site_key, "inputs": inputs_key, "forbidden": forbidden_key}
    state["files"] = recorded
    if offline:
        write_zip(out, zip_path, forbidden)
        state["zip"] = _file_record(zip_path)
    _write_state(state_path, state)
    prepared.timings["stage"] = time.perf_counter() - started - prepared.timings["engine"]
    return prepared, warnings


class _Background:
    """A call run in a thread while this one works on (the engine: the thread mostly waits for its
    child process); ``result`` waits for it and raises what it raised."""

    def __init__(self, call) -> None:
        self._call, self._value, self._error = call, None, None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._call()
        except BaseException as error:  # handed to the caller of result()
            self._error = error

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _write_state(path: Path, state: dict) -> None:
    files.write_text(path, json.dumps(state, sort_keys=True))


def _unchanged(collection: Collection, offline: bool, search: str) -> Prepared:
    cache, variant = cache_dir(collection.root), _variant(offline, search)
    count = len(views.public(collection).cases)
    config, build_config = cache / f"mkdocs{variant}.yml", cache / f"mkdocs{variant}-build.yml"
    return Prepared(config, build_config, {}, cache / "docs", None, 0, 0, outcome="unchanged", cases=count)


def _stage(
    prepared: Prepared,
    out: Path,
    engine: tuple[Path, dict[str, os.stat_result]],
    fresh: set[str],
    reference: dict,
    forbidden: views.Forbidden,
) -> tuple[Path, dict]:
    """The new site in a staging folder beside ``out`` (the engine's files and ours, hard-linked), its
    new and changed files verified; returns the folder and the record of its files. The staging
    folder is the spare (the site before the current one) brought up to date when there is one.
    ``engine``: the engine's folder and its files as the engine left them (path → stat)."""
    spare = spare_dir(out)
    staging = spare if spare.is_dir() else files.staging_dir(out)
    folder, engine_files = engine
    try:
        engine_dir = str(folder)
        wanted = {rel: os.path.join(engine_dir, rel) for rel in engine_files}
        sources = {path: engine_files[rel] for rel, path in wanted.items()}
        wanted.update(prepared.placed)
        listing, made = _mirror(staging, wanted, sources)

        def same(rel: str, stat: os.stat_result) -> bool:  # the very file that was verified before
            known = reference.get(rel)
            return known is not None and rel not in fresh and known[0] == stat.st_size and known[2] == stat.st_ino

        # a placed file that this build wrote into the docs tree holds the bytes its tree check searched
        changed = sorted(rel for rel, st in listing.items() if not same(rel, st) and rel not in prepared.verified)
        findings = verify.scan_files([(staging / rel, rel) for rel in changed], forbidden)
        if findings:
            raise verify.Leak("网站", findings)
        changed_inodes = _set_modes(staging, listing, made)
        known = {(r[2], r[0], r[1]): r[3] for r in reference.values()}  # the same file under another name

        def digest(rel: str, stat: os.stat_result) -> str:
            if same(rel, stat):
                return reference[rel][3]
            return known.get((stat.st_ino, stat.st_size, stat.st_mtime_ns)) or _sha(staging / rel)

        digests = {rel: digest(rel, stat) for rel, stat in listing.items()}
        recorded = {}
        for rel, stat in listing.items():  # after set_modes: the times a later check compares
            if stat.st_ino in changed_inodes:
                stat = os.stat(staging / rel)
            recorded[rel] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digests[rel], stat.st_ctime_ns]
    except BaseException:
        if staging != spare:  # the spare stays: the next build brings it up to date whatever it holds
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, recorded


def _set_modes(folder: Path, listing: dict[str, os.stat_result], made: set[str]) -> set[int]:
    """files.set_modes, but only where a mode differs: most files are hard links shared with the
    engine's folder, the photo cache and the docs tree (and so with the other outputs made from
    them), and a chmod changes their ctime, which makes every later check of those hash them again.
    Of the folders, only those just ``made`` (the others were set when their site was staged).
    Returns the inodes whose mode was changed (every name of one has a new ctime)."""
    os.chmod(folder, files.DIR_MODE)
    for rel in made:
        os.chmod(os.path.join(folder, rel), files.DIR_MODE)
    changed = set()
    for rel, stat in listing.items():
        if stat.st_mode & 0o7777 != files.FILE_MODE and stat.st_ino not in changed:
            os.chmod(folder / rel, files.FILE_MODE)
            changed.add(stat.st_ino)
    return changed


def spare_dir(out: Path) -> Path:
    """The site before the current one, kept hidden beside it: the next build brings it up to date
    link by link and swaps it in, instead of linking every file into a fresh folder and deleting the
    old one (removing thousands of folders takes seconds on some file systems). Never published."""
    return out.with_name(f".casebook-{out.name}.spare")


def _refresh_spare(out: Path, recorded: dict) -> dict:
    """After a full render every file is new: the spare (the site before) is brought up to date now,
    link by link, so that the next build, an edit, relinks a few files instead of all of them. The
    links move the ctime of every file of ``out``: returns its record stated again (same contents)."""
    _mirror(spare_dir(out), {rel: os.path.join(out, rel) for rel in recorded})
    fresh = {}
    for rel, record in recorded.items():
        stat = os.stat(out / rel)
        same = (stat.st_size, stat.st_mtime_ns, stat.st_ino) == tuple(record[:3])
        fresh[rel] = [
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ino,
            record[3] if same else _sha(out / rel),
            stat.st_ctime_ns,
        ]
    return fresh


def _swap(staging: Path, out: Path) -> None:
    """``staging`` in the place of ``out``; the previous site becomes the spare. Every step is a
    rename; a crash between them leaves a leftover (removed by the next build) or no ``out``, and in
    both cases no record, so the next build starts afresh."""
    spare = spare_dir(out)
    moving = files.staging_dir(out, "swap") / "site"
    os.replace(staging, moving)
    if spare.exists():  # staging was a fresh folder (no spare, or it was not usable)
        shutil.rmtree(spare)
    if out.exists():
        os.replace(out, spare)
    os.replace(moving, out)
    moving.parent.rmdir()


def _mirror(
    target: Path, wanted: dict[str, str], sources: dict[str, os.stat_result] | None = None
) -> tuple[dict[str, os.stat_result], set[str]]:
    """Make ``target`` hold exactly ``wanted`` (relative path → source file), each as a hard link to
    its source (a copy across file systems): a file already linked to its source stays, any other
    is replaced or removed, and folders left empty are removed. Returns the listing of ``target``
    afterwards (a file whose inode gained or lost a name is stated again: its ctime moved) and the
    folders made. ``sources``: stats of source files already taken (the engine's, just listed)."""
    sources = sources or {}
    have = _listing(target)
    touched: set[int] = set()  # inodes whose link count changed
    gone = sorted(set(have) - set(wanted))
    for rel in gone:
        os.unlink(os.path.join(target, rel))
        touched.add(have[rel].st_ino)
    made: set[str] = set()
    linked: set[str] = set()
    for rel, source in sorted(wanted.items()):
        found, src = have.get(rel), sources.get(source) or os.stat(source)
        if found is not None and (found.st_ino, found.st_dev) == (src.st_ino, src.st_dev):
            continue
        dst = os.path.join(target, rel)
        if found is not None:
            os.unlink(dst)
            touched.add(found.st_ino)
        else:
            made.update(_make_parents(target, os.path.dirname(rel)))
        try:
            os.link(source, dst)
        except OSError:
            shutil.copy2(source, dst)
        touched.add(src.st_ino)
        linked.add(rel)
    _remove_emptied(target, gone)
    listing = {}
    for rel in wanted:
        stat = have.get(rel)
        listing[rel] = (
            os.stat(os.path.join(target, rel)) if rel in linked or stat is None or stat.st_ino in touched else stat
        )
    return listing, made


def _make_parents(target: Path, rel_dir: str) -> list[str]:
    """The folders of ``rel_dir`` below ``target`` that did not exist, made (outermost first)."""
    missing = []
    while rel_dir and not os.path.isdir(os.path.join(target, rel_dir)):
        missing.append(rel_dir)
        rel_dir = os.path.dirname(rel_dir)
    for rel in reversed(missing):
        os.mkdir(os.path.join(target, rel))
    return missing


def _remove_emptied(target: Path, removed: list[str]) -> None:
    """The folders that removing ``removed`` left empty, removed upwards (never ``target`` itself)."""
    seen: set[str] = set()
    for rel in removed:
        folder = os.path.dirname(rel)
        while folder and folder not in seen:
            seen.add(folder)
            path = os.path.join(target, folder)
            try:
                os.rmdir(path)  # only an empty folder
            except OSError:
                break
            folder = os.path.dirname(folder)


def _remove_empty_dirs(folder: Path) -> None:
    for dirpath, _dirs, names in os.walk(folder, topdown=False):
        if dirpath != str(folder) and not names and not os.listdir(dirpath):
            os.rmdir(dirpath)


# --- rebuilds: what the output was made from, and the engine's own folder ---------------------------

STATE_VERSION = 2  # 2: the search index placed by the builder, the inputs key
TEMPLATE_OUTPUTS = ("404.html", "sitemap.xml", "sitemap.xml.gz")  # rendered by the engine at every run
_OWN_CODE = (
    "builder.py",
    "engine.py",
    "engine_hooks.py",
    "mkdocs_config.py",
)  # what turns the engine's output into ours


def state_file(out: Path) -> Path:
    """The record of a built site, beside it (never published with it)."""
    return out.with_name(f".casebook-{out.name}.json")


def _variant(offline: bool, search: str) -> str:
    return "-offline" if offline else "-lunr" if search == "lunr" else ""


def _engine_paths(root: Path, offline: bool, search: str) -> tuple[Path, Path]:
    variant = _variant(offline, search)
    folder = cache_dir(root) / f"engine{variant}"
    return folder, folder.with_name(folder.name + ".json")


def _digest(data: object) -> str:
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


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
    """Every file below ``folder`` by relative path (posix), with its stat (a linked file's target's).
    Called several times a build on thousands of files: scandir, no os.walk."""
    result: dict[str, os.stat_result] = {}
    pending = [("", str(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # as os.walk: a linked folder is not entered
                pending.append((f"{prefix}{entry.name}/", entry.path))
            elif not entry.is_dir():
                result[prefix + entry.name] = os.stat(entry.path)
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


# what the generated files depend on besides the collection and the engine (photo derivatives,
# sanitising, Markdown, QR codes, pinyin order)
_LIBRARIES = ("Pillow", "simplejpeg", "nh3", "segno", "pypinyin", "jieba")


@functools.cache
def _versions() -> dict[str, str]:
    """Read once per process (a preview that runs while packages are upgraded keeps the old ones)."""
    return engine.versions(*_LIBRARIES)


def code_key(root: Path) -> str:
    """The tool's side of every generated file: its code, the libraries it renders with, its theme
    and templates, and the collection's own (theme/site/, templates in theme/site/casebook/)."""
    local = root / THEME_SUBDIR
    parts = {"code": codehash.package_hash(), "versions": _versions(), "theme": _tree_hash(TOOL_THEME)}
    parts["own"] = _tree_hash(local) if local.is_dir() else None
    return _digest(parts)


def _stat_of(path: Path | None) -> list | None:
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return None
    return [str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino] if stat else None


def input_key(collection: Collection, books: dict, offline: bool, search: str) -> str:
    """A cheap fingerprint of everything the site is made from, read before anything is prepared: the
    public view (views.fingerprint per year: cases, photos, settings), the editorial pages, the campaign
    profile, mkdocs.yml, the logo, the books offered, the tool (code_key) and the variant. Equal keys
    and an intact output: nothing to do."""
    root, public = collection.root, views.public(collection)
    extra = {
        "version": STATE_VERSION,
        "pages": [(p.name, p.rel, p.title, p.body) for p in collection.pages],
        "settings": dataclasses.asdict(collection.settings),
        "profile": dataclasses.asdict(collection.profile),
        "mkdocs": _sha(root / "mkdocs.yml") if (root / "mkdocs.yml").is_file() else None,
        "logo": _stat_of(public_model.logo_path(root, collection.settings.site.logo)),
        "books": [(b.year, b.kind, b.name, b.site_path, _stat_of(b.source)) for b in _all_books(books)],
        "code": code_key(root),
        "variant": [offline, search, os.environ.get("SOURCE_DATE_EPOCH")],
    }
    years = sorted({case.year for case in public.cases})
    return _digest({"years": [views.fingerprint(public, year) for year in years], "extra": extra})


def output_path(source: str, directory_urls: bool) -> str:
    """Where the engine writes the docs file ``source`` (mkdocs' rule: x.md → x/index.html or x.html)."""
    if not source.endswith(".md"):
        return source
    parent, _, name = source.rpartition("/")
    stem = name[:-3]
    target = "index.html" if stem in ("index", "README") else f"{stem}/index.html" if directory_urls else f"{stem}.html"
    return f"{parent}/{target}" if parent else target


def start_engine(root: Path, offline: bool = False, search: str = "casebook") -> engine.Waiting | None:
    """The engine's dirty run started now, waiting for the docs tree, when the last build left a
    folder to bring up to date; the next ``build`` tells it to go or cancels it (_run_engine)."""
    folder, state = _engine_paths(root, offline, search)
    config = cache_dir(root) / f"mkdocs{_variant(offline, search)}-build.yml"
    basis = _stat_of(state)
    if not (folder.is_dir() and config.is_file() and basis is not None):
        return None
    return engine.Waiting(config, folder, basis)


def _engine(
    prepared: Prepared,
    folder: Path,
    state_path: Path,
    config_key: str,
    mode: tuple[bool, bool],
    early: engine.Waiting | None = None,
    released: threading.Event | None = None,
) -> tuple[list[str], set[str], str, dict[str, os.stat_result]]:
    """Bring the engine's folder up to date with the docs tree: only the changed pages when the last
    run used the same configuration and the folder is as that run left it, else the whole site.
    ``mode``: (offline, incremental); ``early``: the engine started ahead (start_engine), told to go
    only for a dirty run over the same set of files with the same configuration, else cancelled.
    Returns the engine's warnings, the files written (relative paths), "incremental" or "full", and
    every file of the folder as the engine left it (path → stat). ``released``: set once the
    engine's own process renders (this thread then only waits for it), or when this call ends."""
    released = released or threading.Event()
    try:
        return _run_engine(prepared, folder, state_path, config_key, mode, early, released)
    finally:
        released.set()
        if early is not None:
            early.cancel()


def _run_engine(
    prepared: Prepared,
    folder: Path,
    state_path: Path,
    config_key: str,
    mode: tuple[bool, bool],
    early: engine.Waiting | None,
    released: threading.Event,
) -> tuple[list[str], set[str], str, dict[str, os.stat_result]]:
    offline, incremental = mode
    docs = _engine_docs(prepared)
    basis = _stat_of(state_path)  # the record the engine started ahead saw (another build since: not it)
    state = _read_json(state_path)
    usable = (
        incremental
        and state.get("version") == STATE_VERSION
        and state.get("config") == config_key
        and isinstance(state.get("docs"), dict)
        and folder.is_dir()
    )
    listing = _listing(folder) if usable else {}
    usable = usable and _same_stats(listing, state.get("files"))
    if usable and state["docs"] == docs:  # no page changed (only photos or the search index)
        return [], set(), "incremental", listing
    state_path.unlink(missing_ok=True)  # from here on the folder is being changed
    if usable:
        same_files = early is not None and early.basis == basis and state["docs"].keys() == docs.keys()
        dirty = _Dirty(folder, listing, state["docs"], docs, offline)
        result = _engine_dirty(prepared, dirty, early if same_files else None, released)
        if result is not None:
            warnings, fresh, after = result
            return warnings, fresh, "incremental", after
    temp = files.staging_dir(folder, "engine")
    released.set()
    try:
        warnings = engine.build(prepared.build_config, temp)
        if offline:
            offline_links(temp)
        _keep_inodes(temp, folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    files.replace_dir(temp, folder)
    listing = _listing(folder)
    return warnings, set(listing), "full", listing


def _keep_inodes(new: Path, old: Path) -> None:
    """Each file of a full render that has the bytes of the last render's file at the same path becomes
    a link to that file: the published site, its spare and the stage keep sharing those inodes, so
    after a full render (a new tool version, most pages the same) the stage and the next build relink
    only the files that changed."""
    if not old.is_dir():
        return
    for rel, stat in _listing(new).items():
        before = os.path.join(old, rel)
        try:
            same = os.stat(before).st_size == stat.st_size and filecmp.cmp(before, new / rel, shallow=False)
        except OSError:
            continue
        if same:
            docs_tree.hard_link(before, new / rel, exists=True)


def _same_stats(listing: dict[str, os.stat_result], recorded: object) -> bool:
    if not isinstance(recorded, dict) or listing.keys() != recorded.keys():
        return False
    return all([s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns] == recorded[rel] for rel, s in listing.items())


def _engine_docs(prepared: Prepared) -> dict:
    return {path: digest for path, digest in prepared.digests.items() if not _PLACED.match(path)}


def _write_engine_state(
    path: Path, folder: Path, config_key: str, prepared: Prepared, listing: dict[str, list] | None = None
) -> None:
    """Written once the engine's files are linked into the staged site and their modes set (which
    changes their ctime): any later write to them, in the cache or through the published site,
    shows as a different ctime and makes the next build a full one. ``listing``: the folder's files
    as [size, mtime, inode, ctime] when already known (else listed)."""
    docs = _engine_docs(prepared)
    if listing is None:
        listing = {rel: [s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns] for rel, s in _listing(folder).items()}
    state = {"version": STATE_VERSION, "config": config_key, "docs": docs, "files": listing}
    files.write_bytes(path, json.dumps(state, sort_keys=True).encode("utf-8"), durable=False)


def _engine_records(
    folder: Path, engine_files: dict[str, os.stat_result], recorded: dict, placed: dict
) -> dict[str, list]:
    """The engine's files as [size, mtime, inode, ctime] after the stage, from the staged site's record
    (its files are links to the very inodes: the stage's links and modes are what moved their ctime);
    a file the staged site does not share (a placed file in its place, a copy) is stated."""
    result = {}
    for rel, stat in engine_files.items():
        record = recorded.get(rel)
        if rel not in placed and record is not None and record[2] == stat.st_ino:
            result[rel] = [record[0], record[1], record[2], record[4]]
        else:
            found = os.stat(folder / rel)
            result[rel] = [found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns]
    return result


@dataclass
class _Dirty:
    """What a dirty run starts from: the engine's folder as the last run left it (``listing``), the
    docs digests of that run (``before``) and of this one (``docs``)."""

    folder: Path
    listing: dict[str, os.stat_result]
    before: dict
    docs: dict
    offline: bool


def _engine_dirty(
    prepared: Prepared, dirty: _Dirty, early: engine.Waiting | None = None, released: threading.Event | None = None
) -> tuple[list[str], set[str], dict[str, os.stat_result]] | None:
    """The engine's own dirty mode, driven by us: the outputs of changed, added and removed docs files
    and the templates rendered from the whole site (sitemap, 404) are deleted, every other output is
    made newer than any source, so the engine renders exactly the deleted ones; nothing is written in
    place (the files are hard-linked into the published site). None: do a full build instead."""
    folder, before, docs, directory_urls = dirty.folder, dirty.before, dirty.docs, not dirty.offline
    redo = {path for path, digest in docs.items() if before.get(path) != digest}
    gone = set(before) - set(docs)
    removed = {output_path(path, directory_urls) for path in redo | gone} | set(TEMPLATE_OUTPUTS)
    for rel in sorted(removed):
        (folder / rel).unlink(missing_ok=True)
    if gone:
        _remove_empty_dirs(folder)
    kept = {rel: stat for rel, stat in dirty.listing.items() if rel not in removed}
    now = time.time_ns()
    for rel in kept:
        os.utime(folder / rel, ns=(now, now))
    stored = os.stat(folder / next(iter(kept))).st_mtime_ns if kept else now  # the file system's precision
    if early is not None:
        early.release()
    if released is not None:
        released.set()
    warnings = early.go() if early is not None else engine.build(prepared.build_config, folder, dirty=True)
    after = _listing(folder)
    for rel, stat in kept.items():  # rewritten in place or removed: the folder cannot be trusted
        new = after.get(rel)
        if new is None or (new.st_size, new.st_mtime_ns, new.st_ino) != (stat.st_size, stored, stat.st_ino):
            return None
    expected = {output_path(path, directory_urls) for path in docs} | set(TEMPLATE_OUTPUTS)
    if not expected <= after.keys():
        return None
    fresh = set(after) - set(kept)
    if dirty.offline:
        offline_links(folder, [folder / rel for rel in fresh if rel.endswith(".html")])
        after.update({rel: os.stat(folder / rel) for rel in fresh})  # offline_links replaced some
    return warnings, fresh, after


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
