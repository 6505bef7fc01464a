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


HOOKS = Path(__file__).with_name("engine_hooks.py")  # named in the build configuration (builder._configs)
_WAIT = "CASEBOOK_ENGINE_WAIT"  # engine_hooks.WAIT


def build(config: Path, site_dir: Path, dirty: bool = False) -> list[str]:
    """Run ``mkdocs build`` into site_dir; return its warnings; raise EngineError on failure.
    ``dirty``: keep site_dir and render only pages whose output is missing or older than their source
    (the builder deletes the outputs it wants redone, see builder._engine_dirty)."""
    proc = subprocess.run(
        command("build", config, "--dirty" if dirty else "--clean", "--site-dir", str(site_dir)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=environment(),
        **children.popen_options(),
    )
    return _outcome(proc.returncode, proc.stdout + proc.stderr, site_dir, dirty)


class Waiting:
    """A dirty build started ahead of time: the engine starts, reads its configuration and lists the
    docs tree, then waits (engine_hooks.on_files) for ``go``, given once the builder has brought the
    tree up to date and chosen the pages to redo. Only for a tree whose set of files does not change
    meanwhile: the listing is taken while the builder writes (contents are read after ``go``)."""

    def __init__(self, config: Path, site_dir: Path, basis: object = None) -> None:
        self.site_dir, self.went = site_dir, False
        self.basis = basis  # what the caller knew of site_dir when starting it (builder: its record)
        self.proc = subprocess.Popen(
            command("build", config, "--dirty", "--site-dir", str(site_dir)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**environment(), _WAIT: "1"},
            **children.popen_options(),
        )

    def release(self) -> None:
        """Let it render (without waiting for it: see ``go``)."""
        self.went = True
        try:
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):  # it ended before it was told: its output says why
            pass

    def go(self) -> list[str]:
        """Let it render, if not released yet; its warnings (EngineError on failure)."""
        if not self.went:
            self.release()
        try:
            output, _ = self.proc.communicate()
        except BrokenPipeError:  # stdin's close, after it ended: its output says why
            output, _ = self.proc.communicate()
        return _outcome(self.proc.returncode, output, self.site_dir, dirty=True)

    def cancel(self) -> None:
        """End it unused (a no-op once it has run)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


def _outcome(code: int, output: str, site_dir: Path, dirty: bool) -> list[str]:
    lines = output.splitlines()
    if code != 0:
        found = _ERRNO.search(output)
        if found:  # the engine could not write (disk full, read-only …): say it as for our own writes
            error = OSError(int(found.group(1)), found.group(2), found.group(3) or str(site_dir))
            raise EngineError(os_problem(error, "网站文件"))
        raise EngineError("网站引擎 mkdocs 构建失败：\n" + "\n".join(lines[-40:]))
    noise = _NOISE + (_DIRTY_NOISE if dirty else ())
    return [line for line in lines if line.startswith(("WARNING", "ERROR")) and not any(n in line for n in noise)]
