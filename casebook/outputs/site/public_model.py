"""The public model of the site: approved, public cases without contact data, grouped for browsing.

Built from ``publish.views.public`` only; every page writer receives this object and nothing else."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from pathlib import Path

from casebook.inputs import mkdocs_yml
from casebook.inputs.fields import UNIT_INFO_KEYS
from casebook.model import Case, Collection
from casebook.outputs.site import urls
from casebook.publish import views
from casebook.publish.sortkey import sort_key

_SITE_ORDER, _THEME_SETS = ("site order", ""), ("theme sets", "")  # SiteModel._by_kind entries besides groups


@dataclass(frozen=True)
class Group:
    """One browse page: a category, a year, a theme or a unit, and its cases in site order."""

    kind: str  # category | year | theme | unit
    name: str
    slug: str
    url: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class SiteModel:
    title: str
    organiser: str
    icp: str
    cases: tuple[Case, ...]
    categories: tuple[Group, ...]
    years: tuple[Group, ...]  # newest first
    themes: tuple[Group, ...]
    units: tuple[Group, ...]  # A–Z by pinyin (casebook.publish.sortkey)
    # the campaign's own words (its profile): what its categories are (类别, 领域), what the summary
    # is called (案例概要和创新点, 简要事迹 …) and the unit_info block (单位基本情况, 班组基本情况)
    category_term: str = "类别"
    summary_label: str = "案例概要"
    unit_info_label: str = "单位基本情况"
    # where the site is published (mkdocs.yml's site_url, a web address ending in /, or ""): the QR
    # code of each case page; the editors' logo (a file of the collection) and colour (content/settings.yml)
    site_url: str = ""
    logo: Path | None = None
    colour: str = ""
    _by_kind: dict = field(default_factory=dict, compare=False, repr=False)

    def group_of(self, kind: str, name: str | int) -> Group:
        return self._by_kind[(kind, str(name))]

    def neighbours(self, case: Case) -> tuple[Case | None, Case | None]:
        """Previous and next case within the case's category."""
        cases = self.group_of("category", case.category).cases
        index = self._by_kind[("position", case.slug)]
        prev = cases[index - 1] if index > 0 else None
        nxt = cases[index + 1] if index + 1 < len(cases) else None
        return prev, nxt

    def related(self, case: Case, limit: int = 4) -> tuple[Case, ...]:
        """Other cases of the same unit, then those sharing most themes with it, in site order. Cases
        are taken by their set of themes (few distinct sets), not scored one by one: a full build asks
        this of every case."""
        themes, position = set(case.themes), self._by_kind[_SITE_ORDER]
        own = [c for c in self.group_of("unit", case.unit).cases if c.slug != case.slug]
        chosen = sorted(own, key=lambda c: (-len(themes.intersection(c.themes)), position[c.slug]))[:limit]
        by_shared: dict[int, list[list[int]]] = {}
        for theme_set, indices in self._by_kind[_THEME_SETS].items():
            shared = len(themes.intersection(theme_set))
            if shared:
                by_shared.setdefault(shared, []).append(indices)
        for shared in sorted(by_shared, reverse=True):
            for index in heapq.merge(*by_shared[shared]):
                if len(chosen) == limit:
                    return tuple(chosen)
                other = self.cases[index]
                if other.unit != case.unit:
                    chosen.append(other)
        return tuple(chosen)

    def case_address(self, case: Case) -> str:
        """The full address of the case's page ("" without site_url)."""
        return self.site_url + urls.case_url(case.slug) if self.site_url else ""

    def unit_info(self, case: Case) -> list[tuple[str, str]]:
        """The case's unit_info as (label, value) pairs in the declared order (public: 单位性质, 职工人数,
        所属行业; the form's address and contact people are contact data, in ``contact`` only)."""
        shown = []
        for key, label in UNIT_INFO_KEYS.items():
            value = case.unit_info.get(key)
            if value is None or isinstance(value, (dict, list)) or not str(value).strip():
                continue
            text = str(value).strip()
            shown.append((label, f"{text}人" if key == "employees" and text.isdigit() else text))
        return shown

    @property
    def latest_year(self) -> int | None:
        return int(self.years[0].name) if self.years else None

    @property
    def featured(self) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if c.award)


def site_url(root: Path) -> str:
    """mkdocs.yml's ``site_url`` when it is an http(s) address (ending in /), else ""."""
    try:
        value = mkdocs_yml.load_base(root / "mkdocs.yml").get("site_url")
    except (OSError, mkdocs_yml.ConfigError):
        return ""  # the site stage reports a broken mkdocs.yml itself
    if not isinstance(value, str) or not value.strip().lower().startswith(("https://", "http://")):
        return ""
    value = value.strip()
    return value if value.endswith("/") else value + "/"


def logo_path(root: Path, logo: str) -> Path | None:
    """The editors' logo (settings site.logo, relative to the collection) when it is a file inside it."""
    if not logo:
        return None
    path = (root / logo).resolve()
    return path if path.is_file() and root.resolve() in path.parents else None


def make(collection: Collection) -> SiteModel:
    public = views.public(collection)
    settings, profile = public.settings, public.profile
    category_rank = {name: i for i, name in enumerate(profile.category_names)}
    cases = tuple(
        sorted(
            public.cases,
            key=lambda c: (
                -c.year,
                category_rank.get(c.category, len(category_rank)),
                c.order if c.order is not None else 1 << 30,
                sort_key(c.unit),
                sort_key(c.title),
                c.slug,
            ),
        )
    )
    by_kind: dict[tuple[str, str], Group] = {}

    def groups(kind: str, names: list[str], keys_of, url_of, slugs: dict[str, str]) -> tuple[Group, ...]:
        members: dict[str, list[Case]] = {}
        for case in cases:
            for key in keys_of(case):
                members.setdefault(key, []).append(case)
        result = []
        for name in names:
            if name not in members:
                continue
            group = Group(kind, name, slugs[name], url_of(slugs[name]), tuple(members[name]))
            by_kind[(kind, name)] = group
            result.append(group)
        return tuple(result)

    category_names = list(profile.category_names) + sorted(
        {c.category for c in cases} - set(profile.category_names), key=sort_key
    )
    theme_names = list(profile.themes) + sorted(
        {t for c in cases for t in c.themes} - set(profile.themes), key=sort_key
    )
    unit_names = sorted({c.unit for c in cases}, key=sort_key)
    year_names = [str(y) for y in sorted({c.year for c in cases}, reverse=True)]
    categories = groups(
        "category", category_names, lambda c: [c.category], urls.category_url, urls.unique_slugs(category_names)
    )
    themes = groups("theme", theme_names, lambda c: c.themes, urls.theme_url, urls.unique_slugs(theme_names))
    units = groups("unit", unit_names, lambda c: [c.unit], urls.unit_url, urls.unique_slugs(unit_names))
    years = groups(
        "year", year_names, lambda c: [str(c.year)], lambda s: urls.year_url(int(s)), {y: y for y in year_names}
    )
    for group in categories:
        for index, case in enumerate(group.cases):
            by_kind[("position", case.slug)] = index
    by_kind[_SITE_ORDER] = {case.slug: index for index, case in enumerate(cases)}
    theme_sets: dict[frozenset, list[int]] = {}
    for index, case in enumerate(cases):
        theme_sets.setdefault(frozenset(case.themes), []).append(index)
    by_kind[_THEME_SETS] = theme_sets
    return SiteModel(
        title=settings.title,
        organiser=settings.organiser,
        icp=settings.site.icp,
        cases=cases,
        categories=categories,
        years=years,
        themes=themes,
        units=units,
        category_term=profile.category_term or "类别",
        summary_label=profile.summary.label or "案例概要",
        unit_info_label=profile.unit_info_label or "单位基本情况",
        site_url=site_url(collection.root),
        logo=logo_path(collection.root, settings.site.logo),
        colour=settings.site.colour,
        _by_kind=by_kind,
    )
