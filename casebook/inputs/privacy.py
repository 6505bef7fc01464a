"""Contact data that must never be published, looked for in the text as readers will get it.

Two kinds of finding: anything shaped like a phone number, e-mail address or ID number (E501–E504),
and the collection's own contact values, however they are written (E505: the case's own contact,
E506: another case's). Text is read as rendered: HTML entities and %-escapes decoded, markup and
invisible characters removed, full-width letters and digits folded; a page's source (comments, tag
attributes) is read too. Every offset points back into the text as written, so lines are right.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from casebook.inputs.fields import CONTACT_KEYS
from casebook.util.multisearch import Words

# --- the text as rendered --------------------------------------------------------------------------

_INVISIBLE = (  # soft hyphen, zero-width space/non-joiner/joiner, direction marks, word joiner, BOM, fillers
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u3164\ufeff"
)
_SHOWN = re.compile(f"[{_INVISIBLE}]")
_COMMON = (  # what no reader sees as written: entities, %-escapes, \-escapes, emphasis, code marks
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|%[0-9A-Fa-f]{2}|\\[!-/:-@\[-`{-~]|~~|\*|`|" + "|".join(_INVISIBLE)
)  # every branch starts with one character: the regex engine then skips plain text quickly
# what a page shows; a comment is bounded so that many unclosed ones cost little (its text stays then)
_DISPLAYED = re.compile(r"<!--[^\x00]{0,200}?-->|</?[A-Za-z][^<>\x00]*>|" + _COMMON)
_PUBLISHED = re.compile(_COMMON)  # its source: comments and attributes are published too
_RUN = re.compile("[0-9](?:[-. /()（）\u2013\u2014]{0,3}[0-9]){6,}")
_TAG_NAME = re.compile(r"</?([A-Za-z0-9]+)")
_BLOCKS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr img li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# full-width characters that can spell a number or an address (not ，：（） of every sentence), odd spaces
_WIDE = re.compile(
    "[\uff05\uff0b\uff0d\uff0e\uff10-\uff19\uff20-\uff3a\uff3f\uff41-\uff5a\ufe6b\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
)
_FOLD = str.maketrans(
    {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    | {code: 0x20 for code in (0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}
    | {0xFE6B: 0x40}  # ﹫
)


def _fold(text: str) -> str:
    """Full-width letters, digits and signs as ASCII, odd spaces as spaces: one character for one."""
    return _WIDE.sub(lambda match: match.group().translate(_FOLD), text)


def _replacement(token: str) -> str:
    """What a reader gets for one piece of markup or escaped text."""
    if token[0] == "&":
        return _SHOWN.sub("", html.unescape(token))
    if token[0] == "%":
        char = chr(int(token[1:], 16))
        return char if " " < char < "\x7f" else token
    if token[0] == "\\":
        return token[1]
    if token[0] == "<" and not token.startswith("<!--"):  # a block ends a number; inline markup does not
        name = _TAG_NAME.match(token)
        return "\n" if name and name.group(1).lower() in _BLOCKS else ""
    return ""


@dataclass(frozen=True)
class Rendered:
    """Text as rendered, and where each part of it came from in the text as written."""

    source: str
    text: str
    starts: tuple[int, ...]  # offset in ``text`` where each piece starts
    pieces: tuple[tuple[int, int, bool], ...]  # (source start, source end, copied as is)

    @cached_property
    def runs(self) -> list[tuple[int, int]]:
        """Spans of 7 digits or more, however grouped: every phone or ID number is in one."""
        return [match.span() for match in _RUN.finditer(self.text)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that ``text[start:end]`` was rendered from."""
        return self._at(start, False), self._at(end - 1, True)

    def _at(self, offset: int, after: bool) -> int:
        index = bisect_right(self.starts, offset) - 1
        begin, finish, copied = self.pieces[index]
        if not copied:
            return finish if after else begin
        return begin + offset - self.starts[index] + after


def render(source: str, markup: bool = True) -> Rendered:
    """``source`` as a reader gets it; with ``markup=False`` tags and comments are kept (page source)."""
    out, starts, pieces, at, length = [], [], [], 0, 0
    for match in (_DISPLAYED if markup else _PUBLISHED).finditer(source):
        new = _replacement(match.group())
        for text, piece in ((source[at : match.start()], (at, match.start(), True)), (new, (*match.span(), False))):
            if text:
                out.append(text)
                starts.append(length)
                pieces.append(piece)
                length += len(text)
        at = match.end()
    if at < len(source) or not pieces:
        out.append(source[at:])
        starts.append(length)
        pieces.append((at, len(source), True))
    return Rendered(source, _fold("".join(out)), tuple(starts), tuple(pieces))


def _shown(written: str, read: str) -> str:
    """A found value as the editor can find it in the file, and as readers would read it if that differs."""
    visible = " ".join(_SHOWN.sub(lambda m: f"[U+{ord(m.group()):04X}]", written).split())
    return visible if _fold(visible) == read else f"{visible}（即 {read}）"  # width is no disguise


# --- anything shaped like contact data (E501–E504) -------------------------------------------------

_SEP = "[-. \u2013\u2014]"  # between groups of digits: 139-0551-0001, 139.0551.0001, 139 0551 0001
_NOT_AFTER = r"(?<![0-9])(?<![0-9]\.)"  # not the tail of a longer number or of a decimal
_NOT_BEFORE = r"(?![0-9])(?!\.[0-9])"
_MOBILE = re.compile(rf"{_NOT_AFTER}(?:\+?86{_SEP}?)?1[3-9][0-9]{_SEP}?[0-9]{{4}}{_SEP}?[0-9]{{4}}{_NOT_BEFORE}")
_LANDLINE = re.compile(
    rf"{_NOT_AFTER}(?:"
    rf"(?:\+?86{_SEP}?)?(?:[（(]0[0-9]{{2,3}}[）)]{_SEP}?|0[0-9]{{2,3}}{_SEP})[0-9]{{3,4}}{_SEP}?[0-9]{{4}}"
    # run together only when it is a real area code with a local number: 010/02x + 8 digits, 0xxx + 7–8
    r"|(?<![A-Za-z])0(?:10|2[0-9])[2-9][0-9]{7}|(?<![A-Za-z])0[3-9][0-9]{2}[2-9][0-9]{6,7}"
    rf"){_NOT_BEFORE}"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_id(number: str) -> bool:
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=False))
    return "10X98765432"[total % 11] == number[17].upper()


@dataclass(frozen=True)
class Leak:
    start: int  # the source span of the value
    end: int
    code: str
    value: str  # as shown to the editor
    key: str = ""  # E505/E506: the contact key (mobile, phone, address)
    owner: str = ""  # E506: the case whose contact it is


def _shaped(view: Rendered) -> list[Leak]:
    """E501–E504 in one rendered text: ID numbers first (they contain phone-shaped digits)."""
    text, found, taken = view.text, [], []
    windows = [(max(start - 1, 0), end + 3) for start, end in view.runs]  # + its sign, bracket, X, lookahead
    matches = [("E504", m) for w in windows for m in _ID.finditer(text, *w) if _valid_id(m.group())]
    matches += [("E503", m) for m in _EMAIL.finditer(text)] if "@" in text else []
    for code, pattern in (("E501", _MOBILE), ("E502", _LANDLINE)):
        matches += [(code, m) for w in windows for m in pattern.finditer(text, *w)]
    for code, match in matches:
        if any(a <= match.start() < b for a, b in taken):
            continue
        taken.append(match.span())
        start, end = view.span(*match.span())
        found.append(Leak(start, end, code, _shown(view.source[start:end], match.group())))
    return found


# --- the collection's own contact values (E505, E506) ----------------------------------------------

_GROUP = re.compile("[0-9]+")
_YEAR = re.compile("(?:19|20)[0-9]{2}")
_SPACES = re.compile(r"\s+")
_TAIL = re.compile(r"[（(].*$")
_PLACE = re.compile("[0-9]|[号室栋幢楼座层]")  # an address only pinpoints a place with a number


def _numbers(value: str) -> set[str]:
    """A phone field's numbers as digits: whole, without country code or extension, local part."""
    found = set()
    for run in _RUN.finditer(_fold(_SHOWN.sub("", value))):
        groups = _GROUP.findall(run.group())
        for digits in {"".join(groups), "".join(groups[:-1])}:
            if digits.startswith(("861", "00861")) and len(digits) in (13, 15):
                digits = digits[-11:]
            if digits.startswith("0") and len(digits) >= 10:  # a landline: also written without area code
                found.add(digits[3:] if digits[1] in "12" else digits[4:])
            found.add(digits)
    return {digits for digits in found if 7 <= len(digits) <= 13}


def _address(value: str) -> str:
    """The address as compared: no spaces, no bracketed note; "" when too vague to be private."""
    place = _TAIL.sub("", _SPACES.sub("", _fold(_SHOWN.sub("", value))))
    return place if len(place) >= 6 and _PLACE.search(place) else ""


# A contact value written as it is, at least this long, is what the final verification of every public
# output looks for (casebook.publish.views.forbidden, its MIN_VALUE): check looks for it too, so that a
# value check lets through never stops a build afterwards (an address without a house number, too
# vague for the comparison above, that is also part of the unit's name).
VERBATIM_MIN = 5


def _verbatim(value: str) -> str:
    """A contact value as it is compared word for word: as rendered (width folded, invisible characters
    dropped), "" when too short to be searched for."""
    text = _fold(_SHOWN.sub("", value)).strip()
    return text if len(value.strip()) >= VERBATIM_MIN and text else ""


class Contacts:
    """Contact values to look for, by owner: phone numbers as digits, addresses without spaces, and
    every value written as it is (as the final verification looks for it). E-mail addresses are
    reported by E503 in whatever form they are written, and also word for word."""

    def __init__(self) -> None:
        self.numbers: dict[str, list[tuple[str, str]]] = {}  # digits → [(key, owner)]
        self.places: dict[str, list[tuple[str, str]]] = {}
        self.verbatim: dict[str, list[tuple[str, str]]] = {}  # the value as written → [(key, owner)]
        self._places: Words | None = None
        self._verbatim: Words | None = None

    def add(self, contact: object, owner: str) -> None:
        """The values of a Contact (or None) of the case at ``owner``."""
        for key in ("mobile", "phone"):
            for digits in _numbers(getattr(contact, key, "") or ""):
                self.numbers.setdefault(digits, []).append((key, owner))
        place = _address(getattr(contact, "address", "") or "")
        if place:
            self.places.setdefault(place, []).append(("address", owner))
        for key in ("phone", "mobile", "email", "address"):
            value = _verbatim(getattr(contact, key, "") or "")
            if value:
                self.verbatim.setdefault(value, []).append((key, owner))
        self._places = self._verbatim = None

    def __bool__(self) -> bool:
        return bool(self.numbers or self.places or self.verbatim)

    def digest(self) -> str:
        """Every value with its owners, as one hash."""
        data = json.dumps([self.numbers, self.places, self.verbatim], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def search(self, view: Rendered, me: str) -> list[Leak]:
        """Values in ``view``: E505 when the case at ``me`` owns one, else E506 naming an owner."""
        found = []
        for start, end, owners in self._hits(view):
            mine = [key for key, owner in owners if owner == me]
            key, owner = (mine[0], "") if mine else owners[0]
            source_start, source_end = view.span(start, end)
            shown = _shown(view.source[source_start:source_end], view.text[start:end])
            found.append(Leak(source_start, source_end, "E506" if owner else "E505", shown, key, owner))
        return found

    def _hits(self, view: Rendered) -> Iterator[tuple[int, int, list[tuple[str, str]]]]:
        text = view.text
        if self.numbers:
            for start, end in view.runs:
                yield from self._number_hits(list(_GROUP.finditer(text, start, end)))
        if self.verbatim:
            if self._verbatim is None:
                self._verbatim = Words(sorted(self.verbatim))
            for start, end, value in self._verbatim.finditer(text):
                yield start, end, self.verbatim[value]
        if not self.places:
            return
        compact = "".join(text.split())  # 合肥市包河区机械路 8 号 is the same address
        if len(self.places) == 1:
            found = {place for place in self.places if place in compact}
        else:
            if self._places is None:
                self._places = Words(sorted(self.places))
            found = set(self._places.findall(compact))
        for place in found:  # where it is in the text with its spaces (rare: compiled only then)
            for match in re.finditer(r"\s*".join(map(re.escape, place)), text):
                yield match.start(), match.end(), self.places[place]

    def _number_hits(self, groups: list[re.Match]) -> Iterator[tuple[int, int, list[tuple[str, str]]]]:
        """Any run of whole groups of digits that is a known number (``2019-2023`` is never one)."""
        for first in range(len(groups)):
            digits = ""
            for last in range(first, len(groups)):
                digits += groups[last].group()
                if len(digits) > 13:
                    break
                owners = self.numbers.get(digits)
                if owners and (last == first or not all(_YEAR.fullmatch(g.group()) for g in groups[first : last + 1])):
                    yield groups[first].start(), groups[last].end(), owners
                    break


# --- what a case publishes ---------------------------------------------------------------------------

_FIELDS = (  # front matter texts shown by the site and the book, and how an editor calls them
    ("title", "案例名称"),
    ("wechat_title", "公众号标题"),
    ("unit", "申报单位"),
    ("recommender", "推荐单位"),
    ("authors", "执笔人"),
    ("themes", "主题"),
    ("award", "获评情况"),
    ("summary", "概要"),
    ("slug", "网址名"),  # in every address of the case's pages
    ("unit_info", "单位基本情况"),  # shown on the case page (单位性质, 职工人数, 所属行业)
)


_CASE_FIELDS = (*(key for key, _ in _FIELDS), "photos", "body", "body_line", "lines")


class PublicText:
    """Every public text of one case joined into one (one scan per case, not per field), with the
    field and line of each offset. ``fields``: the loader's values of a case, with its ``photos``,
    ``body``, ``body_line`` and ``lines`` (as a Case has them)."""

    def __init__(self, fields: Mapping) -> None:
        lines = fields.get("lines") or {}
        parts: list[tuple[str, str, int, bool]] = []  # (where, text, line, line follows the text's \n)
        for key, where in _FIELDS:
            value = fields.get(key)
            if isinstance(value, Mapping):  # unit_info: each value at its own line
                parts += [
                    (where, str(v), lines.get(f"{key}.{k}", lines.get(key, 1)), False)
                    for k, v in value.items()
                    if v is not None and not isinstance(v, (dict, list)) and str(v).strip()
                ]
            elif isinstance(value, (list, tuple)):
                parts += [
                    (where, str(v), lines.get(f"{key}.{i}", lines.get(key, 1)), False) for i, v in enumerate(value)
                ]
            elif value:
                parts.append((where, str(value), lines.get(key, 1), False))
        parts += [("图片说明", photo.caption, photo.line, False) for photo in fields.get("photos") or ()]
        if fields.get("body"):
            parts.append(("正文", fields["body"], fields.get("body_line", 1), True))
        self.parts, self.starts, offset = parts, [], 0
        for part in parts:
            self.starts.append(offset)
            offset += len(part[1]) + 1
        self.source = "\x00".join(part[1] for part in parts)  # no markup, number or address spans a \x00
        self.views = [render(self.source)]
        if "<" in self.source:
            self.views.append(render(self.source, markup=False))

    def locate(self, offset: int) -> tuple[str, int]:
        """(where, line) of a source offset."""
        index = bisect_right(self.starts, offset) - 1
        where, text, line, follows = self.parts[index]
        return where, line + (text.count("\n", 0, offset - self.starts[index]) if follows else 0)

    def leaks(self, contacts: Contacts | None = None, me: str = "", shaped: bool = True) -> list[Leak]:
        """Findings in source order, each place reported once (by E501–E504 before E505/E506)."""
        found: list[Leak] = []
        for view in self.views:
            for leak in (_shaped(view) if shaped else []) + (contacts.search(view, me) if contacts else []):
                if not any(leak.start < other.end and other.start < leak.end for other in found):
                    found.append(leak)
        return sorted(found, key=lambda leak: leak.start)


def findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, code, value) for each phone number, e-mail address or ID number in ``text``, in order."""
    public = PublicText({"body": text})
    return iter([(leak.start, leak.code, leak.value) for leak in public.leaks()])


def check_collection(cases: Iterable, report: object, memo: object | None = None) -> None:
    """Any case's contact values in another public case (the loader checks each case's own): done once
    the whole collection is loaded, since cases are loaded in separate processes. ``memo``: a
    loadcache.CleanMemo, the cases found clean last time with the same contact values (not searched
    again), each by its ``marks`` entry: what its public texts are made from."""
    cases = list(cases)
    every = Contacts()
    for case in cases:
        every.add(case.contact, case.rel)
    if not every:
        return
    key = every.digest()
    known = memo.known(key) if memo is not None else set()
    clean = set()
    for case in cases:
        if not case.public:
            continue
        mark = memo.marks.get(case.rel) if memo is not None else None  # None: not remembered
        if mark in known:
            clean.add(mark)
            continue
        public = PublicText({name: getattr(case, name) for name in _CASE_FIELDS})
        others = [leak for leak in public.leaks(every, case.rel, shaped=False) if leak.code == "E506"]
        if not others:
            if mark is not None:
                clean.add(mark)
            continue
        shaped = public.leaks()  # one place, one finding: E501–E504 say it already
        for leak in others:
            if not any(leak.start < s.end and s.start < leak.end for s in shaped):
                where, line = public.locate(leak.start)
                report.add(
                    case.rel, line, "E506", where=where, what=CONTACT_KEYS[leak.key], value=leak.value, other=leak.owner
                )
    if memo is not None:
        memo.save(key, clean, known)
