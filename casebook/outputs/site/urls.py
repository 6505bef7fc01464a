"""Page locations of the generated site: docs-relative source paths and directory URLs."""

from __future__ import annotations

from casebook.inputs.slugs import from_name


def page_source(url: str) -> str:
    """'cases/x/' → 'cases/x/index.md'; '' → 'index.md' (every generated page is a folder index)."""
    return f"{url}index.md"


def relative(from_url: str, to: str) -> str:
    """A link from the page at directory URL ``from_url`` to the site path ``to`` (a URL or a file)."""
    if to.startswith(from_url) and to != from_url:
        return to[len(from_url) :]
    if to == from_url:
        return "./"
    return "../" * from_url.count("/") + to if from_url else to or "./"


def unique_slugs(names: list[str], prefix: str = "") -> dict[str, str]:
    """An ASCII slug for each name (pinyin); names that share one get -2, -3 … in sorted order."""
    taken: dict[str, str] = {}
    result: dict[str, str] = {}
    for name in sorted(set(names)):
        base = prefix + from_name(name)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken[slug] = name
        result[name] = slug
    return result


HOME = ""
ALL = "all/"
DOWNLOADS = "downloads/"
BROWSE = "browse/"
CATEGORIES = "browse/category/"
YEARS = "browse/year/"
THEMES = "browse/theme/"
UNITS = "browse/unit/"


def case_url(slug: str) -> str:
    return f"cases/{slug}/"


def category_url(slug: str) -> str:
    return f"{CATEGORIES}{slug}/"


def year_url(year: int) -> str:
    return f"{YEARS}{year}/"


def theme_url(slug: str) -> str:
    return f"{THEMES}{slug}/"


def unit_url(slug: str) -> str:
    return f"{UNITS}{slug}/"
