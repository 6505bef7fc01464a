"""Memoising pure functions of long texts (a case body, a front matter) by a digest of the text.

`serve`, `check` after `build`, and a test session read the same case files again and again: parsing
them once per content per process is a fifth of the work of loading a collection. The cache keeps a
digest, not the text, so a national collection costs kilobytes; results must be immutable (or copied
by the caller)."""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _key(args: tuple) -> tuple:
    return tuple(hashlib.blake2b(a.encode(), digest_size=16).digest() if isinstance(a, str) else a for a in args)


def by_content(maxsize: int = 8192) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Least-recently-used cache of a function of positional arguments (str arguments by digest)."""

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        cache: OrderedDict[tuple, T] = OrderedDict()

        @functools.wraps(function)
        def cached(*args):
            key = _key(args)
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
            value = cache[key] = function(*args)
            if len(cache) > maxsize:
                cache.popitem(last=False)
            return value

        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cached

    return decorate
