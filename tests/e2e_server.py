"""A real `streamlit run` server and headless Chromium, for the browser tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    db: Path, extra_env: dict | None = None, args: list[str] | None = None, log: Path | None = None
):
    """Serve app.py on a free loopback port with PMO_DB=db; yield the base URL.

    ``args`` are extra `streamlit run` options, e.g. ["--secrets.files", "/tmp/s.toml"];
    ``log`` a file for the server's output (else it is discarded: an unread pipe would
    stall a chatty server).
    """
    port = free_port()
    env = {**os.environ, "PMO_DB": str(db), **(extra_env or {})}
    out = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *(args or []),
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


def wait_for_app(page, timeout_ms: int = 60000) -> None:
    """Wait until the page has a title and Streamlit has stayed idle (no 'Running') for 1.5 s."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_selector("h1", timeout=timeout_ms)
    idle_since = None
    waited = 0
    while waited < timeout_ms:
        running = (
            page.locator("[data-testid='stStatusWidget']").count() > 0
            or page.locator("[data-testid='stSkeleton']").count() > 0
        )
        if running:
            idle_since = None
        elif idle_since is None:
            idle_since = waited
        elif waited - idle_since >= 1500:
            return
        page.wait_for_timeout(250)
        waited += 250
    raise TimeoutError("the app kept running")


def app_pages() -> list[tuple[str, str]]:
    """(file stem, URL path) of every st.Page in app.py, the default page at ''."""
    import ast

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "Page"
            and isinstance(node.args[0], ast.Constant)  # a page file, not the sign-in callable
        ):
            stem = Path(node.args[0].value).stem
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            out.append((stem, "" if kw.get("default") else kw.get("url_path", stem)))
    return out
