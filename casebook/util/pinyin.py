"""pypinyin's readings, remembered on disk beside the collection (.cache/pinyin/<version>.json).

pypinyin takes about 0.5 s to load its dictionaries and about a millisecond a name, and every build
of a collection meets the same thousands of unit names, titles and folder names again (sort keys,
slugs). A reading depends only on the text, the style and pypinyin's version, which names the file.
Only the main process saves (a loader worker hands its new readings to it: learn); a missing
or damaged file is an empty memo, never an error.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import multiprocessing.util
import os
from pathlib import Path

STYLES = ("tone3", "normal")  # tone3: 'zhong4' with neutral tone 5 (sort keys); normal: 'zhong' (slugs)

_MEMO: dict[str, list[str]] = {}
_FRESH: dict[str, list[str]] = {}  # computed by this process since the last fresh()
_STATE: dict = {"file": None, "dirty": False, "loaded": set(), "saver": 0}


def readings(text: str, style: str) -> list[str]:
    """lazy_pinyin of ``text`` in ``style``, one item per syllable or unread character run (a copy:
    callers may change it)."""
    key = f"{style}\0{text}"
    found = _MEMO.get(key)
    if found is None:
        found = _MEMO[key] = _FRESH[key] = _compute(text, style)
        _STATE["dirty"] = True
    return list(found)


def _compute(text: str, style: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # imported only when some text is new

    if style == "tone3":
        return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=list)
    if style == "normal":
        return lazy_pinyin(text, style=Style.NORMAL, errors=list)
    raise ValueError(f"unknown pinyin style {style!r}; expected one of {STYLES}")


def fresh() -> dict[str, list[str]]:
    """The readings this process computed since the last call (a worker's, handed to the main process)."""
    found = dict(_FRESH)
    _FRESH.clear()
    return found


def learn(found: dict[str, list[str]]) -> None:
    """Readings another process computed (fresh()), remembered and saved with this process's."""
    before = len(_MEMO)
    _merge(found)
    if len(_MEMO) != before:
        _STATE["dirty"] = True


def preload() -> None:
    """Import pypinyin now (0.5 s): before forking workers that will all need it."""
    import pypinyin  # noqa: F401


def use_store(cache: Path) -> None:
    """Remember readings in ``cache``/pinyin/ (a collection's .cache): what it holds is read once per
    process, and the memo is saved there when the process ends (or the store changes)."""
    target = cache / "pinyin" / f"{_version()}.json"
    if _STATE["file"] != target:
        save()
        _STATE["file"] = target
    if target not in _STATE["loaded"]:
        _STATE["loaded"].add(target)
        try:
            _merge(json.loads(target.read_bytes()))
        except (OSError, ValueError):  # missing or damaged: written again when the process ends
            _STATE["dirty"] = True
    if _STATE["saver"] != os.getpid():
        _STATE["saver"] = os.getpid()
        multiprocessing.util.Finalize(None, save, exitpriority=10)  # atexit, main process only


def _merge(loaded: object) -> None:
    if isinstance(loaded, dict):
        for key, value in loaded.items():
            if isinstance(key, str) and isinstance(value, list) and all(isinstance(v, str) for v in value):
                _MEMO.setdefault(key, value)


def save() -> None:
    """Write the memo to the current store if it holds something new (main process only)."""
    target = _STATE["file"]
    if target is None or not _STATE["dirty"] or multiprocessing.parent_process() is not None:
        return
    if not target.parents[2].is_dir():  # the collection itself is gone: never make its folders again
        return
    from casebook.util import files

    _STATE["dirty"] = False
    with contextlib.suppress(OSError):  # a read-only collection is built all the same
        _drop_other_versions(target)
        data = json.dumps(_MEMO, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files.write_bytes(target, data.encode("utf-8"), durable=False)


def _drop_other_versions(target: Path) -> None:
    if target.parent.is_dir():
        for other in target.parent.glob("*.json"):
            if other != target:
                other.unlink(missing_ok=True)


@functools.cache
def _version() -> str:  # importlib.metadata reads the installed distributions: 10 ms, once a process
    from importlib.metadata import version

    return version("pypinyin")


def forget() -> None:
    """Save, then drop what this process remembers (for tests)."""
    save()
    _MEMO.clear()
    _FRESH.clear()
    _STATE.update(file=None, dirty=False, loaded=set())
