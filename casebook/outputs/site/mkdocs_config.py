"""The engine configuration: the editors' mkdocs.yml, merged with what the generator owns
(docs tree, nav, the site's own search, Markdown dialect, theme overrides, privacy settings).

Material's search plugin (lunr + jieba) is off: the site has its own index (outputs/site/search) and
script (theme/site/assets/casebook/search.js). ``search="lunr"`` brings the old plugin back for the
benchmark only (benchmarks/bench_search.py measures both on the same tree)."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath
from urllib.parse import urlsplit

import yaml

from casebook.document import engine_extensions
from casebook.inputs.mkdocs_yml import ConfigError, Tagged, load_base, load_generated  # noqa: F401 - the site stage reads them here

SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"
SLUGIFY_TAG = "tag:yaml.org,2002:python/object/apply:pymdownx.slugs.slugify"
OWNED = ("docs_dir", "site_dir", "nav", "plugins", "markdown_extensions", "use_directory_urls", "hooks", "INHERIT")
# Settings with which Material would make readers' browsers call another host (a repository API,
# an analytics tag, a consent banner for it): never passed to the engine.
EXTERNAL = ("repo_url", "repo_name", "edit_uri")
EXTERNAL_EXTRA = ("analytics", "consent", "social")
LOGO = "assets/casebook/logo.svg"  # in the theme folder (theme/site/)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.Dumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


PALETTE = ("colour", "colour_dark", "colour_tint")  # written into a <style> by main.html: checked here
_HEX = re.compile(r"#[0-9a-f]{6}(?:[0-9a-f]{2})?")


def _branding(key: str, value: object) -> bool:
    if key == "logo":
        return isinstance(value, str) and same_site(value) and not value.startswith(("/", "."))
    return isinstance(value, str) and bool(_HEX.fullmatch(value))


_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def same_site(url: str) -> bool:
    """True when a browser would load ``url`` from this site: read as browsers read it (surrounding
    control characters and spaces dropped, tabs and newlines inside removed, backslashes as slashes),
    it has neither a scheme (``https:/host``, ``javascript:``) nor a host (``//host``, ``\\\\host``)."""
    text = _CONTROL.sub("", url).replace("\\", "/")
    if not text or text.startswith("//"):
        return not text
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def _remote(value: object) -> bool:
    return isinstance(value, str) and not same_site(value)


def _local(entries: object) -> list:
    """Stylesheets and scripts that live on this site (anything from another host is dropped)."""
    result = []
    for entry in entries if isinstance(entries, list) else []:
        text = entry if isinstance(entry, str) else str(entry.get("path", "")) if isinstance(entry, dict) else ""
        if text and same_site(text):
            result.append(entry)
    return result


def markdown_extensions() -> list:
    """Exactly the project's dialect (casebook.document): the pages the generator writes (headings
    with {#anchor}, sanitised HTML blocks) are meant for it; extensions editors add to mkdocs.yml
    are ignored. The slugify is the dialect's (document.SLUGIFY), written as a YAML tag."""
    slugify = Tagged(SLUGIFY_TAG, {"kwds": {"case": "lower"}})
    return engine_extensions(toc={"permalink": "¶", "permalink_title": "本节链接", "slugify": slugify})


def relative_to_config(path: Path, config_dir: Path) -> str:
    """``path`` as written in a config file in ``config_dir``: relative to that folder, with forward
    slashes (the same text on every system). Both engines resolve a relative ``docs_dir``/``site_dir``
    against the config file's folder; Zensical refuses an absolute ``docs_dir`` and a ``site_dir``
    outside that folder. A path on another drive (Windows) stays absolute."""
    try:
        return PurePath(os.path.relpath(Path(path).absolute(), Path(config_dir).absolute())).as_posix()
    except ValueError:
        return str(path)


def generate(
    base: dict,
    *,
    site_name: str,
    docs_dir: Path,
    site_dir: Path,
    theme_dir: Path,
    nav: list,
    extra: dict,
    user_dict: Path | None = None,
    search: str = "casebook",
    offline: bool = False,
    config_dir: Path | None = None,
) -> dict:
    """``offline``: a site opened from file:// (links to .../index.html, no instant navigation,
    which loads pages with fetch). ``config_dir``: the folder the configuration is written to, by
    default the one that holds ``docs_dir`` (the builder writes both into the cache folder);
    ``docs_dir`` and ``site_dir`` are written relative to it, so the file is the same wherever the
    collection lies and Zensical reads it as it is. mkdocs is given ``--site-dir`` by
    ``engine.build``; ``site_dir`` here is where ``mkdocs build -f`` or ``zensical build -f`` of the
    file alone would write."""
    folder = config_dir if config_dir is not None else Path(docs_dir).absolute().parent
    config = {k: v for k, v in base.items() if k not in OWNED and k not in EXTERNAL}
    theme = base.get("theme") if isinstance(base.get("theme"), dict) else {}
    theme = {k: v for k, v in theme.items() if not _remote(v)}  # logo/favicon from another host
    own = {k: v for k, v in extra.items() if k not in ("logo", *PALETTE) or _branding(k, v)}
    if own.get("logo"):  # settings site.logo (outputs/site/branding.py put the file into the docs tree)
        theme = {**theme, "logo": own["logo"], "favicon": own["logo"]}
    elif (theme_dir / LOGO).is_file():  # the tool's own logo and icon unless the editors name theirs
        theme = {"logo": LOGO, "favicon": LOGO, **theme}
    config["site_name"] = site_name
    config["docs_dir"] = relative_to_config(docs_dir, folder)
    config["site_dir"] = relative_to_config(site_dir, folder)
    config["use_directory_urls"] = not offline
    if offline and isinstance(theme.get("features"), list):
        theme = {**theme, "features": [f for f in theme["features"] if not str(f).startswith("navigation.instant")]}
    config["theme"] = {
        **theme,
        "name": "material",
        "custom_dir": str(theme_dir),
        "language": "zh",
        "font": False,  # no Google Fonts: nothing may be fetched from another host
    }
    config["nav"] = nav
    if search == "lunr":
        config["plugins"] = [{"search": {"separator": SEPARATOR, "jieba_dict_user": str(user_dict)}}]
    else:
        config["plugins"] = []
    config["markdown_extensions"] = markdown_extensions()
    editors_extra = base.get("extra") if isinstance(base.get("extra"), dict) else {}
    editors_extra = {k: v for k, v in editors_extra.items() if k not in EXTERNAL_EXTRA}
    config["extra"] = {**editors_extra, "generator": False, "casebook": own}
    own_css, own_js = (["assets/casebook/search.css"], ["assets/casebook/search.js"]) if search != "lunr" else ([], [])
    config["extra_css"] = ["assets/casebook/casebook.css", *own_css, *_local(base.get("extra_css"))]
    config["extra_javascript"] = ["assets/casebook/casebook.js", *own_js, *_local(base.get("extra_javascript"))]
    config["not_in_nav"] = "/cases/\n/browse/*/*/\n"
    return config


def dump(config: dict) -> str:
    header = "# 由 python build.py site 生成，请勿手工修改；要改网站设置请编辑合集根目录的 mkdocs.yml。\n"
    return header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
