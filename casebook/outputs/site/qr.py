"""The QR code of a case page's address, drawn at build time (segno: pure Python, no image library,
nothing fetched) as the geometry of one SVG path; the markup is in theme/site/casebook/case-qr.html.
The same address always gives the same drawing."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import segno

BORDER = 4  # the quiet zone the standard asks for, in modules


@dataclass(frozen=True)
class QrCode:
    address: str
    size: int  # modules per side, quiet zone included (the SVG's viewBox)
    path: str  # one rectangle per horizontal run of dark modules: "M x y h w v 1 h -w z"


@functools.lru_cache(maxsize=4096)
def make(address: str) -> QrCode | None:
    """None without an address (no site_url: the page has no address to scan). Kept per address: a
    rebuild (`serve`) draws only new addresses; encoding one is a few milliseconds."""
    if not address:
        return None
    code = segno.make_qr(address, error="m", boost_error=False)
    rows = [list(row) for row in code.matrix]
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + BORDER} {y + BORDER}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return QrCode(address, len(rows) + 2 * BORDER, "".join(runs))
