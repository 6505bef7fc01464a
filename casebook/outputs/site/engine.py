"""The site engine (mkdocs-material), run as a separate process through its own command line:
nothing of ours depends on its internals, and its memory is not ours."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from casebook.util import children
from casebook.outcome import os_problem

_ERRNO = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]+)')?")
_NOISE = ("is in maintenance mode", "end of life", "Material for MkDocs", "Zensical", "squidfunk")


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


def build(config: Path, site_dir: Path) -> list[str]:
    """Run ``mkdocs build`` into site_dir; return its warnings; raise EngineError on failure."""
    proc = subprocess.run(
        command("build", config, "--clean", "--site-dir", str(site_dir)),
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
    return [line for line in lines if line.startswith(("WARNING", "ERROR")) and not any(n in line for n in _NOISE)]
