"""The generated docs tree and configuration built with Zensical (issue 11, item 9: an engine that can
be switched). Zensical is not a dependency (its current release needs a zensical-ui wheel no index here
serves, and it pins its own Markdown stack): the test runs when a ``zensical`` command is found
(``CASEBOOK_ZENSICAL``, else on PATH), e.g. one installed in a virtual environment of its own:
``python -m venv /tmp/zvenv && /tmp/zvenv/bin/pip install zensical==0.0.73``. See docs/architecture.md."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import _copy_sample

from casebook.inputs.loader import load
from casebook.outputs.site import builder, mkdocs_config

pytestmark = pytest.mark.slow

ZENSICAL = os.environ.get("CASEBOOK_ZENSICAL") or shutil.which("zensical") or "/tmp/zvenv/bin/zensical"
if not Path(ZENSICAL).is_file():
    pytest.skip("no zensical command (see the module's docstring)", allow_module_level=True)


def test_generated_tree_builds_with_zensical(tmp_path):
    root = tmp_path / "collection"
    _copy_sample(root)
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as handle:
        handle.write("\nsite_url: https://anli.example.gov.cn/\n")
    collection, _ = load(root)
    prepared = builder.prepare(collection)
    config = mkdocs_config.load_generated(prepared.config)
    # what Zensical refuses in the generated file: an absolute docs_dir, a site_dir outside the
    # config's folder (both are under the cache folder, beside the config)
    folder = prepared.config.parent
    config["docs_dir"] = os.path.relpath(prepared.docs, folder)
    config["site_dir"] = "zensical-site"
    variant = folder / "zensical.yml"
    variant.write_text(mkdocs_config.dump(config), encoding="utf-8")
    result = subprocess.run(
        [ZENSICAL, "build", "-f", str(variant), "-c"], cwd=folder, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = folder / "zensical-site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for case in prepared.model.cases:
        page = (site / "cases" / case.slug / "index.html").read_text(encoding="utf-8")
        assert '<nav class="cb-breadcrumb" aria-label="当前位置">' in page, case.slug  # the generated blocks
        assert 'property="og:title"' in page and "data-cb-tools" in page  # main.html's overrides
        assert "assets/casebook/casebook.css" in page and 'class="cb-qr"' in page
        assert f"<loc>https://anli.example.gov.cn/cases/{case.slug}/</loc>" in sitemap.replace("&#x2f;", "/")
        assert (site / "cases" / case.slug / "photo-1.jpg").is_file() or not case.photos
    assert "页面不存在" in (site / "404.html").read_text(encoding="utf-8")
    assert (site / "assets" / "casebook" / "casebook.js").is_file() and (site / "search" / "meta.js").is_file()
    assert 'class="cb-cards cb-cards--groups"' in (site / "browse" / "category" / "index.html").read_text("utf-8")
