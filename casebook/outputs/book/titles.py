"""Breaking a long title into balanced lines (no lone character or two on the last line), between
words: the text is segmented with jieba, and a collection's own terms (unit names, quoted coinages,
the domain's fixed phrases) are never broken either."""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import logging
import marshal
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from casebook.util import derived, files

# A line must not start with these (closing punctuation) nor end with the openers.
NO_LINE_START = "”’）》〉】」』，。、；：！？…·）)]%"
NO_LINE_END = "“‘（《〈【「『(["
GOOD_BREAK_AFTER = "，、：；”》）—"
WIDE_SYMBOLS = "“”‘’—…·"


def char_width(ch: str) -> float:
    """In ems: CJK and the quotes set in the CJK face are 1, Latin letters and digits about 1/2."""
    return 1.0 if ord(ch) >= 0x2E80 or ch in WIDE_SYMBOLS else 0.5


_NARROW = re.compile(f"[^\u2e80-\U0010ffff{WIDE_SYMBOLS}]")


def text_width(text: str) -> float:
    """The sum of char_width over text, in one pass of the regular expression engine."""
    return len(text) - 0.5 * len(_NARROW.findall(text))


def _allowed(text: str, i: int) -> bool:
    """May a line break sit before text[i]?"""
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return False
    return not (before == "—" and after == "—")


def _bonus(text: str, j: int) -> float:
    """Prefer breaking before a dash-introduced subtitle, then after punctuation."""
    if j >= len(text):
        return 0.0
    if text[j] == "—" and text[j - 1] != "—":
        return 30.0
    return 6.0 if text[j - 1] in GOOD_BREAK_AFTER else 0.0


# Above this many characters (five times the longest title `check` lets through) lines are filled
# greedily, in linear time whatever the breaks: nobody reads such a text for balance.
BALANCE_MAX_CHARS = 500


# Phrases of the domain that jieba splits but a reader takes as one word (思想/政治/工作 …).
DOMAIN_TERMS = (
    "思想政治工作",
    "思想政治",
    "思政课",
    "核心价值观",
    "产业工人",
    "工匠精神",
    "劳模精神",
    "劳动精神",
    "党史学习教育",
    "创新案例",
    "新就业形态",
    "又红又专",
)
MAX_TERM = 12  # longer terms (whole unit names) would leave too few breaks in a title
_QUOTED = re.compile(r"[“‘「『《]([^”’」』》]{2,8})[”’」』》]")


@functools.cache
def _tokenizer():
    """jieba with its default dictionary, loaded once per process from our own cache of it."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with tokenizer.get_dict_file() as dictionary:
        source = Path(dictionary.name)

    def load() -> tuple[dict, int]:
        tokenizer.initialize()
        return tokenizer.FREQ, tokenizer.total

    # marshal.loads of the bytes: a third of the time jieba's own marshal.load(file) takes
    tokenizer.FREQ, tokenizer.total = derived.kept(f"jieba-{jieba.__version__}", source, load)
    tokenizer.initialized = True
    return tokenizer


def _import_jieba() -> None:
    """Import jieba without pkg_resources: jieba's _compat imports it only to open its own dictionary
    file (0.3 s, most of jieba's import time) and opens the file directly when it cannot be imported."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` raises ImportError
    try:
        import jieba  # noqa: F401
    finally:
        if sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]


def tokenizer():
    """jieba's tokenizer, ready (_tokenizer), imported the quick way."""
    _import_jieba()
    return _tokenizer()


# jieba's cuts of the texts already set, kept between builds: a rebuild whose titles, units and
# captions are all known needs neither jieba's dictionary (0.3–0.6 s to load) nor jieba at all.
CUTS_KEPT = 20000  # texts at most; beyond, the file starts afresh
_CUTS: dict[str, tuple[int, ...]] = {}
_NEW_CUTS: set[str] = set()


@functools.cache
def _cuts_file() -> Path | None:
    """Beside _tokenizer's cache, named by jieba's version and its dictionary (unchanged: same cuts)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return None
    try:
        version = importlib.metadata.version("jieba")
        stat = (Path(spec.origin).parent / "dict.txt").stat()
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    name = f"casebook-jieba-cuts-{version}-{stat.st_size}-{stat.st_mtime_ns}-{os.getuid()}.marshal"
    return Path(tempfile.gettempdir()) / name


@functools.cache
def _load_cuts() -> None:
    path = _cuts_file()
    try:
        kept = marshal.loads(path.read_bytes()) if path is not None else {}
    except (OSError, EOFError, ValueError, TypeError):
        return
    if isinstance(kept, dict) and all(isinstance(k, str) and isinstance(v, tuple) for k, v in kept.items()):
        _CUTS.update(kept)


def cut_ends(text: str) -> tuple[int, ...]:
    """Where jieba's words of text end (without its HMM guesses: deterministic, dictionary only)."""
    _load_cuts()
    found = _CUTS.get(text)
    if found is None:
        position, ends = 0, []
        for word in tokenizer().cut(text, HMM=False):
            position += len(word)
            ends.append(position)
        found = _CUTS[text] = tuple(ends)
        _NEW_CUTS.add(text)
    return found


def keep_cuts() -> None:
    """Write the cuts made since the last call to the file the next build reads (a cache: no fsync)."""
    path = _cuts_file()
    if not _NEW_CUTS or path is None:
        return
    kept = _CUTS if len(_CUTS) <= CUTS_KEPT else {text: _CUTS[text] for text in _NEW_CUTS}
    with contextlib.suppress(OSError):
        files.write_bytes(path, marshal.dumps(kept), mode=0o600, durable=False)
    _NEW_CUTS.clear()


def title_terms(texts: Iterable[str]) -> tuple[str, ...]:
    """Terms a line must not split: the given names (units, themes) and the quoted coinages in them."""
    terms = set(DOMAIN_TERMS)
    for text in texts:
        text = (text or "").strip()
        if 2 <= len(text) <= MAX_TERM:
            terms.add(text)
        terms.update(m.group(1) for m in _QUOTED.finditer(text))
    return tuple(sorted(terms))


def word_breaks(text: str, terms: Iterable[str] = DOMAIN_TERMS) -> set[int]:
    """Positions between words (jieba, without its HMM guesses: deterministic and dictionary-only),
    less those inside an occurrence of one of the terms or of a short quoted coinage of the text."""
    return set(_word_breaks(text, tuple(terms)))


@functools.lru_cache(maxsize=4096)  # a title is set on the cover or its page, in the 目录 and in a head
def _word_breaks(text: str, terms: tuple[str, ...]) -> frozenset[int]:
    breaks = set(cut_ends(text))
    for match in _QUOTED.finditer(text):
        breaks.difference_update(range(match.start(1) + 1, match.end(1)))
    for term in terms:
        start = text.find(term)
        while start >= 0:
            breaks.difference_update(range(start + 1, start + len(term)))
            start = text.find(term, start + 1)
    breaks.discard(len(text))
    return frozenset(breaks)


def balanced_lines(
    text: str, max_width: float = 20.0, terms: Iterable[str] | None = DOMAIN_TERMS, breaks: Iterable[int] = ()
) -> list[str]:
    """Split text into the fewest lines of at most max_width ems, as even in width as possible;
    breaks: the editor's forced breaks (character offsets, config/title_marks.py), where a line ends
    whatever its width; a stretch between two of them wider than a line is balanced on its own.

    A dynamic programme over the allowed breaks, line by line. Since the line count is the least
    possible (found greedily first), the k-th break can only lie where k lines reach it and the lines
    left can still hold the rest: a band (lines × max_width − total width) wide, under a line for prose.
    Each break looks back one line only, so the work is about (lines) × (breaks per band) × (breaks per
    line): linear in the length, where the former search over every line count was cubic.
    Text with a stretch no line can hold (a long run of Latin letters) stays on one line.
    With terms (the default: the domain's phrases; None: break between any two characters), breaks
    lie between words only, unless some word is wider than a line.
    """
    forced = sorted({b for b in breaks if 0 < b < len(text)})
    if forced:
        cuts = [0, *forced, len(text)]
        return [
            line for i, j in zip(cuts, cuts[1:], strict=False) for line in balanced_lines(text[i:j], max_width, terms)
        ]
    widths = [1.0 if ord(ch) >= 0x2E80 or ch in WIDE_SYMBOLS else 0.5 for ch in text]  # char_width, inlined
    total = sum(widths)
    if total <= max_width or len(text) < 4:
        return [text]
    prefix = [0.0]
    for value in widths:
        prefix.append(prefix[-1] + value)
    allowed = [i for i in range(1, len(text)) if _allowed(text, i)]
    candidates = [0] + allowed + [len(text)]
    greedy = None
    if terms is not None:  # between words; a word wider than a line falls back to any allowed break
        words = word_breaks(text, terms)
        candidates = [0] + [i for i in allowed if i in words] + [len(text)]
        greedy = _greedy(candidates, prefix, max_width)
        if greedy is None:
            candidates = [0] + allowed + [len(text)]
    if greedy is None:
        greedy = _greedy(candidates, prefix, max_width)
    if greedy is None:
        return [text]
    if len(text) > BALANCE_MAX_CHARS:
        return [text[i:j] for i, j in zip(greedy, greedy[1:], strict=False)]
    cuts = _balanced(text, candidates, prefix, max_width, len(greedy) - 1)
    return [text[i:j] for i, j in zip(cuts, cuts[1:], strict=False)]


def _greedy(candidates: list[int], prefix: list[float], max_width: float) -> list[int] | None:
    """Breaks of the fullest-first filling (it gives the least line count), or None when some stretch
    between two allowed breaks is wider than a line."""
    cuts, last, previous = [0], 0, 0
    for j in candidates[1:]:
        if prefix[j] - prefix[last] > max_width:
            if previous == last or prefix[j] - prefix[previous] > max_width:
                return None
            cuts.append(previous)
            last = previous
        previous = j
    cuts.append(candidates[-1])
    return cuts


def _balanced(text: str, candidates: list[int], prefix: list[float], max_width: float, count: int) -> list[int]:
    """The breaks of `count` lines with the least sum of (width - mean)² less the break bonuses."""
    total, end = prefix[-1], len(text)
    target = total / count
    slack = 1e-9  # float sums: a band edge must not drop a break the greedy filling used
    layer: list[tuple[int, float]] = [(0, 0.0)]  # (break, least cost), breaks ascending
    back: list[dict[int, int]] = []  # per line: its end → its start, on the best path
    for k in range(1, count + 1):
        low, high = total - (count - k) * max_width - slack, k * max_width + slack
        new_layer: list[tuple[int, float]] = []
        links: dict[int, int] = {}
        first = 0  # index in layer of the first start not more than a line before j
        for j in candidates[1:]:
            if prefix[j] < low or (k == count and j != end):
                continue
            if prefix[j] > high:
                break
            while first < len(layer) and prefix[j] - prefix[layer[first][0]] > max_width:
                first += 1
            best, start = math.inf, -1
            for i, cost in layer[first:]:
                if i >= j:
                    break
                value = cost + ((prefix[j] - prefix[i] - target) ** 2 - _bonus(text, j))  # the old sum's order
                if value < best:
                    best, start = value, i
            if start >= 0:
                new_layer.append((j, best))
                links[j] = start
        layer = new_layer
        back.append(links)
    cuts, j = [end], end
    for links in reversed(back):
        j = links[j]
        cuts.append(j)
    return cuts[::-1]
