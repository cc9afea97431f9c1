"""The review pack and summary by email: `python -m pmo send` (issue 21, the README's command line).

One message per run: a short HTML body (the executive summary and the headline KPIs, every
value escaped) with a plain-text alternative, and the .pptx pack attached. Sent with the
standard library's smtplib; the password comes from $PMO_SMTP_PASSWORD only (a flag would
show in `ps` and shell history). Meant for cron / a systemd timer after the nightly import.
"""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import os
import smtplib
import socket
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import duckdb

from pmo import filters, kpi, pack, summary

PASSWORD_ENV = "PMO_SMTP_PASSWORD"  # noqa: S105 the variable's name, not a password
PPTX_TYPE = ("application", "vnd.openxmlformats-officedocument.presentationml.presentation")
TIMEOUT_SECONDS = 60


class Refused(Exception):
    """The server refused (or could not be reached); the message quotes its reply."""


@dataclass
class Mail:
    """A built message and what it says, for the command's report and for tests."""

    message: EmailMessage
    subject: str
    filename: str
    sentences: list[summary.Sentence]
    kpis: list[tuple[str, str]]


def check_address(text: str, what: str) -> str:
    """One plain email address (name@domain); ValueError naming ``what`` otherwise."""
    value = str(text or "").strip()
    _, addr = parseaddr(value)
    if (
        not addr
        or addr != value
        or addr.count("@") != 1
        or any(c.isspace() or c in "<>,;\"'" for c in addr)
        or not all(addr.split("@"))
    ):
        raise ValueError(f"{what}: not an email address: {text!r} (expected name@example.org)")
    return addr


def parse_server(text: str) -> tuple[str, int]:
    """'HOST:PORT' -> (host, port); ValueError otherwise. IPv6 as [::1]:25."""
    value = str(text or "").strip()
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--smtp expects HOST:PORT (e.g. mail.example.org:587), got {text!r}")
    return host, int(port)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (a password may go unencrypted only there)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def build(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None,
    view: dict,
    *,
    sender: str,
    to: list[str],
) -> Mail:
    """The email for a view: subject with the view and as-of date, HTML + text, pack attached."""
    head = kpi.headline(con, as_of, **view)
    as_of_date = dt.date.fromisoformat(head["as_of"]) if head["as_of"] else None
    described = _one_line(filters.describe(view, as_of_date))
    # ASCII separators: Python folds a long header with a non-ASCII "·" into an encoded word
    # that reads back with a doubled space.
    scope = _one_line(filters.describe(view, None)).replace(" · ", "; ")
    when = f"{as_of_date:%-d %b %Y}" if as_of_date else "no data yet"
    subject = f"Portfolio review as of {when} - {scope}"
    sentences = summary.sentences(con, as_of, view)
    kpis = [(str(r.KPI), str(r.Value)) for r in pack.kpi_rows(head).itertuples(index=False)]
    deck = pack.build(con, as_of, view)
    filename = f"portfolio-review-{as_of_date or dt.date.today():%Y-%m-%d}.pptx"

    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(text_body(described, sentences, kpis, filename))
    msg.add_alternative(html_body(described, sentences, kpis, filename), subtype="html")
    msg.add_attachment(deck, maintype=PPTX_TYPE[0], subtype=PPTX_TYPE[1], filename=filename)
    return Mail(msg, subject, filename, sentences, kpis)


def text_body(
    described: str, sentences: list[summary.Sentence], kpis: list[tuple[str, str]], filename: str
) -> str:
    """The plain-text alternative."""
    lines = ["Portfolio review", described, "", "Executive summary"]
    lines += [f"- {s.text}" for s in sentences] or ["- Not enough data yet for a summary."]
    lines += ["", "Headline KPIs"]
    width = max((len(k) for k, _ in kpis), default=0)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in kpis]
    lines += ["", f"The review pack is attached ({filename}).", "-- PMO Lens"]
    return "\n".join(lines) + "\n"


def html_body(
    described: str, sentences: list[summary.Sentence], kpis: list[tuple[str, str]], filename: str
) -> str:
    """The HTML body: every value escaped (project names and titles are imported text)."""
    e = html.escape
    items = "".join(f"<li>{e(s.text)}</li>" for s in sentences) or (
        "<li>Not enough data yet for a summary.</li>"
    )
    rows = "".join(
        f'<tr><td style="padding:4px 16px 4px 0">{e(k)}</td>'
        f'<td style="padding:4px 0;text-align:right;font-weight:bold">{e(v)}</td></tr>'
        for k, v in kpis
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        '<body style="font-family:Arial,Helvetica,sans-serif;color:#1F2A37;max-width:720px">'
        f'<h2 style="color:#1F4E79;margin-bottom:0">Portfolio review</h2>'
        f'<p style="color:#5B6775;margin-top:4px">{e(described)}</p>'
        f"<h3>Executive summary</h3><ul>{items}</ul>"
        f'<h3>Headline KPIs</h3><table style="border-collapse:collapse">{rows}</table>'
        f"<p>The review pack is attached ({e(filename)}).</p>"
        '<p style="color:#5B6775">PMO Lens</p></body></html>'
    )


def _reply(code: object, text: object) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {_one_line(str(text))}".strip()


def deliver(
    mail: Mail,
    host: str,
    port: int,
    *,
    starttls: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> list[str]:
    """Send the message; returns the recipients it went to.

    Raises Refused with the server's reply quoted when the server refuses the sender, any
    recipient, the login or the data, or cannot be reached.
    """
    where = f"{host}:{port}"
    msg = mail.message
    to = [a.strip() for a in str(msg["To"]).split(",")]
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.ehlo()
            if starttls:
                smtp.starttls()
                smtp.ehlo()
            if password:
                smtp.login(user or str(msg["From"]), password)
            refused = smtp.send_message(msg, to_addrs=to)
    except smtplib.SMTPRecipientsRefused as exc:
        quoted = "; ".join(f"{addr}: {_reply(*reply)}" for addr, reply in exc.recipients.items())
        raise Refused(f"{where} refused every recipient: {quoted}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise Refused(
            f"{where} refused the sender {exc.sender}: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise Refused(
            f"{where} refused the login: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise Refused(
            f"{where} refused the message: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise Refused(f"{where}: {exc}") from None
    except (smtplib.SMTPException, OSError) as exc:  # TimeoutError is an OSError
        raise Refused(f"could not send through {where}: {exc}") from None
    if refused:
        quoted = "; ".join(f"{addr}: {_reply(*reply)}" for addr, reply in refused.items())
        sent = [a for a in to if a not in refused]
        raise Refused(f"{where} refused {quoted} (sent to {', '.join(sent)})")
    return to


def password_from_env() -> str | None:
    """The SMTP password from $PMO_SMTP_PASSWORD (None when unset or empty)."""
    return os.environ.get(PASSWORD_ENV) or None


def default_sender() -> str:
    """The From address when --from is not given: $PMO_SMTP_FROM, else pmo-lens@<this host>."""
    return os.environ.get("PMO_SMTP_FROM") or f"pmo-lens@{socket.getfqdn() or 'localhost'}"
