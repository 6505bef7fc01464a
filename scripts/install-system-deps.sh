#!/usr/bin/env bash
# Debian packages the full build and the tests need: LibreOffice (PDF; python3-uno keeps one LibreOffice
# running per build instead of starting it for every conversion), CJK fonts of the four
# kinds the print format names (and HanaMin for CJK Extension B: rare names), poppler (PDF checks), Chromium (browser tests), Unihan stroke
# counts (unicode-data, for the stroke-count order of the book), python3-venv (Debian's Python needs it for
# the virtual environment of scripts/install-zensical.sh).
# Idempotent; needs root (CI runs as root). Python packages come from pyproject.toml.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui python3-uno \
    fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai fonts-liberation2 fonts-hanazono fonts-symbola \
    poppler-utils chromium unicode-data python3-venv >/dev/null

# FandolFang (仿宋 stand-in) ships only inside texlive-lang-chinese: extract its fonts instead of
# installing the TeX stack.
FANDOL_DIR=/usr/local/share/fonts/fandol
if [ ! -f "$FANDOL_DIR/FandolFang-Regular.otf" ]; then
    work="$(mktemp -d)"
    (cd "$work" && apt-get download texlive-lang-chinese >/dev/null 2>&1)
    dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
    $SUDO mkdir -p "$FANDOL_DIR"
    $SUDO cp "$work"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*.otf "$FANDOL_DIR"/
    rm -rf "$work"
    $SUDO fc-cache -f >/dev/null
fi
echo "system packages ready"
