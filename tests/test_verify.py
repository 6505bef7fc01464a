"""The forbidden-value scanner (publish/verify.py) and the many-word search under it
(util/multisearch.py): leftmost match first, the longest there, as a brute-force search finds it."""

import random

from casebook.publish import verify
from casebook.publish.views import Forbidden
from casebook.util.multisearch import Words

VALUES = {"王联系": "联系方式", "13900000001": "联系方式", "139": "联系方式", "未公开的案例标题": "未公开案例",
          "contact1@bench-example.cn": "联系方式", "单位": "未公开案例"}  # fmt: skip
SCANNER = verify.Scanner(Forbidden(VALUES))


def _leftmost_longest(words: list, text) -> list:
    """The reference: at each position from the left, the longest word starting there; then on after it."""
    found, at = [], 0
    while at < len(text):
        here = [w for w in words if text.startswith(w, at)]
        if here:
            word = max(here, key=len)
            found.append((at, at + len(word), word))
            at += len(word)
        else:
            at += 1
    return found


def test_words_find_what_a_brute_force_search_finds_in_random_text():
    rng = random.Random(5)
    words = ["联系", "联系人", "系人电", "139", "13900", "1390000000", "人", "00"]
    pieces = [*words, "电话", "0", "x", "联"]
    search, found = Words(words), 0
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 10)))
        expected = _leftmost_longest(words, text)
        assert list(search.finditer(text)) == expected, text
        as_bytes = Words([w.encode() for w in words])
        assert as_bytes.findall(text.encode()) == [w.encode() for _, _, w in expected], text
        found += bool(expected)
    assert 100 < found < 500  # both outcomes were tried


def test_the_scanner_reports_the_reason_of_the_leftmost_value():
    rng = random.Random(7)
    pieces = [v.encode() for v in VALUES] + [b"&lt;", b"\\u738b", "联".encode(), b"1390000000", b"x"]
    for _ in range(300):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        expected = _leftmost_longest([v.encode() for v in VALUES], data)
        assert SCANNER.search(data) == (VALUES[expected[0][2].decode()] if expected else None), data


def test_the_scanner_finds_escaped_and_utf16_forms():
    assert SCANNER.search(b"<p>\\u738b\\u8054\\u7cfb</p>") == "联系方式"
    assert SCANNER.search(b"<p>\\U738b\\U8054\\U7cfb</p>") == "联系方式"
    assert SCANNER.search("标题：未公开的案例标题".encode("utf-16-le")) == "未公开案例"
    assert SCANNER.search(b"nothing here") is None


def test_an_empty_set_of_words_finds_nothing():
    assert Words([]).first("任何文字") is None
    assert verify.Scanner(Forbidden({})).search(b"13900000001") is None
