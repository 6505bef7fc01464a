"""The collection model: plain, immutable objects shared by every writer. No I/O here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .headings import Heading
from .profiles import Profile
from .settings import Settings


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

    @property
    def published(self) -> bool:
        return self.status == "approved" and self.public

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class Collection:
    root: Path
    settings: Settings
    profile: Profile
    cases: tuple[Case, ...]

    def public(self) -> Collection:
        """Approved, public cases only, with every contact removed: the only input of public writers."""
        cases = tuple(dataclasses.replace(c, contact=None) for c in self.cases if c.published)
        return dataclasses.replace(self, cases=cases)

    def internal(self) -> Collection:
        """Every approved case, non-public ones too (the organisers' edition)."""
        return dataclasses.replace(self, cases=tuple(c for c in self.cases if c.status == "approved"))

    def years(self) -> list[int]:
        return sorted({c.year for c in self.cases})
