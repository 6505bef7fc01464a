"""Live preview: this process watches the collection (cases, photos, content, theme, mkdocs.yml) and
rebuilds the site the way `python build.py site` does (builder.build: only the pages whose input
changed, the whole site when settings, templates or the theme changed) into the cache's preview
folder; a small static server (a child process: ``python -m casebook.outputs.site.serve FOLDER PORT``)
serves that folder and tells open pages to reload when a build has finished."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from casebook.outcome import Exit
from casebook.outputs.site import builder, engine
from casebook.util import children

POLL_SECONDS = 0.5  # a snapshot of 1000 cases takes about 30 ms


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file the site is made from."""
    state: dict[str, tuple[int, int]] = {}
    for name in ("cases", "content", "theme"):
        for dirpath, dirnames, filenames in os.walk(root / name):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for filename in filenames:
                path = os.path.join(dirpath, filename)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                state[path] = (stat.st_size, stat.st_mtime_ns)
    for extra in (root / "mkdocs.yml",):
        if extra.is_file():
            stat = extra.stat()
            state[str(extra)] = (stat.st_size, stat.st_mtime_ns)
    return state


def regenerate(root: Path) -> bool:
    from casebook import pipeline
    from casebook.outcome import show
    from casebook.publish import views
    from casebook.util import files

    loaded = pipeline.load(root)
    gate = views.gate(loaded.collection, loaded.report, views.PUBLIC)
    show(d for d in loaded.report.sorted() if d.severity == "warning" or d in gate.blocking)
    if loaded.collection is None or gate.blocking:
        sys.stderr.write("有错误，预览保持上一次的内容。\n")
        return False
    started = time.perf_counter()
    ahead, _AHEAD["engine"] = _AHEAD["engine"], None
    try:
        with files.build_lock(root, wait=600):
            prepared, warnings = builder.build(loaded.collection, preview_dir(root), ahead=ahead)
    finally:
        if ahead is not None:
            ahead.cancel()  # a no-op when the build used it
    _AHEAD["engine"] = builder.start_engine(root)  # ready for the next save: started, configured, listed
    for line in warnings:
        sys.stderr.write(f"网站引擎提示：{line}\n")
    if prepared.outcome != "unchanged":
        seconds = time.perf_counter() - started
        what = "整个网站" if prepared.outcome == "full" else f"{prepared.rendered} 个文件"
        sys.stderr.write(f"已更新预览：重新生成{what}，用时 {seconds:.1f} 秒\n")
    return True


# the engine's next dirty run, started after each build and waiting for the next one (builder.build's
# ``ahead``): the preview's engine spends its start-up while the editor is still typing
_AHEAD: dict = {"engine": None}


def _cancel_ahead() -> None:
    ahead, _AHEAD["engine"] = _AHEAD["engine"], None
    if ahead is not None:
        ahead.cancel()


def preview_dir(root: Path) -> Path:
    return builder.cache_dir(root) / "preview"


RELOAD_PATH = "/.casebook-reload"
_RELOAD_SCRIPT = (
    (
        "<script>(function(){var v=null;function poll(){fetch('%s',{cache:'no-store'})"
        ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload();return}"
        "v=t;setTimeout(poll,700)}).catch(function(){setTimeout(poll,1500)})}poll()})();</script>"
    )
    .replace("%s", RELOAD_PATH)
    .encode()
)


def _version(folder: Path) -> str:
    """Changes whenever a build has replaced the preview folder (its record beside it is rewritten)."""
    try:
        stat = builder.state_file(folder).stat()
    except OSError:
        return "-"
    return f"{stat.st_mtime_ns}-{stat.st_ino}"


def http_main(folder: Path, port: int) -> None:
    """Serve ``folder`` (looked up again at every request: builds swap it) on 127.0.0.1:``port``;
    HTML pages get a script that reloads them when ``_version`` changes."""
    import functools
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args) -> None:  # quiet, like the engine's server without -v
            pass

        def do_GET(self) -> None:
            if self.path.split("?")[0] == RELOAD_PATH:
                return self._send(200, "text/plain; charset=utf-8", _version(folder).encode())
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    return super().do_GET()  # the redirect to the folder URL
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                body = target.read_bytes()
                cut = body.rfind(b"</body>")
                body = body[:cut] + _RELOAD_SCRIPT + body[cut:] if cut >= 0 else body + _RELOAD_SCRIPT
                return self._send(200, "text/html; charset=utf-8", body)
            if not target.exists() and (folder / "404.html").is_file():
                return self._send(404, "text/html; charset=utf-8", (folder / "404.html").read_bytes())
            return super().do_GET()

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    handler = functools.partial(Handler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


def _server_environment() -> dict[str, str]:
    env = engine.environment()
    here = str(Path(__file__).resolve().parents[3])  # this copy of casebook, wherever we are started
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH", "")) if p)
    return env


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def port_problem(port: int) -> str | None:
    """Why the preview cannot listen on ``port`` (checked before anything is announced), or None."""
    if not 1 <= port <= 65535:
        return f"端口 {port} 无效：应为 1–65535 之间的整数"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return f"端口 {port} 已被其他程序占用：请换一个端口，如 --port {port + 1 if port < 65535 else 8000}"
    return None


def run(root: Path, port: int) -> int:
    root = root.resolve()
    problem = port_problem(port)
    if problem:
        sys.stderr.write(f"错误：{problem}\n")
        return Exit.USAGE
    try:
        ready = regenerate(root)
    except Exception as error:  # a broken mkdocs.yml or a privacy stop: say it, no traceback
        sys.stderr.write(f"错误：无法生成预览：{error}\n")
        return Exit.CONTENT
    if not ready:
        return Exit.CONTENT
    server = subprocess.Popen(
        [sys.executable, "-m", "casebook.outputs.site.serve", str(preview_dir(root)), str(port)],
        env=_server_environment(),
        **children.popen_options(),
    )
    sys.stderr.write(f"预览地址：http://127.0.0.1:{port}/ （按 Ctrl+C 结束）\n")
    signal.signal(signal.SIGTERM, _interrupt)
    state = snapshot(root)
    try:
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            current = snapshot(root)
            if current != state:
                state = current
                try:
                    regenerate(root)
                except Exception as error:  # keep serving; the message says what went wrong
                    sys.stderr.write(f"重新生成失败：{error}\n")
    except KeyboardInterrupt:
        pass
    finally:
        _cancel_ahead()
        ended_by_itself = server.poll() is not None
        if not ended_by_itself:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    if ended_by_itself and server.returncode != 0:
        sys.stderr.write(f"错误：预览服务意外退出（退出码 {server.returncode}），请查看上面的提示\n")
        return Exit.CONTENT
    return Exit.OK


if __name__ == "__main__":  # the preview's static server, started by run()
    try:
        http_main(Path(sys.argv[1]), int(sys.argv[2]))
    except KeyboardInterrupt:
        pass
