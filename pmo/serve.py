"""Serving a review week (docs/deployment.md, issue 20): N app processes behind nginx, sticky sessions.

`python -m pmo serve --replicas N [--port P] [--db PATH]` starts N Streamlit processes of
app.py on loopback ports, all reading one database file, and Debian's nginx in front on port
P. nginx keeps each browser on its replica (Streamlit keeps a websocket and the session's
state in one process), sends a new session past a replica that does not answer, and the
command stops everything it started on Ctrl-C or SIGTERM (a replica that dies is restarted).

The production configuration (PRODUCTION_OPTIONS) is what every replica runs; `--dev` drops
it for Streamlit's development defaults (file watcher, full GC after every run). The same
nginx site and the same replica command are in deploy/ for hosts set up by hand.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from pmo import store

ROOT = store.ROOT
APP = ROOT / "app.py"

# Streamlit options every production replica runs with (each is a `streamlit run --KEY VALUE`
# flag, so it wins over .streamlit/config.toml, which keeps the development defaults).
# Measured with py-spy on one process serving 16 sessions (issue 20): 38 % of the CPU went
# to the full gc.collect(2) Streamlit runs after every script run, 27 % to the file watcher.
PRODUCTION_OPTIONS: dict[str, str] = {
    # No file watcher: nobody edits the code of a running server; the watcher's polling
    # thread took a quarter of the CPU.
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    # No full garbage collection after every script run: Python's own generational
    # collector still runs; the forced full pass walked every cached frame on every rerun.
    "runner.postScriptGC": "false",
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "global.developmentMode": "false",
    # Behind a proxy on the same host: only loopback reaches a replica.
    "server.address": "127.0.0.1",
    # Per-request INFO lines for hundreds of reruns a minute help nobody on a review morning.
    "logger.level": "warning",
}

STOP_WAIT_S = 10.0
# The example secret in deploy/: refused, so nobody serves with the published one.
PLACEHOLDER_SECRET = "change-me-to-a-long-random-string"  # noqa: S105


class ServeError(Exception):
    """The serve command cannot start (a clear message; exit status 1)."""


def replica_command(
    port: int, *, dev: bool = False, secrets_file: Path | None = None, address: str = "127.0.0.1"
) -> list[str]:
    """The `streamlit run` command line of one app process on ``address``:``port``."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    options = {"server.headless": "true"} if dev else dict(PRODUCTION_OPTIONS)
    options["server.address"] = address
    for key, value in options.items():
        cmd += [f"--{key}", value]
    if secrets_file is not None:
        cmd += ["--secrets.files", str(secrets_file)]
    return cmd


def nginx_site(listen: str, app_ports: list[int], *, upstream: str = "pmo_lens") -> str:
    """The http-level nginx configuration: sticky sessions over the replicas on ``app_ports``.

    Stickiness: the first response to a browser sets a `pmo_replica` cookie (the request's
    random id), and the upstream is chosen by a consistent hash of that cookie, so the page,
    its websocket, uploads and downloads of one browser reach the same replica. A replica that
    refuses connections is skipped (proxy_next_upstream) and marked down for 10 s, so new
    sessions (and reconnecting ones) go to the others.
    """
    servers = "\n".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in app_ports
    )
    return f"""\
# PMO Lens behind nginx: {len(app_ports)} replica(s), sticky sessions by cookie (issue 20).
map $cookie_pmo_replica $pmo_replica {{
    ""      $request_id;
    default $cookie_pmo_replica;
}}
map $cookie_pmo_replica $pmo_set_cookie {{
    # Add "; Secure" when nginx terminates TLS.
    ""      "pmo_replica=$request_id; Path=/; HttpOnly; SameSite=Lax";
    default "";
}}
map $http_upgrade $pmo_connection {{
    default upgrade;
    ""      close;
}}

upstream {upstream} {{
    hash $pmo_replica consistent;
{servers}
}}

server {{
    listen {listen};
    # Streamlit's own upload limit (server.maxUploadSize, MB) is the one users see.
    client_max_body_size 200m;

    location / {{
        proxy_pass http://{upstream};
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $pmo_connection;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # A session's websocket stays open all morning.
        proxy_read_timeout 1d;
        proxy_send_timeout 1d;
        proxy_buffering off;
        proxy_connect_timeout 2s;
        proxy_next_upstream error timeout http_502 http_503;
        add_header Set-Cookie $pmo_set_cookie always;
        # Which replica answered (for the tests and for an operator's curl -I).
        add_header X-PMO-Replica $upstream_addr always;
    }}
}}
"""


def nginx_main(run_dir: Path, site: str) -> str:
    """A whole nginx.conf for an unprivileged, foreground nginx whose files live in run_dir."""
    return f"""\
daemon off;
worker_processes 1;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    client_body_temp_path {run_dir}/client_body;
    proxy_temp_path {run_dir}/proxy;
    fastcgi_temp_path {run_dir}/fastcgi;
    uwsgi_temp_path {run_dir}/uwsgi;
    scgi_temp_path {run_dir}/scgi;
{site}
}}
"""


def find_nginx() -> str:
    """The nginx binary (Debian installs it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if not found:
        raise ServeError(
            "nginx is not installed, and several replicas need it in front of them.\n"
            "  Debian/Ubuntu: sudo apt-get install nginx\n"
            "  Or serve one process without a proxy: python -m pmo serve --replicas 1"
        )
    return found


def check_secrets(path: Path | None) -> None:
    """Refuse sign-in settings that cannot work across replicas (no shared cookie secret)."""
    candidates = [path] if path else [ROOT / ".streamlit" / "secrets.toml"]
    for p in candidates:
        if p is None or not p.exists():
            continue
        with p.open("rb") as fh:
            data = tomllib.load(fh)
        auth = data.get("auth")
        if isinstance(auth, dict) and auth:
            secret = str(auth.get("cookie_secret") or "")
            if len(secret) < 32 or secret == PLACEHOLDER_SECRET:
                raise ServeError(
                    f"{p}: [auth] cookie_secret must be one long random string shared by every "
                    "replica (a visitor signed in on one replica is then signed in on all).\n"
                    '  Set it with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
                )


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM if serve itself is killed without cleaning up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Replica:
    """One app process on a loopback port."""

    port: int
    proc: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)


def wait_healthy(port: int, timeout: float = 90.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until a replica answers Streamlit's health check."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServeError(f"the app process on port {port} exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise ServeError(f"the app process on port {port} did not answer within {timeout:.0f} s")


class Server:
    """The replicas and nginx that one `pmo serve` started, and their shutdown."""

    def __init__(
        self,
        *,
        replicas: int,
        port: int,
        app_port: int | None,
        db: Path,
        dev: bool = False,
        secrets_file: Path | None = None,
        log=None,
        address: str = "127.0.0.1",
    ) -> None:
        if replicas < 1:
            raise ServeError("--replicas must be at least 1")
        self.dev, self.db, self.secrets_file, self.address = dev, db, secrets_file, address
        self.port = port
        first = app_port if app_port is not None else (port if replicas == 1 else port + 1)
        self.replicas = [Replica(first + i) for i in range(replicas)]
        self.proxied = replicas > 1
        self.nginx: subprocess.Popen | None = None
        self.run_dir = Path(tempfile.mkdtemp(prefix="pmo-serve-"))
        self.log = log or sys.stderr
        # One signing secret for every replica: Streamlit signs its cookies with it (the
        # sign-in cookie with [auth] cookie_secret when that is set, which wins).
        self.env = {
            **os.environ,
            "PMO_DB": str(db),
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(48),
        }
        self._stopping = False

    # ------------------------------------------------------------------ start
    def start(self) -> None:
        """Prepare the database, start the replicas, then nginx; wait until all answer."""
        nginx = find_nginx() if self.proxied else None
        check_secrets(self.secrets_file)
        self._prepare_database()
        for r in self.replicas:
            self._spawn(r)
        for r in self.replicas:
            wait_healthy(r.port, proc=r.proc)
        if nginx:
            site = nginx_site(f"{self.address}:{self.port}", [r.port for r in self.replicas])
            conf = self.run_dir / "nginx.conf"
            conf.write_text(nginx_main(self.run_dir, site))
            test = subprocess.run(  # noqa: S603 our argv: nginx, our config
                [nginx, "-t", "-q", "-c", str(conf), "-p", str(self.run_dir)],
                capture_output=True,
                text=True,
            )
            if test.returncode != 0:
                raise ServeError(f"nginx refused the configuration {conf}:\n{test.stderr.strip()}")
            self.nginx = subprocess.Popen(  # noqa: S603 as above
                [nginx, "-c", str(conf), "-p", str(self.run_dir)],
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
            wait_healthy(self.port, proc=self.nginx)

    def _prepare_database(self) -> None:
        # One writer: the database and any table added since it was made are created here,
        # once, before the replicas open it to read. Only the demo's own database is filled
        # with the demo; a PMO's database that does not exist yet starts empty.
        if not store.db_path(self.db).exists():
            from pmo import demo

            if demo.is_demo(self.db):
                print(f"no database at {self.db}: building the demo portfolio", file=self.log)
                demo.build(self.db)
            else:
                print(f"no database at {self.db}: creating it empty", file=self.log)
        with store.connect(self.db, write=True):
            pass

    def _spawn(self, r: Replica) -> None:
        out = (self.run_dir / f"app-{r.port}.log").open("ab")
        r.proc = subprocess.Popen(  # noqa: S603 argv of our own: this Python running streamlit
            replica_command(
                r.port,
                dev=self.dev,
                secrets_file=self.secrets_file,
                address="127.0.0.1" if self.proxied else self.address,
            ),
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        out.close()

    # ------------------------------------------------------------------ run
    @property
    def url(self) -> str:
        """Where users open the app."""
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address  # noqa: S104 comparing, not binding: 0.0.0.0 listens on every interface
        port = self.port if self.proxied else self.replicas[0].port
        return f"http://{host}:{port}"

    def pids(self) -> list[int]:
        """Every process this server started and that is still running."""
        procs = [r.proc for r in self.replicas] + [self.nginx]
        return [p.pid for p in procs if p is not None and p.poll() is None]

    def watch(self, interval: float = 1.0) -> None:
        """Until stopped: restart a replica that exited (at most 3 times a minute each)."""
        while not self._stopping:
            time.sleep(interval)
            if self._stopping:
                break
            if self.nginx is not None and self.nginx.poll() is not None:
                raise ServeError(
                    f"nginx exited (status {self.nginx.returncode}); "
                    f"see {self.run_dir}/nginx-error.log"
                )
            now = time.monotonic()
            for r in self.replicas:
                if r.proc is not None and r.proc.poll() is not None and not self._stopping:
                    r.restarts = [t for t in r.restarts if now - t < 60]
                    if len(r.restarts) >= 3:
                        continue  # nginx keeps sending sessions to the others
                    print(
                        f"replica on port {r.port} exited (status {r.proc.returncode}); "
                        "restarting it",
                        file=self.log,
                    )
                    r.restarts.append(now)
                    self._spawn(r)

    # ------------------------------------------------------------------ stop
    def stop(self) -> None:
        """Stop nginx and every replica (SIGTERM, then SIGKILL after 10 s); remove run files."""
        self._stopping = True
        procs = [p for p in [self.nginx] + [r.proc for r in self.replicas] if p is not None]
        for p in procs:
            if p.poll() is None:
                # nginx: SIGQUIT is its graceful stop; SIGTERM its fast one. Fast is right
                # here: the replicas behind it are going away too.
                p.terminate()
        deadline = time.monotonic() + STOP_WAIT_S
        for p in procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def serve(
    replicas: int,
    port: int,
    db: Path,
    *,
    app_port: int | None = None,
    dev: bool = False,
    secrets_file: Path | None = None,
    log=None,
    address: str = "127.0.0.1",
) -> int:
    """Run until Ctrl-C or SIGTERM; return the exit status."""
    log = log or sys.stderr
    server = Server(
        replicas=replicas,
        port=port,
        app_port=app_port,
        db=db,
        dev=dev,
        secrets_file=secrets_file,
        log=log,
        address=address,
    )

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.start()
        ports = ", ".join(str(r.port) for r in server.replicas)
        mode = "development defaults" if dev else "production configuration"
        if server.proxied:
            print(
                f"PMO Lens at {server.url}: nginx in front of {replicas} replicas "
                f"(loopback ports {ports}), {mode}, database {db}. Ctrl-C stops all.",
                file=log,
                flush=True,
            )
        else:
            print(
                f"PMO Lens at {server.url}: one process, {mode}, database {db}. Ctrl-C stops it.",
                file=log,
                flush=True,
            )
        server.watch()
    except KeyboardInterrupt:
        print("stopping PMO Lens …", file=log, flush=True)
    finally:
        # No second signal may interrupt the shutdown half-way.
        for s in previous:
            signal.signal(s, signal.SIG_IGN)
        server.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0


def exec_replica(
    port: int, *, dev: bool = False, secrets_file: Path | None = None, address: str = "127.0.0.1"
) -> None:
    """Become one app process (no proxy): what deploy/pmo-lens@.service runs per port."""
    check_secrets(secrets_file)
    cmd = replica_command(port, dev=dev, secrets_file=secrets_file, address=address)
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)  # noqa: S606 becomes the app process (exec), argv of our own
