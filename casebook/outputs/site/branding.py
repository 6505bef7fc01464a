"""What the editors' settings give the site besides its pages: the logo and colour (content/settings.yml,
``site.logo``, ``site.colour``) and the warning about a missing ``site_url`` (mkdocs.yml).

The builder hands ``engine_extra(model)`` to ``mkdocs_config.generate`` (inside ``extra``) and links
``files(model)`` into the docs tree; the site stage prints ``site_url_warning(root)``."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.config.settings_schema import contrast_with_white, darkened
from casebook.inputs import photocheck
from casebook.outputs.site.public_model import SiteModel, site_url
from casebook.publish import assets

LOGO_TYPES = photocheck.LOGO_TYPES
LOGO_PATH = "assets/casebook/site-logo"  # + the file's suffix, in the docs tree


def logo_site_path(model: SiteModel) -> str | None:
    """Where the editors' logo sits in the site, or None (no logo set, or not a picture file)."""
    if model.logo is None or model.logo.suffix.lower() not in LOGO_TYPES:
        return None
    return LOGO_PATH + model.logo.suffix.lower()


def files(model: SiteModel) -> dict[str, bytes]:
    """Files of the collection the site publishes: site path → bytes, pictures without metadata
    (publish.assets; a logo that is no picture was warned by `check` (W607) and is left out)."""
    path = logo_site_path(model)
    if not path or not model.logo:
        return {}
    try:
        return {path: assets.bare_picture(model.logo.read_bytes(), model.logo.suffix)}
    except (OSError, ValueError, SyntaxError, EOFError):
        return {}


def palette(colour: str) -> dict[str, str]:
    """The theme's colour variables from one ``#rrggbb`` (already at 4.5:1 against white; the darker
    shades only gain contrast): header and buttons, their hover, links, the tint behind tags."""
    if not re.fullmatch(r"#[0-9a-f]{6}", colour or ""):
        return {}
    if contrast_with_white(colour) < 4.5:  # settings refuse such a colour; callers passing one get it darkened
        colour = darkened(colour)
    dark = darkened(colour, min(21.0, contrast_with_white(colour) * 1.6))
    return {"colour": colour, "colour_dark": dark, "colour_tint": colour + "14"}


def engine_extra(model: SiteModel) -> dict[str, str]:
    """The entries of ``extra`` for mkdocs_config.generate: ``logo`` (site path) and the palette."""
    extra = palette(model.colour)
    logo = logo_site_path(model)
    if logo and files(model):
        extra["logo"] = logo
    return extra


def site_url_warning(root: Path) -> str | None:
    """A warning for the site stage when mkdocs.yml sets no site_url, at the line that mentions it
    (the commented example) or else the first line."""
    if site_url(root):
        return None
    config = root / "mkdocs.yml"
    line = 1
    try:
        for number, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
            if "site_url" in text:
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    return (
        f"mkdocs.yml:{line}: 未设置网站地址 site_url：站点地图（sitemap.xml）为空，分享卡片没有完整网址，"
        "案例页不显示二维码；正式发布前请填写，如 site_url: https://anli.example.gov.cn/"
    )
