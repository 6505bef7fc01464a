"""Collection settings (content/settings.yml): read, validated by the declared schema, typed.

The keys, types and defaults live in casebook/config/settings_schema.py; this module reads the file,
reports the schema's problems at their lines and loads the campaign profile the settings name.
"""

from __future__ import annotations

from pathlib import Path

from casebook.config.options import Problem
from casebook.config.settings_schema import DEFAULT_PROFILE, SCHEMA, BookSettings, Settings, SiteSettings
from casebook.diagnostics import Report
from casebook.inputs import photocheck, profiles
from casebook.inputs.frontmatter import parse_yaml
from casebook.inputs.profiles import Profile
from casebook.util.textio import read_reported

__all__ = ["DEFAULT_PROFILE", "SETTINGS_PATH", "BookSettings", "Settings", "SiteSettings", "load"]

SETTINGS_PATH = "content/settings.yml"
# Keys the profile depends on: checking cases against a profile other than the one meant only misleads.
_FATAL = ("profile", "rules")


def load(root: Path, report: Report) -> tuple[Settings, Profile] | None:
    """Settings and the effective profile; None (with diagnostics) when they are unusable."""
    read = _read(root / SETTINGS_PATH, report)
    if read is None:
        return None
    data, lines = read
    problems: list[Problem] = []
    settings = SCHEMA.validate(data, "", problems)
    for problem in problems:
        report.add(SETTINGS_PATH, line_of(problem.key, lines), problem.code, **problem.values)
    if any(p.is_error and p.key.split(".")[0] in _FATAL for p in problems):
        return None
    problem = photocheck.logo_problem(root, settings.site.logo) if settings.site.logo else None
    if problem:
        report.add(SETTINGS_PATH, line_of("site.logo", lines), "W607", file=settings.site.logo, problem=problem)
    profile = _profile(settings, lines, report)
    return None if profile is None else (settings, profile)


def _read(path: Path, report: Report) -> tuple[dict, dict[str, int]] | None:
    """The file's mapping and key lines; an absent file is an empty one (every default)."""
    if not path.is_file():
        return {}, {}
    text = read_reported(path, SETTINGS_PATH, report)
    if text is None:
        return None
    return parse_yaml(text, SETTINGS_PATH, report)


def line_of(key: str, lines: dict[str, int]) -> int:
    """The line of a dotted key, else of its nearest written parent, else 1."""
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return 1


def _profile(settings: Settings, lines: dict[str, int], report: Report) -> Profile | None:
    """The named profile with the collection's ``rules``, checked by the profile schema: a problem in
    the rules is reported at its line like any other setting, and an error stops the check."""
    problems: list[Problem] = []
    try:
        profile = profiles.load(settings.profile_id, settings.rules, problems)
    except KeyError:
        allowed = "、".join(profiles.available())
        report.add(SETTINGS_PATH, lines.get("profile", 1), "E602", value=settings.profile_id, allowed=allowed)
        return None
    except profiles.ProfileError as error:  # a built-in profile that does not fit its schema
        report.add(SETTINGS_PATH, lines.get("profile", 1), "E601", detail=str(error))
        return None
    for problem in problems:
        report.add(SETTINGS_PATH, line_of(problem.key, lines), problem.code, **problem.values)
    return None if any(p.is_error for p in problems) else profile
