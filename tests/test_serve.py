"""`python -m pmo serve` (issue 20): replicas behind nginx, sticky sessions, the production
configuration, and every process it started stopped at the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pmo import serve
from tests.e2e_server import ROOT, free_port, wait_for_app

NGINX = Path("/usr/sbin/nginx")


# ------------------------------------------------------------------ configuration (no server)


def test_every_production_option_is_on_the_replica_command_and_dev_drops_them():
    cmd = serve.replica_command(8540)
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    assert {k.removeprefix("--"): v for k, v in flags.items()} == {
        "server.port": "8540",
        "server.fileWatcherType": "none",
        "server.runOnSave": "false",
        "runner.postScriptGC": "false",
        "server.headless": "true",
        "browser.gatherUsageStats": "false",
        "global.developmentMode": "false",
        "server.address": "127.0.0.1",
        "logger.level": "warning",
    }
    dev = serve.replica_command(8540, dev=True)
    assert "--server.fileWatcherType" not in dev and "--runner.postScriptGC" not in dev
    # The development defaults stay in .streamlit/config.toml: `streamlit run app.py` watches
    # files and collects garbage as Streamlit does by default.
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "fileWatcherType" not in config and "postScriptGC" not in config


def test_missing_nginx_is_a_clear_message_and_exit_1(monkeypatch, capsys, tmp_path):
    from pmo import cli

    monkeypatch.setattr(serve.shutil, "which", lambda name: None)
    monkeypatch.setattr(serve.Path, "exists", lambda self: False)
    status = cli.main(
        ["serve", "--replicas", "2", "--port", "8550", "--db", str(tmp_path / "x.duckdb")]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "nginx is not installed" in err
    assert "apt-get install nginx" in err and "--replicas 1" in err


def test_sign_in_without_a_real_shared_cookie_secret_is_refused(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\ncookie_secret = "change-me-to-a-long-random-string"\n')
    with pytest.raises(serve.ServeError, match="cookie_secret must be one long random string"):
        serve.check_secrets(secrets)
    secrets.write_text(f'[auth]\ncookie_secret = "{"k" * 48}"\n')
    serve.check_secrets(secrets)  # accepted


def test_deploy_nginx_site_is_the_one_serve_writes():
    """deploy/nginx-pmo-lens.conf is nginx_site() for 2 replicas on 8502-8503 behind :80."""
    text = (ROOT / "deploy" / "nginx-pmo-lens.conf").read_text()
    assert serve.nginx_site("80", [8502, 8503]) in text


@pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (apt-get install nginx)")
def test_nginx_accepts_the_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(serve.nginx_main(tmp_path, serve.nginx_site("127.0.0.1:8559", [8548, 8549])))
    done = subprocess.run(
        [str(NGINX), "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


# ------------------------------------------------------------------ the real thing (e2e)

COOKIE_SECRET = "serve-test-cookie-secret-0123456789-abcdefghijklmnop"


def secrets_toml(port: int) -> str:
    return f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"
client_id = "pmo-lens"
client_secret = "not-a-real-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"

[pmo]
editors = ["editor@example.com"]
"""


def signed_user_cookie(port: int, email: str, name: str) -> str:
    """The identity cookie Streamlit sets after an OIDC sign-in, signed with the shared secret."""
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    payload = json.dumps(
        {"origin": f"http://127.0.0.1:{port}", "is_logged_in": True, "email": email, "name": name}
    )
    return create_signed_value(COOKIE_SECRET, "_streamlit_user", payload).decode()


def replica_of(url: str, cookie: str | None = None) -> str:
    """The X-PMO-Replica header nginx puts on its answer ('127.0.0.1:PORT[, ...]')."""
    req = urllib.request.Request(url)
    if cookie:
        req.add_header("Cookie", f"pmo_replica={cookie}")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.headers["X-PMO-Replica"]


def children(pid: int) -> set[int]:
    """Every descendant of a process (from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "(Z)" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:4]
    except OSError:
        return "(Z)"


def render(browser, url: str, cookies: list[dict]) -> tuple[str, set[str]]:
    """Open the app in a new browser session; its text and every replica that answered it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies(cookies)
    answered: set[str] = set()
    context.on("response", lambda r: answered.add(r.headers.get("x-pmo-replica", "-")))
    page = context.new_page()
    try:
        page.goto(url)
        wait_for_app(page)
        page.get_by_text("Signed in as").wait_for(timeout=30000)
        return page.inner_text("[data-testid='stApp']"), answered
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (apt-get install nginx)")
def test_two_replicas_behind_nginx(browser, demo_db, tmp_path):
    port, first = free_port(), free_port()
    while first + 1 == port or not _free(first + 1):
        first = free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(secrets_toml(port))
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pmo",
            "serve",
            "--replicas",
            "2",
            "--port",
            str(port),
            "--app-port",
            str(first),
            "--db",
            str(demo_db),
            "--secrets",
            str(secrets),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    a, b = f"127.0.0.1:{first}", f"127.0.0.1:{first + 1}"
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                replica_of(url + "/_stcore/health")
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("serve did not answer: " + (tmp_path / "serve.log").read_text())
        started = children(proc.pid)
        replicas = {p: cmdline(p) for p in started if "streamlit" in " ".join(cmdline(p))}
        assert len(replicas) == 2
        # The production configuration is what serve runs: every option, on every replica.
        for args in replicas.values():
            flags = dict(zip(args[5::2], args[6::2], strict=False))  # a trailing flag has no value
            for key, value in serve.PRODUCTION_OPTIONS.items():
                assert flags[f"--{key}"] == value, (key, args)

        # Sticky: one cookie, one replica, every time; cookies spread over both replicas.
        by_cookie = {f"session-{i}": replica_of(url + "/", f"session-{i}") for i in range(24)}
        assert set(by_cookie.values()) == {a, b}
        for cookie, replica in list(by_cookie.items())[:6]:
            assert {replica_of(url + "/_stcore/health", cookie) for _ in range(5)} == {replica}
        on_a = next(c for c, r in by_cookie.items() if r == a)
        on_b = next(c for c, r in by_cookie.items() if r == b)

        # Browser sessions render through nginx, each wholly on its replica, and the one
        # signed-in identity cookie works on both (the shared cookie secret).
        user = {
            "name": "_streamlit_user",
            "value": signed_user_cookie(port, "exec@example.com", "Erin Exec"),
            "url": url,
        }
        for cookie, replica in ((on_a, a), (on_b, b)):
            text, answered = render(
                browser, url, [user, {"name": "pmo_replica", "value": cookie, "url": url}]
            )
            assert answered == {replica}
            assert "Portfolio overview" in text and "Erin Exec" in text
            assert "viewer" in text  # not among the editors

        # Kill replica a: a session whose cookie hashes to it is served by b at once, and
        # new sessions keep rendering.
        (pid_a,) = [p for p, args in replicas.items() if str(first) in args]
        os.kill(pid_a, signal.SIGKILL)
        assert replica_of(url + "/", on_a).split(", ")[-1] == b
        for _ in range(2):
            text, answered = render(browser, url, [user])
            assert "Portfolio overview" in text and "Erin Exec" in text
        started |= children(proc.pid)  # the replica serve restarted in a's place
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        log.close()
    assert status == 0, (tmp_path / "serve.log").read_text()
    # Every process serve started (replicas, nginx master and workers) is gone.
    time.sleep(0.5)
    assert len(started) >= 4  # 2 replicas + nginx master + a worker
    assert [p for p in started if alive(p)] == []
    assert "stopping PMO Lens" in (tmp_path / "serve.log").read_text()


def _free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
