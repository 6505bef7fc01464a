"""What the browser tests share: Debian's Chromium driven by Playwright, the WCAG rules axe checks,
and a built site served over HTTP as a web server serves it (404.html, with status 404, for any
address that does not exist; optionally under a sub-path, as on a portal)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions"]  # fmt: skip
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
NO_CHROMIUM = "Debian's chromium is not installed"


@contextlib.contextmanager
def chromium(sync_api) -> Iterator:
    """A headless Chromium (``sync_api``: playwright.sync_api, imported by the test module)."""
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The site under ``prefix``; 404.html for any other address, as nginx's error_page does."""

    prefix = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serving(folder: Path, prefix: str = "/") -> Iterator[str]:
    """``folder`` served on a free local port under ``prefix``; yields the site's address."""
    handler = type("Handler", (SiteHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
