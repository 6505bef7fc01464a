"""Declared options: each turns what YAML gave into a typed value, or a Problem for the checker.

The shape follows MkDocs' config_options: an option knows its default, validates one value and
describes itself for the editors' guide. A problem never stops validation: the option falls back to
its default, so one run reports every mistake in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from casebook.codes import MESSAGES
from casebook.diagnostics import did_you_mean

T = TypeVar("T")

TRUE_WORDS = ("是", "对", "真", "开", "要", "true", "yes", "on")
FALSE_WORDS = ("否", "错", "假", "关", "不要", "false", "no", "off")


@dataclass(frozen=True)
class Problem:
    """One finding: a code from casebook/codes.py, its message values, the dotted key it concerns."""

    key: str
    code: str
    values: dict[str, object] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")


def type_name(value: object) -> str:
    """How a YAML value looks to an editor."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"整数 {value}"
    if isinstance(value, float):
        return f"小数 {value}"
    if isinstance(value, str):
        return f"文字“{value[:20]}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if hasattr(value, "isoformat"):
        return f"日期 {value}"
    if isinstance(value, (bytes, bytearray)):
        return "二进制数据"
    if isinstance(value, (set, frozenset)):
        return "集合"
    return "其他类型"


def join(prefix: str, name: object) -> str:
    return f"{prefix}.{name}" if prefix else str(name)


class Option(Generic[T]):
    """A declared value. Subclasses implement ``convert`` (and ``kind``, the 写法 in the guide)."""

    kind = ""

    def __init__(self, default: T, label: str = "", doc: str = "", shown: str = "") -> None:
        self.default = default
        self.label = label  # what the key means, in Chinese
        self.doc = doc  # more about it, for the guide
        self.shown = shown  # what the default means, when its value alone doesn't say

    def validate(self, value: object, key: str, problems: list[Problem]) -> T:
        """The typed value; on a problem, record it and fall back to the default."""
        if value is None:
            return self.default
        result = self.convert(value, key)
        if isinstance(result, Problem):
            problems.append(result)
            return self.default
        return result

    def convert(self, value: object, key: str) -> T | Problem:
        raise NotImplementedError

    def wrong_type(self, value: object, key: str) -> Problem:
        return Problem(key, "E603", {"key": key, "expected": self.kind, "actual": type_name(value)})

    def shown_default(self) -> str:
        """The default as the guide shows it."""
        return self.shown or (f"`{self.default}`" if self.default not in ("", None) else "空")


class Text(Option[str]):
    """A line of text. Numbers and dates are read as the text they were written as; blank means default."""

    kind = "文字"

    def __init__(self, default: str = "", label: str = "", doc: str = "", shown: str = "") -> None:
        super().__init__(default, label, doc, shown)

    def convert(self, value: object, key: str) -> str | Problem:
        if isinstance(value, bool) or not (isinstance(value, (str, int, float)) or hasattr(value, "isoformat")):
            return self.wrong_type(value, key)
        return str(value).strip() or self.default


class Int(Option[int]):
    """A whole number, at least ``minimum`` when given."""

    def __init__(self, default: int, label: str = "", doc: str = "", minimum: int | None = None) -> None:
        super().__init__(default, label, doc)
        self.minimum = minimum
        self.kind = "整数" if minimum is None else f"不小于 {minimum} 的整数"

    def convert(self, value: object, key: str) -> int | Problem:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, key)
        if self.minimum is not None and value < self.minimum:
            return self.wrong_type(value, key)
        return value


class Bool(Option[bool]):
    """Yes or no, in the words editors use: YAML's true/false, or 是/否 and the other pairs listed."""

    kind = "是或否"

    def convert(self, value: object, key: str) -> bool | Problem:
        if isinstance(value, bool):
            return value
        word = value.strip().casefold() if isinstance(value, str) else None
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        values = {"key": key, "actual": type_name(value), "yes": words(TRUE_WORDS), "no": words(FALSE_WORDS)}
        return Problem(key, "E606", values)

    def shown_default(self) -> str:
        return "是（`true`）" if self.default else "否（`false`）"


def yes_no(value: object) -> bool | None:
    """True/False for YAML booleans and the yes/no words (是/否 …), None for anything else."""
    if isinstance(value, bool):
        return value
    word = value.strip().casefold() if isinstance(value, str) else None
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def words(choices: tuple[str, ...]) -> str:
    return "、".join(choices)


class Choice(Option[str]):
    """One of a few values. ``choices`` maps each typed value to the words that mean it (the first is
    the one shown); matching ignores case and surrounding spaces."""

    def __init__(self, choices: dict[str, tuple[str, ...]], default: str, label: str = "", doc: str = "") -> None:
        if default not in choices:
            raise ValueError(f"{default!r} is not one of {list(choices)}")
        super().__init__(default, label, doc)
        self.choices = choices
        self.kind = " 或 ".join(spelled[0] for spelled in choices.values())
        self._lookup = {word.casefold(): typed for typed, spelled in choices.items() for word in spelled}

    def convert(self, value: object, key: str) -> str | Problem:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return self.wrong_type(value, key)
        word = str(value).strip()
        if word.casefold() in self._lookup:
            return self._lookup[word.casefold()]
        shown = [spelled[0] for spelled in self.choices.values()]
        allowed = [w for spelled in self.choices.values() for w in spelled]
        hint = did_you_mean(word, allowed)
        return Problem(key, "E605", {"key": key, "value": word, "allowed": "、".join(shown), "hint": hint})

    def shown_default(self) -> str:
        return f"`{self.choices[self.default][0]}`"


class Mapping(Option[T]):
    """``键: 值`` pairs. With a schema, each key is validated by its option, unknown keys are reported
    (with a did-you-mean) and the result is ``into(**values)``; without one, the mapping is handed on
    as it is, for a module that checks its own keys (the campaign rules)."""

    kind = "“键: 值”的映射"

    def __init__(
        self,
        schema: dict[str, Option] | None = None,
        into: Callable[..., T] = dict,
        label: str = "",
        doc: str = "",
    ) -> None:
        self.schema = schema
        self.into = into
        default = into(**{name: option.default for name, option in schema.items()}) if schema else into()
        super().__init__(default, label, doc)

    def validate(self, value: object, key: str, problems: list[Problem]) -> T:
        if value is None:  # a fresh mapping when it is a plain dict: callers must not share one
            return self.into() if self.schema is None else self.default
        if not isinstance(value, dict):
            problems.append(self.wrong_type(value, key))
            return self.default
        if self.schema is None:
            return value  # type: ignore[return-value]
        for name in value:
            if str(name) not in self.schema:
                hint = did_you_mean(str(name), list(self.schema))
                problems.append(Problem(join(key, name), "W604", {"key": join(key, name), "hint": hint}))
        typed = {
            name: option.validate(value.get(name), join(key, name), problems) for name, option in self.schema.items()
        }
        return self.into(**typed)

    def shown_default(self) -> str:
        return "—"

    def typed(self, value: dict, key: str = "") -> T:
        """``value`` validated, for code that builds settings itself; raises ValueError on any error."""
        problems: list[Problem] = []
        result = self.validate(value, key, problems)
        errors = [f"{p.code} {MESSAGES[p.code].format(**p.values)}" for p in problems if p.is_error]
        if errors:
            raise ValueError("；".join(errors))
        return result

    def options(self, prefix: str = "") -> list[tuple[str, Option]]:
        """Every declared option, depth first, with its dotted key: what the guide lists."""
        found: list[tuple[str, Option]] = []
        for name, option in (self.schema or {}).items():
            found.append((join(prefix, name), option))
            if isinstance(option, Mapping):
                found.extend(option.options(join(prefix, name)))
        return found
