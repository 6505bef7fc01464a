"""Load a collection: every case folder under cases/<year>/, checked as it is read."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from casebook import document
from casebook.config import title_marks
from casebook.config.options import Problem, yes_no
from casebook.diagnostics import Report, did_you_mean
from casebook.inputs import captions, content, headings, loadcache, photocheck, privacy, wordcount
from casebook.inputs.fields import CONTACT_KEYS, FIELDS, PHOTO_KEYS, STATUSES, UNIT_INFO_KEYS, type_name
from casebook.inputs.frontmatter import FrontMatter, split
from casebook.inputs.profiles import Limits, Profile
from casebook.inputs.settings import load as load_settings
from casebook.inputs.slugs import SLUG, from_name
from casebook.model import Case, Collection, Contact, FolderState, Photo
from casebook.util import pinyin
from casebook.util.textio import decode_reported

TITLE_MAX = 100  # characters of a case title (E114)
CAPTION_MAX = 150  # characters of a composed photo caption (E214)


def case_folders(root: Path) -> list[Path]:
    """cases/<year>/<case>/ folders, sorted; hidden and _-prefixed names are skipped."""
    base = root / "cases"
    found = []
    for year_dir in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        found.extend(sorted(p for p in year_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))))
    return found


def load(root: Path) -> tuple[Collection | None, Report]:
    """The collection and every diagnostic; None when settings are unusable."""
    from casebook.inputs.validate import check_collection

    report = Report()
    root = root.resolve()
    loaded = load_settings(root, report)
    if loaded is None:
        return None, report
    settings, profile = loaded
    pages = content.load(root, report)
    content.check_reference(root, report)
    content.check_site_config(root, report)
    if not (root / "cases").is_dir():
        report.add("cases", None, "E405", detail=f"在 {root} 下找不到 cases 文件夹")
        return Collection(root, settings, profile, (), {}, pages), report
    cases, states, marks = [], {}, {}
    folders = case_folders(root)
    report.checked = len(folders)
    results, cache_key = _cached_or_loaded(root, folders, profile)
    for rel_folder, loaded in results:
        if loaded.case is not None:
            cases.append(loaded.case)
            if loaded.digest is not None:
                marks[loaded.case.rel] = loaded.digest
        report.items.extend(loaded.items)
        if loaded.state is not None:
            states[rel_folder] = loaded.state
    collection = Collection(root, settings, profile, tuple(cases), states, pages)
    check_collection(collection, report)
    memo = loadcache.CleanMemo(root, cache_key, marks) if cache_key is not None else None
    privacy.check_collection(collection.cases, report, memo)  # needs every case's contact: after loading
    return collection, report


_PARALLEL_FROM = 200  # below this many cases a process pool costs more than it saves
# Below this many case folders a load takes well under 0.1 s: no load cache is read or written (the
# tests load hundreds of small collections once each; writing would only cost them).
CACHE_FROM = 40


def _cached_or_loaded(
    root: Path, folders: list[Path], profile: Profile
) -> tuple[list[tuple[str, loadcache.Loaded]], str | None]:
    """Every folder's result in the folders' order: from the load cache where nothing it depends on
    changed, else loaded (and kept for the next time). The cache's entries are those of ``folders``.
    Also the cache's context key (None: no cache is kept for this collection)."""
    cache = _open_cache(root, profile, len(folders))
    rels = [f.relative_to(root).as_posix() for f in folders]
    found = {rel: cache.get(rel, f) for rel, f in zip(rels, folders, strict=True)} if cache is not None else {}
    missing = [f for rel, f in zip(rels, folders, strict=True) if found.get(rel) is None]
    fresh = iter(loaded for chunk in _load_cases(root, missing, profile, cache is not None) for loaded in chunk)
    results = []
    for rel in rels:
        loaded = found.get(rel)
        if loaded is None:
            loaded = next(fresh)
            if cache is not None:
                cache.put(rel, loaded)
        results.append((rel, loaded))
    loadcache.STATS["hits"] += len(folders) - len(missing)
    loadcache.STATS["misses"] += len(missing)
    if cache is not None:
        cache.save()
    return results, cache.key if cache is not None else None


def _open_cache(root: Path, profile: Profile, count: int) -> loadcache.LoadCache | None:
    if count < CACHE_FROM:
        return None
    try:
        return loadcache.LoadCache(root, loadcache.context(root, profile))
    except OSError:  # the root cannot be examined: load without a cache
        return None


def _load_chunk(root: Path, folders: list[Path], profile: Profile, keep: bool) -> list[loadcache.Loaded]:
    loaded = [_load_one(root, f, profile) for f in folders]
    if keep:
        for folder, one in zip(folders, loaded, strict=True):
            one.line = loadcache.entry(folder.relative_to(root).as_posix(), one)
    return loaded


def _load_cases(root: Path, folders: list[Path], profile: Profile, keep: bool) -> list[list[loadcache.Loaded]]:
    """Load cases, across every core when many are to be loaded; results keep the folders' order.
    ``keep``: with their load cache entries."""
    workers = min(os.cpu_count() or 1, 8)
    if len(folders) < _PARALLEL_FROM or workers < 2:
        return [_load_chunk(root, folders, profile, keep)]
    size = -(-len(folders) // (workers * 4))
    chunks = [folders[i : i + size] for i in range(0, len(folders), size)]
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pinyin.preload()  # once here, not once per forked worker (folder names become slugs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        n = len(chunks)
        done = list(pool.map(_load_chunk_in_worker, [root] * n, chunks, [profile] * n, [keep] * n))
    for _, readings in done:  # kept by this process's memo: the next build re-reads one case, not all
        pinyin.learn(readings)
    return [loaded for loaded, _ in done]


def _load_chunk_in_worker(root: Path, folders: list[Path], profile: Profile, keep: bool) -> tuple[list, dict]:
    """A chunk's results and the pinyin readings the worker computed for them (only the main process
    saves the memo)."""
    return _load_chunk(root, folders, profile, keep), pinyin.fresh()


def _state(data: dict) -> FolderState:
    """Status, public flag and title as written, before any check (see publish.views.gate)."""
    status, title = data.get("status"), data.get("title")
    return FolderState(
        status=status.strip() if isinstance(status, str) else "approved" if status is None else str(status),
        public=yes_no(data.get("public")) is not False,
        title=title_marks.split(title)[0] if isinstance(title, str) else "",
    )


def load_case(root: Path, folder: Path, profile: Profile, report: Report, states: dict | None = None) -> Case | None:
    return _read_case(root, folder, profile, report, states)[0]


def _load_one(root: Path, folder: Path, profile: Profile) -> loadcache.Loaded:
    report, states = Report(), {}
    case, digest, probes, body_at = _read_case(root, folder, profile, report, states)
    state = states.get(folder.relative_to(root).as_posix())
    return loadcache.Loaded(case, report.items, state, digest, probes, body_at)


def _read_case(
    root: Path, folder: Path, profile: Profile, report: Report, states: dict | None
) -> tuple[Case | None, str | None, list, int | None]:
    """The case, the digest of the index.md bytes it was read from (None: nothing to cache), the
    probes of the photos examined (loadcache.probe) and where the body starts in the text."""
    rel_folder = folder.relative_to(root).as_posix()
    index = folder / "index.md"
    rel = f"{rel_folder}/index.md"
    if not index.is_file():
        report.add(rel_folder, None, "E003")
        return None, None, [], None
    try:
        data = index.read_bytes()
    except OSError as error:
        report.add(rel, None, "E001", detail=error.strerror or str(error))
        return None, None, [], None
    digest = loadcache.digest(data)  # of the very bytes read: an edit meanwhile is a miss next time
    text = decode_reported(data, rel, report)
    front = None if text is None else split(text, rel, report)
    if front is None:
        return None, digest, [], None
    if states is not None:
        states[rel_folder] = _state(front.data)
    reader = _CaseReader(root, folder, rel, front, profile, report)
    case = reader.read()
    body_at = len(text) - len(case.body) if case is not None and text.endswith(case.body) else None
    return case, digest, reader.probes, body_at


class _CaseReader:
    """Turns one parsed front matter + body into a Case, reporting everything wrong on the way."""

    def __init__(self, root: Path, folder: Path, rel: str, front: FrontMatter, profile: Profile, report: Report):
        self.root, self.folder, self.rel = root, folder, rel
        self.data, self.lines, self.front = front.data, front.lines, front
        self.profile, self.report = profile, report
        self.probes: list[list] = []  # [file, loadcache.probe] of each photo examined, taken before

    def add(self, key: str, code: str, /, **values: object) -> None:
        # positional-only: many messages have a {key} placeholder of their own
        self.report.add(self.rel, self.lines.get(key, 1), code, **values)

    def read(self) -> Case | None:
        data = self.data
        for key in data:
            if str(key) not in FIELDS:
                self.add(str(key), "W022", key=key, hint=did_you_mean(str(key), list(FIELDS)))
        values = {key: self._typed(key) for key in FIELDS}
        values["title"], title_breaks = title_marks.split(values["title"]) if values["title"] else (values["title"], ())
        missing = False
        for key, spec in FIELDS.items():
            if spec.required and values[key] in (None, ""):
                if key in data and data[key] not in (None, "") and values[key] is None:
                    missing = True  # already reported as a type error
                    continue
                self.report.add(self.rel, self.lines.get(key, 1), "E020", key=key, label=spec.label)
                missing = True
        body = self.front.body
        outline = document.scan(body, self.front.body_line)  # as the site and the book read it
        heads = list(outline.headings)
        self._check_values(values, body)
        self._check_structure(heads)
        self._check_markup(outline)
        self._check_title(values["title"])
        photos_broken = data.get("photos") is not None and values["photos"] is None  # E021 already said
        photos = [] if photos_broken else self._photos(list(values["photos"] or []), outline)
        self._check_captions(photos)
        if values.get("public") is not False:
            self._check_privacy(
                {
                    **values,
                    "slug": values["slug"] or from_name(self.folder.name),  # the address of its pages
                    "photos": photos,
                    "body": body,
                    "body_line": self.front.body_line,
                    "lines": self.lines,
                }
            )
        if missing:
            return None
        return Case(
            folder=self.folder,
            rel=self.rel,
            folder_name=self.folder.name,
            title=values["title"],
            title_breaks=title_breaks,
            unit=values["unit"],
            category=values["category"],
            year=values["year"],
            summary=values["summary"],
            body=body,
            body_line=self.front.body_line,
            recommender=values["recommender"] or "",
            themes=tuple(values["themes"] or ()),
            authors=tuple(values["authors"] or ()),
            award=values["award"] or "",
            status=values["status"] or "approved",
            public=values["public"] is not False,
            slug=values["slug"] or from_name(self.folder.name),
            order=values["order"],
            contact=self._contact(values["contact"]),
            unit_info=dict(values["unit_info"] or {}),
            photos=tuple(photos),
            headings=tuple(heads),
            lines=dict(self.lines),
            wechat_title=values["wechat_title"] or "",
            wechat_cover=document.normalise_src(values["wechat_cover"] or ""),
        )

    # --- types -----------------------------------------------------------------------------

    def _typed(self, key: str) -> object:
        """The value converted to its field's type, or None (reported) when it cannot be."""
        if key not in self.data:
            return None
        value, spec = self.data[key], FIELDS[key]
        if value is None:
            return None
        converted = spec.option.convert(value, key)
        if isinstance(converted, Problem):
            self.add(key, "E021", key=key, label=spec.label, expected=spec.option.kind, actual=type_name(value))
            return None
        return converted

    # --- values ----------------------------------------------------------------------------

    def _check_values(self, v: dict, body: str) -> None:
        profile = self.profile
        if v["category"] and v["category"] not in profile.category_names:
            names = profile.category_names
            self.add(
                "category",
                "E101",
                value=v["category"],
                allowed="、".join(names),
                hint=did_you_mean(v["category"], names),
            )
        for index, theme in enumerate(v["themes"] or ()):
            if theme not in profile.themes:
                hint = did_you_mean(theme, profile.themes) if profile.themes else "（本次征集未设主题，请删除 themes）"
                self.report.add(
                    self.rel,
                    self.lines.get(f"themes.{index}", self.lines.get("themes", 1)),
                    "E102",
                    value=theme,
                    hint=hint,
                )
        year = v["year"]
        if year is not None and not (1990 <= year <= date.today().year + 1):
            self.add("year", "E103", value=year)
        if year is not None and self.folder.parent.name.isdigit() and int(self.folder.parent.name) != year:
            self.add("year", "W110", folder=self.folder.parent.name, year=year)
        authors = v["authors"] or []
        if profile.authors_max is not None and len(authors) > profile.authors_max:
            self.add("authors", "E104", count=len(authors), limit=profile.authors_max)
        if v["summary"]:
            self._check_length("summary", wordcount.count(v["summary"]), profile.summary)
        self._check_length(None, wordcount.count(body), profile.body)
        if v["status"] is not None and v["status"] not in STATUSES:
            self.add("status", "E107", value=v["status"])
        if v["slug"] is not None and not SLUG.match(v["slug"]):
            self.add("slug", "E108", value=v["slug"])
        if v["order"] is not None and v["order"] < 1:
            self.add("order", "E113", value=v["order"])
        for key, known, code in (("contact", CONTACT_KEYS, "W111"), ("unit_info", UNIT_INFO_KEYS, "W112")):
            for sub in v[key] or {}:
                if str(sub) not in known:
                    allowed = "、".join(f"{k}（{label}）" for k, label in known.items())
                    self.add(f"{key}.{sub}", code, key=sub, allowed=allowed, hint=did_you_mean(str(sub), list(known)))

    def _check_length(self, key: str | None, count: int, limits: Limits) -> None:
        line = self.lines.get(key, 1) if key else self.front.body_line
        if limits.max is not None and count > limits.max:
            self.report.add(self.rel, line, "E105", what=limits.label, count=count, limit=limits.max)
        if limits.min is not None and count < limits.min:
            self.report.add(self.rel, line, "E106", what=limits.label, count=count, limit=limits.min)

    # --- structure -------------------------------------------------------------------------

    def _check_structure(self, heads: list[headings.Heading]) -> None:
        for problem in headings.numbering_problems(heads):
            self.report.add(self.rel, problem.line, problem.code, **problem.values)
        required = self.profile.sections
        if not required:
            return
        firsts = [h for h in heads if h.level == 1 or (h.level is None and h.hashes == 2)]
        wanted = "、".join(f"“{names[0]}”" for names in required)
        positions: list[tuple[int, int]] = []  # (index among first-level headings, required index)
        for rank, names in enumerate(required):
            found = next((i for i, h in enumerate(firsts) if any(n in h.title for n in names)), None)
            if found is None:
                line = firsts[-1].line if firsts else self.front.body_line
                self.report.add(self.rel, line, "E301", section=names[0], sections=wanted)
            else:
                positions.append((found, rank))
        for (index, rank), (prev_index, _) in zip(positions[1:], positions[:-1], strict=False):
            if index < prev_index:
                self.report.add(self.rel, firsts[index].line, "E302", section=required[rank][0], sections=wanted)

    # --- photos ----------------------------------------------------------------------------

    def _photos(self, entries: list, outline: document.Outline) -> list[Photo]:
        listed: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self._add_at(
                    f"photos.{index}", "E021", key=f"photos 第 {index + 1} 项", label="图片",
                    expected="含 file、time、subject、event 的一项（- file: 1.jpg 换行后缩进写 time 等）",
                    actual=type_name(entry),
                )  # fmt: skip
                entry = {"file": entry} if isinstance(entry, str) else {}
                entries[index] = entry
            name = document.normalise_src(str(entry.get("file") or ""))
            if name in listed:
                self._add_at(f"photos.{index}", "W213", file=name)
            else:
                listed[name] = index
        for image in outline.images:
            if image.file not in listed:
                self.report.add(self.rel, image.line, "E210", file=image.file)
        placed_order = [name for name in outline.placed if name in listed]
        order = placed_order + [n for n in listed if n not in placed_order]
        photos = []
        for number, name in enumerate(order, start=1):
            index = listed[name]
            photo = self._photo(entries[index], index, name, number, name in placed_order)
            if photo is not None:
                photos.append(photo)
        count, p = len(entries), self.profile
        if count < p.photos_min or (p.photos_max is not None and count > p.photos_max):
            if p.photos_max is None:
                wanted = f"至少 {p.photos_min} 张"
            elif p.photos_min:
                wanted = f"{p.photos_min}–{p.photos_max} 张"
            else:
                wanted = f"最多 {p.photos_max} 张"
            self.add("photos", "E209", count=count, range=wanted)
        return photos

    def _add_at(self, key: str, code: str, /, **values: object) -> None:
        self.report.add(self.rel, self.lines.get(key, self.lines.get("photos", 1)), code, **values)

    def _photo(self, entry: dict, index: int, name: str, number: int, placed: bool) -> Photo | None:
        key = f"photos.{index}"
        for sub in entry:
            if str(sub) not in PHOTO_KEYS:
                allowed = "、".join(PHOTO_KEYS)
                self._add_at(f"{key}.{sub}", "W022", key=f"photos 中的 {sub}", hint=f"（图片可用：{allowed}）")
        if not name:
            self._add_at(key, "E020", key="file", label="图片文件")
            return None
        file_line_key = f"{key}.file"
        self.probes.append([name, loadcache.probe(name, self.folder)])
        for problem in photocheck.inspect(name, self.folder, self.profile.photo_formats):
            self._add_at(file_line_key, problem.code, **problem.values)
        texts = {k: _text(entry.get(k)) for k in ("time", "subject", "event", "caption")}
        if texts["caption"]:
            parsed = captions.parse(texts["caption"])
            if isinstance(parsed, str):
                self._add_at(f"{key}.caption", "E201", detail=parsed)
                return None
            if parsed.number != number:
                self._add_at(f"{key}.caption", "E202", expected=number, actual=parsed.number)
            time, subject, event = parsed.time, "", parsed.text
        else:
            if not (texts["time"] and texts["subject"] and texts["event"]):
                self._add_at(key, "E211", file=name)
                return None
            time, subject, event = texts["time"], texts["subject"], texts["event"]
            if not captions.time_is_valid(time):
                self._add_at(f"{key}.time", "E212", value=time)
                return None
        caption = captions.compose(number, time, subject, event)
        return Photo(name, self.folder / name, number, time, subject, event, caption, placed, self.lines.get(key, 1))

    # --- limits: what the book and the site can set in reasonable time ----------------------

    def _check_title(self, title: str | None) -> None:
        """The book sets a title in lines of 20 characters: 100 are five lines, real titles under 35."""
        if title and len(title) > TITLE_MAX:
            self.add("title", "E114", count=len(title), limit=TITLE_MAX)

    def _check_captions(self, photos: list[Photo]) -> None:
        """A caption is printed under its picture in lines of 30 characters: 150 are five lines."""
        for photo in photos:
            if len(photo.caption) > CAPTION_MAX:
                self.report.add(self.rel, photo.line, "E214", count=len(photo.caption), limit=CAPTION_MAX)

    def _check_markup(self, outline: document.Outline) -> None:
        """Bodies Python-Markdown would take minutes over (brackets, see document/limits.py) or crash on
        (nesting): the site and the book are blocked by these errors, so they never see such input."""
        limits = document.limits
        if outline.nesting > limits.NESTING_MAX:
            line = outline.nesting_line or self.front.body_line
            depth = f"{outline.nesting} 层以上" if outline.nesting_cut else f"{outline.nesting} 层"
            self.report.add(self.rel, line, "E306", depth=depth, limit=limits.NESTING_MAX)
        worst = outline.heaviest
        if worst is not None and worst.total > limits.WORK_MAX:
            times = f"{worst.total / limits.WORK_MAX:.1f}"
            self.report.add(self.rel, worst.line, "E307", length=worst.length, symbols=worst.symbols, times=times)

    # --- privacy ---------------------------------------------------------------------------

    def _check_privacy(self, fields: dict) -> None:
        """Contact data in what this case publishes (front matter texts, captions, body): anything
        shaped like it, and its own contact's values however written. Other cases' values are
        compared once the collection is loaded (privacy.check_collection)."""
        own = privacy.Contacts()
        own.add(self._contact(fields.get("contact")), self.rel)
        public = privacy.PublicText(fields)
        for leak in public.leaks(own, self.rel):
            where, line = public.locate(leak.start)
            self.report.add(self.rel, line, leak.code, where=where, value=leak.value, what=CONTACT_KEYS.get(leak.key))

    def _contact(self, value: dict | None) -> Contact | None:
        if not value:
            return None
        return Contact(**{k: _text(value.get(k)) for k in CONTACT_KEYS})


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()
