"""Who may do what (the README's sign-in and roles): sign-in is on when secrets hold an ``[auth]`` section.

Pure logic over the secrets mapping and the signed-in user's claims; the Streamlit glue
(st.user, st.login, st.logout) lives in pmo.app_data.

- No ``[auth]`` section: the app runs open for local use and everyone is an editor.
- With ``[auth]``: a visitor who has not signed in sees only the sign-in screen; a signed-in
  user is a viewer unless their email is listed in ``[pmo] editors`` (case-insensitive).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

EDITOR = "editor"
VIEWER = "viewer"
SIGNED_OUT = "signed out"


def auth_configured(secrets: Mapping) -> bool:
    """True when the secrets hold a non-empty ``[auth]`` section (sign-in required)."""
    section = secrets.get("auth") if secrets else None
    return isinstance(section, Mapping) and len(section) > 0


def _emails(value: object) -> frozenset[str]:
    """A list of emails, or one string of them separated by commas, semicolons or spaces."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        items = value.replace(";", ",").replace(" ", ",").split(",")
    elif isinstance(value, list | tuple | set | frozenset):
        items = [str(v) for v in value]
    else:
        return frozenset()
    return frozenset(e.strip().lower() for e in items if e and e.strip())


def editors(secrets: Mapping) -> frozenset[str]:
    """The lower-cased emails listed in ``[pmo] editors``."""
    section = secrets.get("pmo") if secrets else None
    if not isinstance(section, Mapping):
        return frozenset()
    return _emails(section.get("editors"))


def role_for(email: str | None, secrets: Mapping) -> str:
    """EDITOR or VIEWER for a signed-in user's email; EDITOR for everyone when sign-in is off."""
    if not auth_configured(secrets):
        return EDITOR
    if email and email.strip().lower() in editors(secrets):
        return EDITOR
    return VIEWER


@dataclass(frozen=True)
class Identity:
    """The person using a session, and what they may do."""

    auth_enabled: bool
    signed_in: bool
    email: str | None
    name: str | None
    role: str

    @property
    def can_edit(self) -> bool:
        """May upload, import, undo, save mappings and scenarios, and load demo data."""
        return self.role == EDITOR

    @property
    def can_view(self) -> bool:
        """May see data: anyone when sign-in is off, else only signed-in users."""
        return self.signed_in or not self.auth_enabled

    @property
    def label(self) -> str:
        """How the sidebar names this user."""
        return self.name or self.email or "unknown user"


def identify(secrets: Mapping, user: Mapping | None) -> Identity:
    """The Identity of a session from the secrets and the user's claims (st.user)."""
    user = user or {}
    if not auth_configured(secrets):
        return Identity(False, False, None, None, EDITOR)
    signed_in = bool(user.get("is_logged_in"))
    if not signed_in:
        return Identity(True, False, None, None, SIGNED_OUT)
    email = user.get("email")
    email = str(email).strip() if email else None
    name = user.get("name")
    role = role_for(email, secrets)
    if user.get("email_verified") is False:
        # The provider says it has not verified this address: it cannot grant editing.
        role = VIEWER
    return Identity(True, True, email, str(name) if name else None, role)
