"""How much a body asks of Python-Markdown, so that `check` can refuse what the site and the book
could not render in reasonable time or without running out of stack.

Inline work: the link patterns (link, image, reference, footnote …) look for the `]` that closes a
`[`, and after `](` for the `)` that closes the target, character by character in Python (getText,
getLink); an unclosed one reads to the end of its text, so 30 000 `[` take minutes. The other
patterns (code spans on a backtick, raw HTML and autolinks on `<`, emphasis on `*` and `_`, …) use
regular expressions that may read from their opening symbol to the end as well, much faster per
character; and every match rebuilds the text. A text's work is counted as that many characters read,
weighted by what reading one costs; a title in a link's target (a quote) may make getLink read to the
end, so it is counted so. The weights and the limit are measured: tests/test_limits.py parses the
worst inputs just under the limit. Prose with its few links costs well under a thousandth of it.

Nesting: Python-Markdown parses lists and quotes recursively and runs out of stack at about 250 list
levels (fewer when it is called deeper in the stack, 200 lists in quotes); cases use three at most.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# What one character after a symbol costs (read by a regular expression, copied when a match rebuilds
# the text), in units of a character read by the link patterns (about 0.6 µs, Python-Markdown 3.11).
# For `[` this comes on top of what getText and getLink read: tens of thousands of links are slow too.
# A line break counts only as a hard one (after two spaces): soft ones cost the parser nothing.
WEIGHTS = {"[": 0.005, "`": 0.1, "<": 0.1, "*": 0.1, "_": 0.1, "&": 0.01, "\\": 0.01, "\n": 0.01}
_SYMBOLS = re.compile(r"[\]()'\"" + re.escape("".join(WEIGHTS)) + "]")

WORK_MAX = 150_000  # per body: about 0.2 s of inline patterns in each output at most
NESTING_MAX = 10  # list and quote levels (Python-Markdown's own limit is about 250; cases use 3)
NESTING_TAGS = frozenset({"ul", "ol", "blockquote", "dl"})
PARSE_DEPTH_MAX = 4 * NESTING_MAX  # scanner recursion; a list level takes 2 calls: beyond it, far too deep


def markup_work(text: str) -> tuple[int, int]:
    """(estimated inline work, number of symbols that open a pattern) of one inline text; linear."""
    end, work, symbols = len(text), 0.0, 0
    brackets: list[int] = []  # "[" not closed yet
    parens: list[int] = []
    closes: dict[int, int] = {}  # "(" → its ")"
    targets: list[int] = []  # "(" right after a "]" that closes a "[": getLink reads from there
    quotes: list[int] = []
    for match in _SYMBOLS.finditer(text):
        char, at = match.group(), match.start()
        if char == "[":
            brackets.append(at)
            work += WEIGHTS[char] * (end - at)
            symbols += 1
        elif char == "]":
            if brackets:
                work += at - brackets.pop()
                if text.startswith("(", at + 1):
                    targets.append(at + 1)
        elif char == "(":
            parens.append(at)
        elif char == ")":
            if parens:
                closes[parens.pop()] = at
        elif char in "'\"":
            quotes.append(at)
        elif char != "\n":
            work += WEIGHTS[char] * (end - at)
            symbols += 1
        elif text[max(0, at - 2) : at] == "  ":  # a hard line break; a soft one costs nothing
            work += WEIGHTS[char] * (end - at)
    work += sum(end - at for at in brackets)
    for at in targets:
        close = closes.get(at)
        quoted = close is not None and bisect_right(quotes, at) < bisect_right(quotes, close)
        work += end - at if close is None or quoted else close - at
    return int(work), symbols
