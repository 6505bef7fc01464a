"""Campaign profiles: the rules of one call for cases (categories, sections, limits, quotas).

The keys, types and defaults live in casebook/config/profile_schema.py; this module finds the
built-in profiles, merges a collection's ``rules`` into one and types the result with that schema.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources

import yaml

from casebook.codes import MESSAGES
from casebook.config.options import Problem
from casebook.config.profile_schema import PROFILE, RULE_KEYS, RULES, Category, Limits, Profile

__all__ = ["RULE_KEYS", "Category", "Limits", "Profile", "ProfileError", "available", "build", "load", "merge", "raw"]


class ProfileError(ValueError):
    """A profile or an override that cannot be used; the message is Chinese."""


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


def build(data: dict, where: str = "规则") -> Profile:
    """Turn a raw (possibly overridden) profile mapping into a Profile, or raise ProfileError."""
    problems: list[Problem] = []
    profile = PROFILE.validate(data, "", problems)
    if problems:
        raise ProfileError(f"{where}有误：{_described(problems)}")
    return profile


def _described(problems: list[Problem]) -> str:
    return "；".join(f"{p.code} {MESSAGES[p.code].format(**p.values)}" for p in problems)


def load(profile_id: str, overrides: dict | None = None, problems: list[Problem] | None = None) -> Profile:
    """The built-in profile ``profile_id`` with ``overrides`` (content/settings.yml's ``rules``) merged in.

    The overrides are validated by RULES at the keys ``rules.…``: their problems go to ``problems``
    (the settings loader reports them at their lines), and a value with an error is left out, the
    built-in one kept. Without a list, any problem raises ProfileError. KeyError: no such profile.
    """
    if profile_id not in available():
        raise KeyError(profile_id)
    found: list[Problem] = []
    written = RULES.validate(overrides, "rules", found)
    if problems is None and found:
        raise ProfileError(f"rules 有误：{_described(found)}")
    if problems is not None:
        problems.extend(found)
    return build(merge(raw(profile_id), written), f"内置规则 casebook/inputs/profiles/{profile_id}.yml ")
