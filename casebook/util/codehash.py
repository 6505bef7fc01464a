"""A fingerprint of the running tool, for caches whose entries the tool's code decides: every module of
casebook and the versions of the libraries that shape a result. Computed once per process: the code
that runs is the code that was imported, whatever is edited on disk meanwhile."""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib import metadata
from pathlib import Path


@functools.cache
def package_hash() -> str:
    """This copy of casebook: every module and data file of the package (any of them may decide a result)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yml") and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()


@functools.cache
def versions(*distributions: str) -> tuple[tuple[str, str], ...]:
    """(name, version) of each installed distribution ("" when absent), and Python's own."""
    found = []
    for name in distributions:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, ""))
    return (*found, ("python", sys.version))
