"""Diagnostics: what the checker tells editors, with a stable code and a file position."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from casebook.codes import MESSAGES, severity


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the collection root, with forward slashes
    line: int | None  # 1-based; None when the finding concerns a whole folder
    code: str
    message: str

    @property
    def severity(self) -> str:
        return severity(self.code)

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.code} {self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Report:
    """Collects diagnostics from every stage; nothing is ever swallowed."""

    items: list[Diagnostic] = field(default_factory=list)
    checked: int = 0  # case folders examined, loadable or not

    def add(self, path: str, line: int | None, code: str, **values: object) -> None:
        self.items.append(Diagnostic(path, line, code, MESSAGES[code].format(**values)))

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        # By file, then line (folder-level findings first), then code; ties keep the order in which
        # the checks found them (e.g. missing sections in the profile's order). Duplicates dropped.
        return sorted(dict.fromkeys(self.items), key=lambda d: (d.path, d.line or 0, d.code))

    def to_json(self) -> str:
        return json.dumps([d.as_dict() for d in self.sorted()], ensure_ascii=False, indent=2)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A Chinese "did you mean" suffix, or "" when nothing is close."""
    import difflib

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"，是不是“{match[0]}”？" if match else ""
