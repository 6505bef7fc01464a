"""The collection model: plain, immutable objects shared by every writer. No I/O here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from casebook.inputs.headings import Heading
from casebook.inputs.profiles import Profile
from casebook.inputs.settings import Settings


@dataclass(frozen=True)
class Contact:
    """Private: for organisers only. Removed from the public model."""

    name: str = ""
    position: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    address: str = ""

    def values(self) -> list[str]:
        return [v for v in dataclasses.astuple(self) if v]


@dataclass(frozen=True)
class Photo:
    file: str  # as written, relative to the case folder
    path: Path  # absolute
    number: int  # 编号, by order of appearance
    time: str
    subject: str
    event: str
    caption: str  # composed: N.时间，主体事件
    placed: bool  # referenced in the body with ![](file)
    line: int


@dataclass(frozen=True)
class Case:
    folder: Path
    rel: str  # the index.md path relative to the collection root
    folder_name: str
    title: str
    unit: str
    category: str
    year: int
    summary: str
    body: str
    body_line: int
    recommender: str = ""
    themes: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    award: str = ""
    status: str = "approved"
    public: bool = True
    slug: str = ""
    order: int | None = None
    contact: Contact | None = None
    unit_info: dict = field(default_factory=dict)
    photos: tuple[Photo, ...] = ()
    headings: tuple[Heading, ...] = ()
    lines: dict = field(default_factory=dict, compare=False, repr=False)
    wechat_title: str = ""  # the WeChat article's title when the case title is too long
    wechat_cover: str = ""  # the photo (file, as in photos) the WeChat covers are cut from; "" = the first
    title_breaks: tuple[int, ...] = ()  # the editor's forced title breaks (config/title_marks.py), for the book

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class Page:
    """An editorial page: content/<name>.md (index, preface, preface-2024, about …)."""

    name: str  # the file stem
    rel: str  # content/<name>.md
    title: str  # front matter ``title``; "" when not given
    body: str  # Markdown without the front matter


@dataclass(frozen=True)
class FolderState:
    """What a case folder says about its publication, read even when the case has errors (so that a
    broken draft can be left out of an output instead of stopping it). Views decide; see publish.views."""

    status: str = "approved"
    public: bool = True
    title: str = ""


@dataclass(frozen=True)
class Collection:
    root: Path
    settings: Settings
    profile: Profile
    cases: tuple[Case, ...]
    states: dict[str, FolderState] = field(default_factory=dict, compare=False)  # cases/<year>/<case> → state
    pages: tuple[Page, ...] = ()

    def page(self, *names: str) -> Page | None:
        """The first editorial page found among ``names`` (e.g. preface-2024, preface)."""
        by_name = {p.name: p for p in self.pages}
        return next((by_name[n] for n in names if n in by_name), None)

    def years(self) -> list[int]:
        return sorted({c.year for c in self.cases})
