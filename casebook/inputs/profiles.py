"""Campaign profiles: the rules of one call for cases (categories, sections, limits, quotas)."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml


class ProfileError(ValueError):
    """A profile or an override that cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class Category:
    name: str
    part: str  # the part heading in the printed book, e.g. 企业篇


@dataclass(frozen=True)
class Limits:
    label: str
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    issuer: str = ""
    notice: str | None = None
    categories: tuple[Category, ...] = ()
    themes: tuple[str, ...] = ()
    sections: tuple[tuple[str, ...], ...] = ()  # required first-level sections; alternatives, canonical first
    summary: Limits = Limits("案例概要")
    body: Limits = Limits("正文")
    authors_max: int | None = None
    photos_min: int = 0
    photos_max: int | None = None
    photo_formats: tuple[str, ...] = ("jpeg", "png")
    per_unit: int | None = None
    per_recommender: int | None = None
    recommenders: dict[str, int] = field(default_factory=dict)

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)


RULE_KEYS = ("categories", "themes", "sections", "summary", "body", "authors_max", "photos", "quota")


@functools.cache
def _available() -> tuple[str, ...]:
    folder = resources.files("casebook.inputs") / "profiles"
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml")))


def available() -> list[str]:
    return list(_available())


def raw(profile_id: str) -> dict:
    """The built-in profile as a fresh mapping (callers may merge into it)."""
    return copy.deepcopy(_parsed(profile_id))


@functools.cache
def _parsed(profile_id: str) -> dict:
    # Built-in profiles ship with the package and never change while it runs: parse each once.
    path = resources.files("casebook.inputs") / "profiles" / f"{profile_id}.yml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def merge(base: dict, override: dict) -> dict:
    """Mappings merge key by key; lists and scalars replace."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def build(data: dict) -> Profile:
    """Turn a raw (possibly overridden) profile mapping into a Profile, or raise ProfileError."""
    try:
        return _build(data)
    except ProfileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ProfileError(f"规则写法有误（{type(error).__name__}: {error}）") from None


def _optional_int(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProfileError(f"{what} 应为非负整数或 null")
    return value


def _limits(value: dict | None, default_label: str, what: str) -> Limits:
    value = value or {}
    if not isinstance(value, dict):
        raise ProfileError(f"{what} 应为 {{label, min, max}}")
    return Limits(
        str(value.get("label") or default_label),
        _optional_int(value.get("min"), f"{what}.min"),
        _optional_int(value.get("max"), f"{what}.max"),
    )


def _build(data: dict) -> Profile:
    for key in ("categories", "themes", "sections"):
        if not isinstance(data.get(key) or [], list):
            raise ProfileError(f"{key} 应为列表，如 {key}: [甲, 乙]")
    categories = []
    for item in data.get("categories") or []:
        if isinstance(item, str):
            categories.append(Category(item, f"{item}篇"))
        else:
            categories.append(Category(str(item["name"]), str(item.get("part") or f"{item['name']}篇")))
    sections = []
    for item in data.get("sections") or []:
        names = (item,) if isinstance(item, str) else tuple(str(n) for n in item)
        if not names:
            raise ProfileError("sections 中有空项")
        sections.append(names)
    photos = data.get("photos") or {}
    quota = data.get("quota") or {}
    formats = tuple(str(f).lower() for f in photos.get("formats") or ("jpeg", "png"))
    formats = tuple("jpeg" if f == "jpg" else f for f in formats)
    if not set(formats) <= {"jpeg", "png"}:
        raise ProfileError("photos.formats 只能是 jpeg 和/或 png")
    recommenders = quota.get("recommenders") or {}
    return Profile(
        id=str(data["id"]),
        name=str(data.get("name") or data["id"]),
        issuer=str(data.get("issuer") or ""),
        notice=data.get("notice"),
        categories=tuple(categories),
        themes=tuple(str(t) for t in data.get("themes") or ()),
        sections=tuple(sections),
        summary=_limits(data.get("summary"), "案例概要", "summary"),
        body=_limits(data.get("body"), "正文", "body"),
        authors_max=_optional_int(data.get("authors_max"), "authors_max"),
        photos_min=_optional_int(photos.get("min"), "photos.min") or 0,
        photos_max=_optional_int(photos.get("max"), "photos.max"),
        photo_formats=formats,
        per_unit=_optional_int(quota.get("per_unit"), "quota.per_unit"),
        per_recommender=_optional_int(quota.get("per_recommender"), "quota.per_recommender"),
        recommenders={str(k): int(v) for k, v in recommenders.items()},
    )


def load(profile_id: str, overrides: dict | None = None) -> Profile:
    if profile_id not in available():
        raise KeyError(profile_id)
    unknown = sorted(set(overrides or {}) - set(RULE_KEYS))
    if unknown:
        raise ProfileError(f"rules 中有未知规则：{'、'.join(unknown)}（可用：{'、'.join(RULE_KEYS)}）")
    return build(merge(raw(profile_id), overrides or {}))
