"""build/book/manifest.json: which volume files were made together, from which view of the collection.

The site offers a volume for download only when its manifest entry was made from the current public
view (same fingerprint) and the file on disk is the one the book stage wrote (same hash). So a PDF
left from an earlier build, or a DOCX edited by hand, is never published.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from casebook.model import Collection
from casebook.publish import views
from casebook.util import files

NAME = "manifest.json"
VERSION = 1
INPUT_FILES = ("content/preface-{year}.md", "content/preface.md", "theme/reference.docx")


@dataclass(frozen=True)
class Entry:
    name: str  # file name inside the book folder
    year: int
    edition: str
    fingerprint: str
    sha256: str
    build: str = ""  # what else made the file (stage.build_key): the same → the volume need not be made again


def digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def book_inputs(root: Path, year: int) -> dict[str, str]:
    """Hashes of the editorial files a volume is made from besides the cases."""
    found = {}
    for pattern in INPUT_FILES:
        path = root / pattern.format(year=year)
        if path.is_file():
            found[pattern] = digest(path)
    return found


def fingerprint(collection: Collection, year: int, edition: str) -> str:
    """What one volume of ``edition`` is made from, as one hash."""
    view = views.view(collection, edition)
    return views.fingerprint(view, year, {"edition": edition, "inputs": book_inputs(collection.root, year)})


def read(folder: Path) -> dict[str, Entry]:
    try:
        data = json.loads((folder / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    entries = {}
    for name, item in (data.get("files") or {}).items():
        try:
            values = (int(item["year"]), str(item["edition"]), item["fingerprint"], item["sha256"])
            entries[name] = Entry(name, *values, str(item.get("build", "")))
        except (KeyError, TypeError, ValueError):
            continue
    return entries


def record(
    folder: Path, made: list[Path], year: int, edition: str, stamp: str, drop: list[str], build: str = ""
) -> None:
    """Add the files just made (and forget ``drop``ped ones) in the folder's manifest."""
    entries = read(folder)
    for name in drop:
        entries.pop(name, None)
    for path in made:
        entries[path.name] = Entry(path.name, year, edition, stamp, digest(path), build)
    data = {
        "version": VERSION,
        "files": {
            e.name: {"year": e.year, "edition": e.edition, "fingerprint": e.fingerprint, "sha256": e.sha256}
            | ({"build": e.build} if e.build else {})
            for e in sorted(entries.values(), key=lambda e: e.name)
        },
    }
    files.write_text(folder / NAME, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def current(folder: Path, collection: Collection, year: int, edition: str = views.PUBLIC) -> list[Path]:
    """The files of one volume that are still what the current collection makes, PDF first."""
    entries = [entry for entry in read(folder).values() if (entry.year, entry.edition) == (year, edition)]
    if not entries:  # no volume made for that year: its fingerprint (the view, hashed) is not needed
        return []
    stamp = fingerprint(collection, year, edition)
    found = []
    for entry in entries:
        if entry.fingerprint != stamp:
            continue
        path = folder / entry.name
        if path.is_file() and digest(path) == entry.sha256:
            found.append(path)
    return sorted(found, key=lambda p: (p.suffix != ".pdf", p.name))


def unchanged(folder: Path, names: list[str], year: int, edition: str, stamp: str, build: str) -> bool:
    """Whether ``names`` are all recorded as made from ``stamp`` and ``build`` and are on disk as made."""
    if not build:  # entries of earlier versions record none
        return False
    entries, made_from = read(folder), (year, edition, stamp, build)
    for name in names:
        entry, path = entries.get(name), folder / name
        if entry is None or (entry.year, entry.edition, entry.fingerprint, entry.build) != made_from:
            return False
        if not path.is_file() or digest(path) != entry.sha256:
            return False
    return True
