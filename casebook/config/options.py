"""Declared options: each turns what YAML gave into a typed value, or a Problem for the checker.

The shape follows MkDocs' config_options: an option knows its default, validates one value and
describes itself for the editors' guide. A problem never stops validation: the option falls back to
its default, so one run reports every mistake in the file.
"""

from __future__ import annotations

import re
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
    """A line of text. Numbers (and dates, unless ``dates`` is off) are read as the text they were
    written as; blank means default."""

    kind = "文字"

    def __init__(self, default: str = "", label: str = "", doc: str = "", shown: str = "", dates: bool = True) -> None:
        super().__init__(default, label, doc, shown)
        self.dates = dates

    def convert(self, value: object, key: str) -> str | Problem:
        if isinstance(value, bool) or not (
            isinstance(value, (str, int, float)) or (self.dates and hasattr(value, "isoformat"))
        ):
            return self.wrong_type(value, key)
        return str(value).strip() or self.default


class TextList(Option[list]):
    """Several short texts: a YAML list, or one line with 、，, ； or spaces between them (editors write
    both: ``themes: [甲, 乙]`` and ``themes: 甲、乙``). Blank items are dropped."""

    kind = "文字列表（如 [张三, 李四]）"
    SEPARATORS = re.compile(r"[、，,；;\s]+")

    def __init__(self, label: str = "", doc: str = "") -> None:
        super().__init__([], label, doc)

    def convert(self, value: object, key: str) -> list | Problem:
        if isinstance(value, str):
            return [part for part in self.SEPARATORS.split(value.strip()) if part]
        if isinstance(value, list) and all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in value):
            return [str(i).strip() for i in value if str(i).strip()]
        return self.wrong_type(value, key)


class Items(Option[list]):
    """A YAML list handed on whole, for a module that checks its items one by one (a case's photos)."""

    def __init__(self, kind: str, label: str = "", doc: str = "") -> None:
        super().__init__([], label, doc)
        self.kind = kind

    def convert(self, value: object, key: str) -> list | Problem:
        return value if isinstance(value, list) else self.wrong_type(value, key)


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
    as it is, for a module that checks its own keys (the campaign rules: ``Overrides`` below, in
    casebook/config/profile_schema.py)."""

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

    def convert(self, value: object, key: str) -> T | Problem:
        """Without a schema: the mapping as it is (its module checks the keys)."""
        if self.schema is not None:
            raise TypeError("a Mapping with a schema validates; it does not convert")
        return value if isinstance(value, dict) else self.wrong_type(value, key)  # type: ignore[return-value]

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


class Colour(Option[str]):
    """A colour for inline styles, ``#RRGGBB`` (or ``#RGB``; the ``#`` may be left out), normalised to
    lower-case ``#rrggbb``. Nothing else passes: the value is written into style attributes."""

    kind = "颜色（#RRGGBB，请加引号）"

    def __init__(self, default: str, label: str = "", doc: str = "") -> None:
        super().__init__(default, label, doc)

    def convert(self, value: object, key: str) -> str | Problem:
        if not isinstance(value, str):
            return self.wrong_type(value, key)
        word = value.strip().lstrip("#").lower()
        if len(word) == 3:
            word = "".join(c * 2 for c in word)
        if len(word) != 6 or any(c not in "0123456789abcdef" for c in word):
            allowed = '#RRGGBB 形式的十六进制颜色，如 "#b71c1c"'
            return Problem(key, "E605", {"key": key, "value": value.strip(), "allowed": allowed, "hint": ""})
        return "#" + word


# --- containers and variants (the campaign profiles, casebook/config/profile_schema.py) ------------


class Required(Option[T]):
    """``option``, but it must be written: absent, ``null`` or blank is a type problem (E603)."""

    def __init__(self, option: Option[T]) -> None:
        super().__init__(option.default, option.label, option.doc, option.shown)
        self.option = option
        self.kind = option.kind

    def validate(self, value: object, key: str, problems: list[Problem]) -> T:
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(self.wrong_type(value, key))
            return self.default
        return self.option.validate(value, key, problems)

    def shown_default(self) -> str:
        return "必填"


class OptionalInt(Int):
    """A whole number, or ``null`` (the default) for “no limit”."""

    def __init__(self, label: str = "", doc: str = "", minimum: int | None = 0) -> None:
        super().__init__(None, label, doc, minimum)  # type: ignore[arg-type]
        self.kind += "，或 null（不限）"

    def shown_default(self) -> str:
        return "`null`（不限）"


class ListOf(Option[tuple]):
    """A YAML list whose every item is validated by ``item``; the result is a tuple. An item with an
    error is reported at its index (``key.0``) and left out. An empty list is the default, unless
    ``min_items`` asks for more."""

    def __init__(
        self,
        item: Option,
        default: tuple = (),
        label: str = "",
        doc: str = "",
        min_items: int = 0,
        kind: str = "",
    ) -> None:
        super().__init__(default, label, doc)
        self.item = item
        self.min_items = min_items
        self.kind = kind or (f"至少 {min_items} 项的列表" if min_items else "列表") + f"，每项为{item.kind}"

    def validate(self, value: object, key: str, problems: list[Problem]) -> tuple:
        if value is None:
            return self.default
        if not isinstance(value, list):
            problems.append(self.wrong_type(value, key))
            return self.default
        if len(value) < self.min_items:
            actual = f"只有 {len(value)} 项的列表" if value else "空列表"
            problems.append(Problem(key, "E603", {"key": key, "expected": self.kind, "actual": actual}))
            return self.default
        items = []
        for index, element in enumerate(value):
            where = join(key, index)
            if element is None:
                problems.append(self.item.wrong_type(element, where))
                continue
            found: list[Problem] = []
            typed = self.item.validate(element, where, found)
            problems.extend(found)
            if not any(p.is_error for p in found):
                items.append(typed)
        return tuple(items) if items or value else self.default

    def shown_default(self) -> str:
        return "空列表" if self.default == () else "、".join(f"`{v}`" for v in self.default)


class TextOr(Option[T]):
    """A name alone, or the longer form ``other`` declares (a mapping or a list): a name ``n`` is
    ``from_text(n)``, e.g. a category ``企业`` is ``{name: 企业}``."""

    def __init__(self, other: Option[T], from_text: Callable[[str], T], label: str = "", doc: str = "") -> None:
        super().__init__(other.default, label, doc)
        self.other = other
        self.from_text = from_text
        self.kind = f"文字，或{other.kind}"

    def validate(self, value: object, key: str, problems: list[Problem]) -> T:
        if isinstance(value, (dict, list)):
            return self.other.validate(value, key, problems)
        written = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        if not written or not str(value).strip():
            problems.append(self.wrong_type(value, key))
            return self.default
        return self.from_text(str(value).strip())


class MappingOf(Option[dict]):
    """``名称: 值`` pairs with names of the editors' choosing (units, recommenders); each value is
    validated by ``value`` at ``key.名称``, and a value with an error is left out."""

    def __init__(self, value: Option, label: str = "", doc: str = "") -> None:
        super().__init__({}, label, doc)
        self.value = value
        self.kind = f"“名称: {value.kind}”的映射"

    def validate(self, value: object, key: str, problems: list[Problem]) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(self.wrong_type(value, key))
            return {}
        typed = {}
        for name, item in value.items():
            found: list[Problem] = []
            result = self.value.validate(item, join(key, name), found)
            problems.extend(found)
            if not any(p.is_error for p in found):
                typed[str(name)] = result
        return typed

    def shown_default(self) -> str:
        return "空映射"


class Overrides(Option[dict]):
    """Changes to a declared mapping, to be merged into it (mappings key by key, anything else
    replaced): only the keys written are validated, nested mappings key by key as they merge; keys
    ``mapping`` does not declare are reported (W604, with a did-you-mean, or ``fixed_hint`` for the
    ``fixed`` keys that exist but may not be changed). The result is what was written, less the values
    with an error, ready for the merge."""

    kind = "“键: 值”的映射"

    def __init__(
        self,
        mapping: Mapping,
        fixed: tuple[str, ...] = (),
        fixed_hint: str = "",
        label: str = "",
        doc: str = "",
    ) -> None:
        super().__init__({}, label, doc)
        self.mapping = mapping
        self.fixed = fixed
        self.fixed_hint = fixed_hint

    def validate(self, value: object, key: str, problems: list[Problem]) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(self.wrong_type(value, key))
            return {}
        return self._written(self.mapping, value, key, problems, top=True)

    def _written(self, mapping: Mapping, value: dict, key: str, problems: list[Problem], top: bool = False) -> dict:
        schema = mapping.schema or {}
        kept = {}
        for name, item in value.items():
            where = join(key, name)
            option = schema.get(str(name))
            if option is None:
                fixed = top and str(name) in self.fixed
                hint = self.fixed_hint if fixed else did_you_mean(str(name), list(schema))
                problems.append(Problem(where, "W604", {"key": where, "hint": hint}))
                continue
            if isinstance(option, Mapping) and option.schema is not None and isinstance(item, dict):
                kept[name] = self._written(option, item, where, problems)
                continue
            found: list[Problem] = []
            option.validate(item, where, found)
            problems.extend(found)
            if not any(p.is_error for p in found):
                kept[name] = item
        return kept

    def shown_default(self) -> str:
        return "—"
