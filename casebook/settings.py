"""Collection settings (content/settings.yml): title, organiser, campaign profile and overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import profiles
from .diagnostics import Report, did_you_mean
from .frontmatter import parse_yaml
from .profiles import Profile
from .textio import DecodeFailure, read_text

SETTINGS_PATH = "content/settings.yml"
DEFAULT_PROFILE = "machinery-2024"
KNOWN_KEYS = ("title", "organiser", "profile", "rules", "site", "book")


@dataclass(frozen=True)
class Settings:
    title: str = "创新案例选编"
    organiser: str = ""
    profile_id: str = DEFAULT_PROFILE
    rules: dict = field(default_factory=dict)
    site: dict = field(default_factory=dict)
    book: dict = field(default_factory=dict)


def load(root: Path, report: Report) -> tuple[Settings, Profile] | None:
    """Settings and the effective profile; None (with diagnostics) when they are unusable."""
    path = root / SETTINGS_PATH
    data: dict = {}
    lines: dict[str, int] = {}
    if path.is_file():
        text = read_text(path)
        if isinstance(text, DecodeFailure):
            if text.binary:
                report.add(SETTINGS_PATH, 1, "E004")
            else:
                report.add(SETTINGS_PATH, 1, "E002", encoding=text.encoding, iconv=text.iconv)
            return None
        parsed = parse_yaml(text, SETTINGS_PATH, report)
        if parsed is None:
            return None
        data, lines = parsed
    for key in data:
        if key not in KNOWN_KEYS:
            report.add(SETTINGS_PATH, lines.get(str(key)), "W022", key=key, hint=did_you_mean(str(key), KNOWN_KEYS))
    settings = Settings(
        title=str(data.get("title") or Settings.title),
        organiser=str(data.get("organiser") or ""),
        profile_id=str(data.get("profile") or DEFAULT_PROFILE),
        rules=data.get("rules") or {},
        site=data.get("site") or {},
        book=data.get("book") or {},
    )
    for key in ("rules", "site", "book"):
        if not isinstance(getattr(settings, key), dict):
            report.add(SETTINGS_PATH, lines.get(key, 1), "E601", detail=f"{key} 应为“键: 值”的映射")
            return None
    try:
        profile = profiles.load(settings.profile_id, settings.rules)
    except KeyError:
        report.add(
            SETTINGS_PATH,
            lines.get("profile", 1),
            "E602",
            value=settings.profile_id,
            allowed="、".join(profiles.available()),
        )
        return None
    except profiles.ProfileError as error:
        report.add(SETTINGS_PATH, lines.get("rules", 1), "E601", detail=str(error))
        return None
    return settings, profile
