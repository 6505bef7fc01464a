"""Live preview: the engine's own server with live reload on the generated tree, while this process
watches the collection (cases, photos, content, theme, mkdocs.yml) and regenerates what changed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from casebook.util import children
from casebook.outcome import Exit
from casebook.outputs.site import builder, engine

POLL_SECONDS = 1.0


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
    from casebook.util import files
    from casebook.outcome import show
    from casebook.publish import views

    loaded = pipeline.load(root)
    gate = views.gate(loaded.collection, loaded.report, views.PUBLIC)
    show(d for d in loaded.report.sorted() if d.severity == "warning" or d in gate.blocking)
    if loaded.collection is None or gate.blocking:
        sys.stderr.write("有错误，预览保持上一次的内容。\n")
        return False
    with files.build_lock(root, wait=600):
        prepared = builder.prepare(loaded.collection)
    if prepared.changed:
        sys.stderr.write(f"已更新 {prepared.changed} 个文件\n")
    return True


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
    config = builder.cache_dir(root) / "mkdocs.yml"
    server = subprocess.Popen(
        engine.command("serve", config, "--dev-addr", f"127.0.0.1:{port}", "--livereload", "--watch-theme"),
        env=engine.environment(),
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
