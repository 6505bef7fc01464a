"""Rendered case bodies cached by content: Markdown → sanitised HTML → engine Markdown is the
generator's main cost, and an unchanged case (same body, same photos, same slug) renders the same."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from casebook.util import files

RENDER_VERSION = "3"  # bump when the rendering of case bodies changes (3: always sanitised HTML)
_TOOLS = "|".join(f"{name}={version(name)}" for name in ("Markdown", "nh3", "pymdown-extensions"))


class RenderCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._old: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._old = {}
        self._new: dict[str, str] = {}
        self.misses = 0

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256(f"{RENDER_VERSION}|{_TOOLS}".encode())
        for part in parts:
            digest.update(b"\x00" + part.encode("utf-8"))
        return digest.hexdigest()[:40]

    def get(self, key: str, make) -> str:
        value = self._new.get(key)
        if value is None:
            value = self._old.get(key)
            if value is None:
                value = make()
                self.misses += 1
            self._new[key] = value
        return value

    def save(self) -> None:
        """Keep exactly the entries used by this build."""
        if self._new == self._old:
            return
        files.write_text(self.path, json.dumps(self._new, ensure_ascii=False, sort_keys=True))
