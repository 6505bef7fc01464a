"""The generated docs tree and configuration built with Zensical, unchanged (issue 11, item 9: an engine
that can be switched). Zensical is not a dependency (its current release needs a zensical-ui wheel no
index here serves, and it pins its own Markdown stack): ``scripts/install-zensical.sh`` installs 0.0.73
into a virtual environment of its own (``.cache/zensical-0.0.73/``), which CI runs first. The command is
``CASEBOOK_ZENSICAL``, else ``zensical`` on PATH, else that environment's. Without it the test is
skipped, except in CI (``CI=true``), where it fails. See docs/architecture.md."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import IN_CI, PROJECT, _copy_sample
from test_site_helpers import set_site_url

from casebook.inputs.loader import load
from casebook.outputs.site import builder, mkdocs_config

pytestmark = pytest.mark.slow

VERSION = "0.0.73"  # the newest release that installs from the index here (scripts/install-zensical.sh)
VENV = PROJECT / ".cache" / f"zensical-{VERSION}" / "bin" / "zensical"
ADDRESS = "https://anli.example.gov.cn/"


def _zensical() -> str | None:
    for found in (os.environ.get("CASEBOOK_ZENSICAL"), shutil.which("zensical"), str(VENV)):
        if found and Path(found).is_file():
            return found
    return None


@pytest.fixture(scope="module")
def zensical() -> str:
    found = _zensical()
    if found is None:
        message = f"no zensical command: run scripts/install-zensical.sh (or set CASEBOOK_ZENSICAL); looked at {VENV}"
        if IN_CI:
            pytest.fail(message)  # CI installs it: missing there is a broken setup, not an optional test
        pytest.skip(message)
    return found


@pytest.mark.parametrize("site_url", [ADDRESS, None], ids=["site_url", "no-site_url"])
def test_generated_tree_builds_with_zensical(tmp_path, zensical, site_url):
    root = tmp_path / "collection"
    _copy_sample(root)
    set_site_url(root, site_url)
    collection, _ = load(root)
    prepared = builder.prepare(collection)
    folder = prepared.config.parent
    config = mkdocs_config.load_generated(prepared.config)
    # the paths Zensical requires, as generated: docs_dir relative, site_dir inside the config's folder
    assert config["docs_dir"] == "docs" and (folder / config["docs_dir"]).resolve() == prepared.docs.resolve()
    assert not Path(config["site_dir"]).is_absolute() and ".." not in Path(config["site_dir"]).parts
    result = subprocess.run(
        [zensical, "build", "-f", str(prepared.config), "-c"],
        cwd=tmp_path,  # not the config's folder: the paths are read relative to the file, not to cwd
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = folder / config["site_dir"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for case in prepared.model.cases:
        page = (site / "cases" / case.slug / "index.html").read_text(encoding="utf-8")
        assert '<nav class="cb-breadcrumb" aria-label="当前位置">' in page, case.slug  # the generated blocks
        assert 'property="og:title"' in page and "data-cb-tools" in page  # main.html's overrides
        assert "assets/casebook/casebook.css" in page and ('class="cb-qr"' in page) == bool(site_url)
        assert (f"<loc>{ADDRESS}cases/{case.slug}/</loc>" in sitemap.replace("&#x2f;", "/")) == bool(site_url)
        assert (site / "cases" / case.slug / "photo-1.jpg").is_file() or not case.photos
    notfound = (site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in notfound
    # without site_url: the base-finding script, and the stylesheets in the page (styled without it)
    assert ('document.createElement("base")' in notfound) == (site_url is None)
    assert (notfound.count("<style>") >= 4 and ".md-header{" in notfound) == (site_url is None)
    assert (site / "assets" / "casebook" / "casebook.js").is_file() and (site / "search" / "meta.js").is_file()
    assert 'class="cb-cards cb-cards--groups"' in (site / "browse" / "category" / "index.html").read_text("utf-8")
    assert not (tmp_path / config["site_dir"]).exists()  # nothing written beside the working folder
