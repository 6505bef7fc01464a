"""The forbidden-value scanner (publish/verify.py): the window used for a few pages finds exactly what
the compiled alternation finds, leftmost match first, the longest there."""

import random

from casebook.publish import verify
from casebook.publish.views import Forbidden

VALUES = {"王联系": "联系方式", "13900000001": "联系方式", "139": "联系方式", "未公开的案例标题": "未公开案例",
          "contact1@bench-example.cn": "联系方式", "单位": "未公开案例"}  # fmt: skip


WINDOW, COMPILED = verify.Scanner(Forbidden(VALUES)), verify.Scanner(Forbidden(VALUES))
WINDOW.budget = 1 << 40  # never compiles
COMPILED.compile()


def _both(data: bytes) -> tuple:
    found = WINDOW.search(data), COMPILED.search(data)
    assert WINDOW.pattern is None
    return found


def test_window_and_compiled_scanners_agree_on_random_text():
    rng = random.Random(5)
    pieces = [v.encode() for v in VALUES] + ["&lt;", "\\u738b", "联", "1390000000", "x", "单"]
    pieces = [p if isinstance(p, bytes) else p.encode() for p in pieces]
    found = 0
    for _ in range(400):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        window, compiled = _both(data)
        assert window == compiled, data
        found += window is not None
    assert 50 < found < 400  # both outcomes were tried


def test_the_window_finds_escaped_forms_and_reports_the_reason():
    assert _both(b"<p>\\u738b\\u8054\\u7cfb</p>") == ("联系方式", "联系方式")
    assert _both("标题：未公开的案例标题".encode("utf-16-le")) == ("未公开案例", "未公开案例")
    assert _both(b"nothing here") == (None, None)


def test_many_bytes_compile_the_alternation_once():
    scanner = verify.Scanner(Forbidden(VALUES))
    scanner.search(b"a" * 1000)
    assert scanner.pattern is None
    assert scanner.search(b"b" * scanner.budget + "王联系".encode()) == "联系方式"
    assert scanner.pattern is not None
