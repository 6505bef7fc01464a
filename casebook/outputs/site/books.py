"""The yearly anthology files (《title（YYYY年度）》.docx/.pdf) offered on the downloads page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casebook.model import Collection
from casebook.outcome import warn
from casebook.outputs.book import manifest
from casebook.publish import views


@dataclass(frozen=True)
class BookFile:
    year: int
    kind: str  # docx | pdf
    source: Path
    name: str  # the file name readers get (Chinese)
    site_path: str  # ASCII path inside the site
    size: int


def find(collection: Collection, folder: Path | None = None) -> dict[int, list[BookFile]]:
    """The public volumes the book stage made from the current public view, by year (PDF first).
    Only files its manifest vouches for are offered: never a stale PDF or an organisers' edition."""
    folder = folder or collection.root / "build" / "book"
    found: dict[int, list[BookFile]] = {}
    made = {(e.year, e.edition) for e in manifest.read(folder).values()}
    for year in views.public(collection).years():
        for path in manifest.current(folder, collection, year, views.PUBLIC):
            kind = path.suffix.lstrip(".")
            site_path = f"downloads/{year}/anthology-{year}.{kind}"
            found.setdefault(year, []).append(BookFile(year, kind, path, path.name, site_path, path.stat().st_size))
        if year not in found and (year, views.PUBLIC) in made:
            warn(f"提示：{year} 年度选编是按修改前的案例生成的，未放入下载页；请运行 python build.py book 重新生成")
    return found


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
