#!/usr/bin/env bash
# Zensical, the successor engine of Material for MkDocs, in a virtual environment of its own at a known
# path (tests/test_zensical.py looks there; CI runs this script and then fails that test if Zensical is
# missing). Never in the project's environment: Zensical pins its own Markdown, PyYAML and
# pymdown-extensions versions. 0.0.73 is the newest release that installs from the package index here:
# 0.0.74 and 0.1.x depend on a zensical-ui wheel (==0.0.41 / 0.0.42 / 0.0.43) that the index does not serve.
# Idempotent. CASEBOOK_ZENSICAL_VENV chooses another folder (the test then needs CASEBOOK_ZENSICAL).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.0.73
VENV="${CASEBOOK_ZENSICAL_VENV:-.cache/zensical-$VERSION}"
if [ "$("$VENV/bin/zensical" --version 2>/dev/null)" != "$VERSION" ]; then
    rm -rf "$VENV"
    python -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "zensical==$VERSION"
fi
echo "zensical $("$VENV/bin/zensical" --version) ready: $VENV/bin/zensical"
