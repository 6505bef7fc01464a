"""What each output may include: the one place where a case's status and ``public`` flag are read.

Two views of a collection exist. The public view (site, public book, exports, every later public
writer) holds approved, public cases with their contact data removed. The organisers' view
(internal book, lists) holds every approved case, contacts included. ``gate`` decides which errors
stop an output: only those in what the output would include, so a draft with gaps never stops the
public site, while a broken approved case does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import weakref
from dataclasses import dataclass
from pathlib import Path

from casebook.diagnostics import Diagnostic, Report
from casebook.model import Case, Collection, FolderState

PUBLIC, INTERNAL = "public", "internal"
EDITIONS = (PUBLIC, INTERNAL)


def is_published(case: Case | FolderState) -> bool:
    """Approved and not marked ``public: false``: the only cases any public output may show."""
    return case.status == "approved" and case.public


def is_included(case: Case | FolderState, edition: str) -> bool:
    if edition == PUBLIC:
        return is_published(case)
    return case.status == "approved"


def public(collection: Collection) -> Collection:
    """The only input of public writers: published cases, every contact removed (made once per
    collection object: the site asks for it a dozen times a build)."""
    kept = _PUBLIC.get(id(collection))
    if kept is not None and kept[0] is collection:
        return kept[1]
    cases = tuple(dataclasses.replace(c, contact=None) for c in collection.cases if is_published(c))
    view_ = dataclasses.replace(collection, cases=cases)
    _PUBLIC[id(collection)] = (collection, view_)  # the collection is held: its id is not reused meanwhile
    while len(_PUBLIC) > 4:
        del _PUBLIC[next(iter(_PUBLIC))]
    return view_


_PUBLIC: dict[int, tuple[Collection, Collection]] = {}


def internal(collection: Collection) -> Collection:
    """The organisers' view: every approved case, non-public ones and contacts included."""
    return dataclasses.replace(collection, cases=tuple(c for c in collection.cases if c.status == "approved"))


def view(collection: Collection, edition: str) -> Collection:
    return public(collection) if edition == PUBLIC else internal(collection)


@dataclass(frozen=True)
class Gate:
    """The errors that stop an output, and the cases left out of it because of their errors."""

    blocking: tuple[Diagnostic, ...]
    left_out: tuple[tuple[str, int], ...]  # (case folder, error count), not included in this output

    @property
    def open(self) -> bool:
        return not self.blocking


def _case_folder(path: str) -> str | None:
    """cases/<year>/<case> for a diagnostic's path inside a case folder, else None."""
    parts = path.split("/")
    return "/".join(parts[:3]) if len(parts) >= 3 and parts[0] == "cases" else None


def gate(collection: Collection | None, report: Report, edition: str, unread: tuple[str, ...] = ()) -> Gate:
    """Errors in included cases and in shared inputs block; errors in excluded cases are left out, and
    errors in files the output does not read (``unread`` paths) do not concern it."""
    if collection is None:
        return Gate(tuple(report.errors), ())
    states = collection.states
    blocking, excluded = [], {}
    for item in report.errors:
        if item.path in unread:
            continue
        folder = _case_folder(item.path)
        state = states.get(folder) if folder else None
        if state is not None and not is_included(state, edition):
            excluded[folder] = excluded.get(folder, 0) + 1
        else:
            blocking.append(item)  # an included case, an unreadable one, or an input every output reads
    return Gate(tuple(blocking), tuple(sorted(excluded.items())))


# --- what must never appear in a public output ----------------------------------------------------

MIN_VALUE = 5  # shorter contact values (a two-character name) would raise false alarms


@dataclass(frozen=True)
class Forbidden:
    """Values no public output may contain, each with the reason shown to the editor."""

    values: dict[str, str]  # value → 联系方式 / 未公开案例

    def __bool__(self) -> bool:
        return bool(self.values)


def _public_text(view_: Collection) -> str:
    parts = [view_.settings.title, view_.settings.organiser]
    for case in view_.cases:
        parts += [case.title, case.unit, case.recommender, case.summary, case.body, *case.authors, *case.themes]
        parts.append(case.wechat_title)
        parts += [p.caption for p in case.photos]
    return "\n".join(parts)


def forbidden(collection: Collection) -> Forbidden:
    """Contact data of every case, and the titles of cases not published, by identity: a title that a
    published case also carries (a withdrawn duplicate) or that public text contains is not secret."""
    values: dict[str, str] = {}
    for case in collection.cases:
        contact = case.contact
        # the ways to reach a person; names and positions (党委书记) also occur in ordinary public text
        for value in (contact.phone, contact.mobile, contact.email, contact.address) if contact else ():
            if len(value) >= MIN_VALUE:
                values[value] = "联系方式"
    published = public(collection)
    text = _public_text(published)
    for case in collection.cases:
        if not is_published(case) and len(case.title) >= 4 and case.title not in text:
            values.setdefault(case.title, "未公开案例")
    for state in collection.states.values():
        if not is_published(state) and len(state.title) >= 4 and state.title not in text:
            values.setdefault(state.title, "未公开案例")
    return Forbidden(values)


# --- the identity of a view, so outputs made from it can be matched later --------------------------


def _case_record(case: Case) -> bytes:
    """A case's part of a fingerprint, its photos' file stats aside (the case is frozen: made once per
    case object, the site and the book both ask for it)."""
    kept = _RECORDS.get(id(case))
    if kept is not None and kept[0]() is case:
        return kept[1]
    record = {
        f.name: getattr(case, f.name)
        for f in dataclasses.fields(case)
        if f.name not in ("folder", "lines", "photos", "headings", "contact")
    }
    record["contact"] = dataclasses.asdict(case.contact) if case.contact else None
    record["photos"] = [(p.file, p.caption) for p in case.photos]
    encoded = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    if len(_RECORDS) > 4 * _RECORDS_KEPT:
        _RECORDS.clear()
    _RECORDS[id(case)] = (weakref.ref(case), encoded)
    return encoded


_RECORDS: dict[int, tuple[weakref.ref, bytes]] = {}
_RECORDS_KEPT = 20_000  # cases: a national collection's, several times over before the memo starts again


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def fingerprint(view_: Collection, year: int, extra: dict | None = None) -> str:
    """A hash of everything one year's volume of this view is made from (cases, photos, settings,
    editorial pages, the reference document); equal fingerprints mean an output is still current."""
    digest = hashlib.sha256(b"fingerprint-2\n")
    for case in view_.cases:
        if case.year == year:
            digest.update(_case_record(case) + b"\n")
            digest.update(json.dumps([_stat(p.path) for p in case.photos]).encode("ascii") + b"\n")
    rest = {"settings": dataclasses.asdict(view_.settings), "extra": extra or {}}
    digest.update(json.dumps(rest, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()
