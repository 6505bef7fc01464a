"""Shared test helpers: run the real CLI in a subprocess, build collection roots on disk."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

# Keep compiled modules (ours and pytest's rewritten tests) even where the environment turns bytecode
# off (PYTHONDONTWRITEBYTECODE): compiling them again on every run is a tenth of the developer loop.
sys.dont_write_bytecode = False


def _temp_in_memory() -> None:
    """Tests write about 500 MB of short-lived files: in memory (/dev/shm) where it has room, they cost
    a third less time than on this machine's disk and do not wait on each other between the two
    workers. A small /dev/shm (64 MB in a default container) leaves them where they were."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= 4 << 30:
        tempfile.tempdir = str(shm)


_temp_in_memory()
IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config: pytest.Config) -> None:
    if _is_xdist_controller(config):  # runs no test: neither hypothesis (0.25 s) nor the quick exit
        return
    # Property tests: the full number of examples in CI, a fifth in the developer loop.
    from hypothesis import settings

    settings.register_profile("ci", settings.get_profile("default"))
    settings.register_profile("dev", max_examples=20)
    settings.load_profile("ci" if IN_CI else "dev")
    if hasattr(config, "workerinput"):
        atexit.register(_quick_exit)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a worker, after its last test: everything allocated so far is left to the quick exit. pytest
    then runs two full collections to report unraisable exceptions; over a worker's heap of half a
    million objects they took about 0.5 s, which the whole run waited for. Frozen objects are not
    scanned: an unraisable exception raised while finalizing a test's leftover cycle is missed on a
    worker (one test alone, or -n 0, still reports it)."""
    if hasattr(session.config, "workerinput"):
        import gc

        gc.freeze()


def _is_xdist_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


def _quick_exit() -> None:
    """An xdist worker's last step. Its results went over its channel before the interpreter exits,
    and tearing down its heap took 1.5 s more, which the whole run waited for. Registered once the
    worker is configured, so the exit handlers registered later (pytest's own) have run."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The developer loop, `python -m pytest -m "not slow"` over the whole suite, runs on two workers
    when pytest-xdist is installed: half the wait on this two-core machine, each test module on one
    worker (split by test, both workers made the module-scoped fixtures: 10 s of CPU more). Any -n
    given, a chosen file or test, --pdb, or CI (which runs everything, one test at a time) keeps one
    process."""
    whole_suite = config.args_source is pytest.Config.ArgsSource.TESTPATHS
    if (
        not IN_CI
        and whole_suite
        and config.option.markexpr == "not slow"
        and config.pluginmanager.hasplugin("xdist")
        and getattr(config.option, "numprocesses", 0) is None
        and not hasattr(config, "workerinput")
        and not config.getoption("usepdb", False)
        and (os.cpu_count() or 1) >= 2
    ):
        config.option.numprocesses = 2
        config.option.dist = "loadfile"  # a module's tests on one worker: its module fixtures made once


def examples(count: int) -> int:
    """``count`` generated examples in CI, a fifth of them (at least 10) in the developer loop."""
    return count if IN_CI else max(10, count // 5)


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_cli(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """python build.py ARGS, in this process (the fast loop): same parser, same exit codes, same
    output streams. One real subprocess per command is run by the slow smoke tests (run_cli_process)."""
    import contextlib
    import io

    from casebook.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    stdin_before = sys.stdin
    environ_before = dict(os.environ)
    try:
        os.environ.update(env or {})
        os.chdir(cwd or PROJECT)
        sys.stdin = io.StringIO(stdin or "")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse: --help, usage errors
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        sys.stdin = stdin_before
        os.chdir(previous)
        os.environ.clear()
        os.environ.update(environ_before)
    return subprocess.CompletedProcess(["build.py", *args], int(code), out.getvalue(), err.getvalue())


def run_cli_process(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """python build.py ARGS in a real process, exactly as an editor runs it."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        cwd=cwd or PROJECT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin if stdin is not None else "",
        env=env,
        timeout=600,
    )


WARM = (
    Path(".cache") / "assets",
    Path(".cache") / "site" / "photos",
    Path(".cache") / "wechat",
    Path("build") / ".cache",
)
# What the warm caches' contents depend on, besides the sample's photos.
WARM_SOURCES = ("publish/assets.py", "outputs/site/photos.py", "outputs/book/images.py", "outputs/wechat/photos.py")
WARM_SOURCES += ("inputs/photocheck.py", "outputs/wechat/covers.py")


@pytest.fixture(scope="session")
def warm_caches(tmp_path_factory) -> Path:
    """The sample collection with its photo caches (check verdicts, print, web and WeChat derivatives):
    every test's private copy starts from them, so tests pay for decoding only where they test it
    (tests/test_assets.py works on collections of its own, cold). See warm_copy."""
    return warm_copy(PROJECT, tmp_path_factory.mktemp("warm") / "collection")


def warm_copy(source: Path, target: Path) -> Path:
    """A private copy of the collection at ``source`` (cases, content, mkdocs.yml) whose photo caches
    are hard-linked from ones made once and kept, keyed by its photos and the code that makes the
    entries: the next run and the other worker reuse them (3–4 s of CPU a worker for the sample).
    They are kept in the tests' temporary folder, so that they can be linked; a fresh machine (CI)
    makes them afresh. Linking is safe: every cache entry is replaced atomically, never rewritten."""
    _copy_collection(source, target)
    kept = _kept_warm(source)
    for cache in WARM:
        if (kept / cache).is_dir():
            _copy_tree(kept / cache, target / cache, os.link)
    return target


def _copy_tree(source: Path | str, target: Path | str, copy=shutil.copyfile) -> None:
    """shutil.copytree without copystat and xattrs (a third of its time for the sample's 500 files):
    symbolic links stay links, folders may exist already."""
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            there = os.path.join(target, entry.name)
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), there)
            elif entry.is_dir():
                _copy_tree(entry.path, there, copy)
            else:
                copy(entry.path, there)


_WARM_KEPT: dict[Path, Path] = {}


def _kept_warm(source: Path) -> Path:
    if source not in _WARM_KEPT:
        folder = Path(tempfile.gettempdir()) / f"casebook-warm-{os.getuid()}"
        kept = folder / f"{source.name}-{_warm_key(source)}"
        if not (kept / "complete").is_file():
            folder.mkdir(exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=folder)) / "collection"
            _copy_collection(source, scratch)
            _make_warm(scratch)
            _keep_warm(scratch, kept, f"{source.name}-")
            shutil.rmtree(scratch.parent, ignore_errors=True)
        _WARM_KEPT[source] = kept
    return _WARM_KEPT[source]


def _warm_key(source: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    sources = [PROJECT / "casebook" / name for name in WARM_SOURCES]
    photos = sorted(p for p in (source / "cases").rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    for path, base in [(s, PROJECT) for s in sources] + [(p, source) for p in photos]:
        # relative names: two checkouts of the same code share the kept caches, not evict each other's
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _make_warm(root: Path) -> None:
    from casebook import pipeline
    from casebook.outputs.book import images
    from casebook.outputs.site import builder
    from casebook.outputs.site.photos import PhotoCache
    from casebook.outputs.wechat import covers
    from casebook.outputs.wechat import photos as wechat_photos

    collection = pipeline.load(root).collection  # the check verdicts (.cache/assets)
    photos = sorted({photo.path for case in collection.cases for photo in case.photos})
    # the derivatives alone, without writing the volumes and the docs tree
    images.prepare_all(photos, root / "build" / ".cache" / "book-photos")
    PhotoCache(builder.cache_dir(root) / "photos").derive(photos)
    wechat = wechat_photos.PhotoCache(root / ".cache" / "wechat" / "photos")
    for photo in photos:
        wechat.prepare(photo)
    for case in collection.cases:  # the covers, cut from each case's cover photo
        cover, _ = covers.chosen(case)
        if cover is not None:
            wechat.covers.get(wechat.prepare(cover.path).large)


def _keep_warm(root: Path, kept: Path, family: str) -> None:
    """Copy the caches into ``kept``, whole or not at all (two workers may race: the first one wins);
    drop the family's other keys (earlier code or photos)."""
    staging = Path(tempfile.mkdtemp(prefix=kept.name, dir=kept.parent))
    for cache in WARM:
        if (root / cache).is_dir():
            shutil.copytree(root / cache, staging / cache)
    (staging / "complete").write_text("", encoding="utf-8")
    for old in kept.parent.glob(family + "*"):
        if old.name != staging.name and not old.name.startswith(kept.name):
            shutil.rmtree(old, ignore_errors=True)
    try:
        staging.rename(kept)
    except OSError:  # the other worker was first
        shutil.rmtree(staging, ignore_errors=True)


def _copy_collection(source: Path, root: Path) -> None:
    root.mkdir(parents=True)
    for name in ("cases", "content"):
        if (source / name).is_dir():
            _copy_tree(source / name, root / name)
    if (source / "mkdocs.yml").exists():
        shutil.copy(source / "mkdocs.yml", root / "mkdocs.yml")


def _copy_sample(root: Path) -> None:
    _copy_collection(PROJECT, root)


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    """A private copy of the shipped sample collection, with warm photo caches (no outputs)."""
    return warm_copy(PROJECT, tmp_path / "collection")


@pytest.fixture(autouse=True)
def _no_pdf_in_the_fast_loop(request, monkeypatch):
    """Outside slow tests the book stage makes DOCX only (LibreOffice takes seconds per volume)."""
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setenv("CASEBOOK_PDF", "0")


# Whole modules that drive the real engine, LibreOffice, a browser or a server: `-m "not slow"` skips
# them (the developer loop); CI runs everything.
SLOW_MODULES = {
    "test_browser_site",
    "test_site_serve",
    "test_site",
    "test_book",
    "test_import_roundtrip",
    "test_cli_smoke",
    "test_import_fuzz",  # many generated documents: the full suite runs them
    "test_check_fuzz",
}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


_WHOLLY_SLOW = re.compile(r"^pytestmark = \[?pytest\.mark\.slow\b", re.M)


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Under `-m "not slow"` a module all of whose tests are slow is not even imported: importing the
    browser, engine and LibreOffice modules cost each worker of the developer loop a second."""
    if config.option.markexpr != "not slow" or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    if collection_path.stem in SLOW_MODULES or _WHOLLY_SLOW.search(collection_path.read_text(encoding="utf-8")):
        return True
    return None


def pytest_collection_finish(session) -> None:
    """What collection made (modules, fixtures, hypothesis strategies) lives until the end: frozen, the
    cyclic garbage collector stops walking it at every full collection; and collections come less
    often (tests allocate many short-lived objects, few cycles)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
