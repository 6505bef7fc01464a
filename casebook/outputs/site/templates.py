"""The Jinja2 templates of the HTML blocks in generated pages (theme/site/casebook/*.html).

Autoescape is on, so every value passed in (case text: untrusted) is escaped by the template engine,
never by hand. Templates are trusted configuration: a collection may override any of them in its own
theme/site/casebook/, the tool's copies fill in the rest. Case text is only ever a value, never a
template source, so ``{{ … }}`` typed into a case stays text. Python hands over plain objects; the
only HTML it passes on is what another template produced or nh3 sanitised.

mkdocs sees these files (they sit in its custom_dir) but neither renders them nor copies them into
the site: it skips *.html when collecting a theme's static files."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import jinja2

from casebook.outputs.site import urls
from casebook.outputs.site.books import human_size

SUBDIR = Path("theme") / "site" / "casebook"
TOOL_TEMPLATES = Path(__file__).resolve().parents[3] / SUBDIR


class _CompiledOnce(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the process, by file and source checksum: every build
    makes a new environment (a collection's templates may change between two builds of `serve`), and
    compiling the templates again was a third of the time of making a small site's pages."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja2 when the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledOnce()


def environment(root: Path | None = None) -> jinja2.Environment:
    """The collection's templates first (when ``root`` is given), then the tool's.

    A block's template file ends with a newline; it is dropped (the default), because pages join
    blocks with blank lines themselves."""
    folders = ([root / SUBDIR] if root else []) + [TOOL_TEMPLATES]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_COMPILED,
    )
    env.globals.update(urls=urls, human_size=human_size)
    return env


@functools.cache
def tool_environment() -> jinja2.Environment:
    """The tool's templates only: pages rendered without a collection's theme (tests, callers that
    pass no environment)."""
    return environment()


def render(env: jinja2.Environment | None, name: str, **context: object) -> str:
    return (env or tool_environment()).get_template(name).render(**context)


def fingerprint(env: jinja2.Environment | None, *names: str) -> str:
    """A digest of the named templates' sources, for cache keys: an edited template re-renders."""
    env = env or tool_environment()
    digest = hashlib.sha256()
    for name in names:
        source, _, _ = env.loader.get_source(env, name)
        digest.update(name.encode("utf-8") + b"\x00" + source.encode("utf-8") + b"\x00")
    return digest.hexdigest()[:16]
