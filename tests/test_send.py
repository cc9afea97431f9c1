"""`python -m pmo send` (issue 21) against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import email.policy
import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from pmo import kpi, pack, store

ROOT = Path(__file__).resolve().parents[1]
PORTS = range(8525, 8531)  # this branch's loopback ports for SMTP tests
HOSTILE = '<script>alert("pwned")</script> & <b>Co</b>'
REFUSED = "nobody@example.org"
REPLY = "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown"


class Inbox:
    """An aiosmtpd handler that keeps each message and refuses one recipient."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == REFUSED:
            return REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1, on the first free port of 8525-8530."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                continue  # taken
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        break
    else:
        pytest.fail("no free loopback port in 8525-8530 for the SMTP server")
    inbox.address = f"127.0.0.1:{port}"
    try:
        yield inbox
    finally:
        controller.stop()


def send(*args, env=None):
    environ = {k: v for k, v in os.environ.items() if k != "PMO_SMTP_PASSWORD"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pmo", "send", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
    )


def rename_to_hostile(db: Path, project_name: str) -> None:
    with store.connect(db, write=True) as con:
        con.execute(
            "update projects set name = $n where name = $old", {"n": HOSTILE, "old": project_name}
        )


def test_the_pack_and_summary_arrive_by_email(demo_db, smtp):
    # Regulatory Reporting Automation turned Red in April 2026: the summary names it.
    rename_to_hostile(demo_db, "Regulatory Reporting Automation")
    proc = send(
        "--to",
        "cio@example.org",
        "cfo@example.org",
        "--smtp",
        smtp.address,
        "--from",
        "pmo@example.org",
        "--db",
        demo_db,
        "--as-of",
        "2026-04-30",
        "--portfolio",
        "Digital Growth",
        "--portfolio",
        "Risk & Compliance",
    )
    assert proc.returncode == 0, proc.stderr
    assert len(smtp.messages) == 1
    assert smtp.envelopes == [("pmo@example.org", ["cio@example.org", "cfo@example.org"])]
    msg = smtp.messages[0]
    assert msg["Subject"] == (
        "Portfolio review as of 30 Apr 2026 - Portfolio: Digital Growth, Risk & Compliance"
    )
    assert msg["To"] == "cio@example.org, cfo@example.org"
    assert f"sent {msg['Subject']!r}" in proc.stdout

    # The attachment opens with python-pptx: summary first, decisions slide last.
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == "portfolio-review-2026-04-30.pptx"
    deck = Presentation(io.BytesIO(part.get_content()))
    texts = [
        "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides
    ]
    assert texts[0].startswith("Portfolio review: executive summary")
    assert texts[-1].startswith("Decisions and actions")
    assert HOSTILE in texts[0]  # as plain text on the slide, never interpreted

    # The body holds the headline KPIs of the same view, in HTML and in plain text.
    view = {"portfolio": ["Digital Growth", "Risk & Compliance"]}
    with store.connect(demo_db) as con:
        head = kpi.headline(con, __import__("datetime").date(2026, 4, 30), **view)
    rows = pack.kpi_rows(head)
    cpi = rows.set_index("KPI").loc["Cost performance (CPI)", "Value"]
    in_flight = rows.set_index("KPI").loc["In-flight projects", "Value"]
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    for body in (html, text):
        assert "Headline KPIs" in body
        assert cpi in body and in_flight in body
    assert f'<td style="padding:4px 0;text-align:right;font-weight:bold">{cpi}</td>' in html
    # The hostile project name is escaped in the HTML, and plain in the text alternative.
    assert "<script>" not in html and "<b>Co</b>" not in html
    assert (
        "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
    )
    assert HOSTILE in text


def test_a_refused_recipient_exits_1_with_the_servers_reply(demo_db, smtp):
    proc = send(
        "--to", REFUSED, "--smtp", smtp.address, "--from", "pmo@example.org", "--db", demo_db
    )
    assert proc.returncode == 1
    assert f"{smtp.address} refused every recipient: {REFUSED}: {REPLY}" in proc.stderr
    assert smtp.messages == []


def test_one_refused_among_several_is_still_exit_1(demo_db, smtp):
    proc = send(
        "--to",
        "cio@example.org",
        REFUSED,
        "--smtp",
        smtp.address,
        "--from",
        "pmo@example.org",
        "--db",
        demo_db,
    )
    assert proc.returncode == 1
    assert f"refused {REFUSED}: {REPLY} (sent to cio@example.org)" in proc.stderr
    assert len(smtp.messages) == 1


def test_no_server_listening_exits_1(demo_db):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = send("--to", "cio@example.org", "--smtp", f"127.0.0.1:{port}", "--db", demo_db)
    assert proc.returncode == 1
    assert f"could not send through 127.0.0.1:{port}" in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "cio@example.org"], "the following arguments are required: --smtp"),
        (["--to", "not-an-address", "--smtp", "127.0.0.1:8525"], "--to: not an email address"),
        (
            ["--to", "a@example.org\nBcc: x@evil.org", "--smtp", "127.0.0.1:8525"],
            "--to: not an email address",
        ),
        (["--to", "cio@example.org", "--smtp", "mail.example.org"], "--smtp expects HOST:PORT"),
        (
            ["--to", "cio@example.org", "--smtp", "127.0.0.1:8525", "--password", "x"],
            "unrecognized arguments: --password",
        ),
    ],
)
def test_usage_errors_exit_2(args, message, db):
    proc = send(*args, "--db", db)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_the_password_is_never_sent_in_clear_to_a_remote_server(db):
    proc = send(
        "--to",
        "cio@example.org",
        "--smtp",
        "mail.example.org:25",
        "--db",
        db,
        env={"PMO_SMTP_PASSWORD": "s3cret"},
    )
    assert proc.returncode == 2
    assert "add --starttls" in proc.stderr
    assert "s3cret" not in proc.stderr + proc.stdout


def test_the_password_comes_from_the_environment(monkeypatch):
    # A login over loopback (no TLS needed there); the password never appears as a flag.
    from email.message import EmailMessage

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from pmo import mail as mailer

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret")

    inbox = Inbox()
    for port in PORTS:
        controller = Controller(
            inbox,
            hostname="127.0.0.1",
            port=port,
            authenticator=authenticator,
            auth_require_tls=False,
        )
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            continue
    else:
        pytest.fail("no free loopback port in 8525-8530 for the SMTP server")
    try:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "pmo@example.org", "cio@example.org", "t"
        msg.set_content("x")
        mail = mailer.Mail(msg, "t", "x.pptx", [], [])
        monkeypatch.setenv("PMO_SMTP_PASSWORD", "s3cret")
        assert mailer.deliver(mail, "127.0.0.1", port, password=mailer.password_from_env()) == [
            "cio@example.org"
        ]
        assert logins == [("pmo@example.org", "s3cret")]  # the login defaults to the sender
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
