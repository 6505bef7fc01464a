"""mkdocs hooks of the site's build configuration (``hooks:`` in mkdocs-build.yml), run inside the
engine's process; nothing here imports casebook (the engine may run from another environment).

- Compiled templates are kept beside the configuration (Jinja's own bytecode cache, checked against
  each template's source): compiling mkdocs-material's templates costs about a second a run.
- With CASEBOOK_ENGINE_WAIT=1 the engine waits, once its configuration is read and the docs tree
  listed, until the builder writes "go" on its standard input: started ahead, it spends its start-up
  while the builder prepares the pages (engine.Waiting). Anything else (or the builder gone) ends it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

WAIT = "CASEBOOK_ENGINE_WAIT"
TEMPLATE_CACHE = "engine-templates"


def on_files(files, config):
    if os.environ.get(WAIT) == "1" and sys.stdin.readline().strip() != "go":
        raise SystemExit(3)
    return files


def on_env(env, config, files):
    folder = Path(config.config_file_path).parent / TEMPLATE_CACHE
    folder.mkdir(exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
