"""The site engine (mkdocs-material), run as a separate process through its own command line:
nothing of ours depends on its internals, and its memory is not ours."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from casebook.outcome import os_problem
from casebook.util import children

_ERRNO = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]+)')?")
_NOISE = ("is in maintenance mode", "end of life", "Material for MkDocs", "Zensical", "squidfunk")
_DIRTY_NOISE = ("A 'dirty' build is being performed",)  # we choose the pages to redo ourselves (builder)
# what the rendered site depends on besides the docs tree, the config and the theme folder
PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "Jinja2", "PyYAML")


def versions(*more: str) -> dict[str, str]:
    """Python's and the engine's package versions, then those of ``more`` packages ("-" if absent)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0]}
    for name in (*PACKAGES, *more):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found


class EngineError(RuntimeError):
    pass


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "0")  # the engine stamps build dates (sitemap.xml.gz); make them fixed
    env["PYTHONHASHSEED"] = "0"
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def command(action: str, config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", action, "--config-file", str(config), *extra]


def build(config: Path, site_dir: Path, dirty: bool = False) -> list[str]:
    """Run ``mkdocs build`` into site_dir; return its warnings; raise EngineError on failure.
    ``dirty``: keep site_dir and render only pages whose output is missing or older than their source
    (the builder deletes the outputs it wants redone, see builder._engine_incremental)."""
    proc = subprocess.run(
        command("build", config, "--dirty" if dirty else "--clean", "--site-dir", str(site_dir)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=environment(),
        **children.popen_options(),
    )
    lines = (proc.stdout + proc.stderr).splitlines()
    if proc.returncode != 0:
        found = _ERRNO.search(proc.stdout + proc.stderr)
        if found:  # the engine could not write (disk full, read-only …): say it as for our own writes
            error = OSError(int(found.group(1)), found.group(2), found.group(3) or str(site_dir))
            raise EngineError(os_problem(error, "网站文件"))
        raise EngineError("网站引擎 mkdocs 构建失败：\n" + "\n".join(lines[-40:]))
    noise = _NOISE + (_DIRTY_NOISE if dirty else ())
    return [line for line in lines if line.startswith(("WARNING", "ERROR")) and not any(n in line for n in noise)]
