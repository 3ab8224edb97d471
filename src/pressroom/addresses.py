"""Addresses in a record: what a link and an e-mail address must look like to be followed.

Used by the body (links, autolinks), the front matter (contacts), pressroom.toml and the
organisation directory, so one rule decides everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# What the old archive's e-mail obfuscation left behind, in text, HTML-escaped or as a link.
MANGLED_EMAIL = re.compile(
    r"\[\s*email(?:\s|&#160;|&#xa0;|&nbsp;|\u00a0)*protected\s*\]|/cdn-cgi/l/email-protection"
    r"|__cf_email__|data-cfemail",
    re.IGNORECASE,
)
_LOCAL_FORBIDDEN = frozenset('<>()[]\\,;:"')


def is_email(text: str) -> bool:
    """Whether `text` looks like one e-mail address (name@host.tld); scripts other than
    Latin are allowed in both parts, as they are in real addresses."""
    local, at, domain = text.rpartition("@")
    if not (at and local and domain) or "@" in local:
        return False
    if any(ch.isspace() or ch in _LOCAL_FORBIDDEN for ch in local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    return all(
        label and label[0] != "-" and label[-1] != "-"
        and all(ch.isalnum() or ch == "-" or unicodedata.category(ch)[0] == "M" for ch in label)
        for label in labels
    )


def url_problem(url: str) -> str | None:
    """Why `url` is not a link a reader can follow, or None: http, https or mailto only,
    with a host (or an address), and no spaces."""
    if MANGLED_EMAIL.search(url):
        return None  # reported once, as a mangled e-mail address
    if any(ch.isspace() for ch in url):
        return f"malformed URL {url!r}: it contains a space (write it as %20, or fix the URL)"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return f"malformed URL {url!r}: it cannot be read as a URL"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not host:
            return f"malformed URL {url!r}: no host name (like https://www.example.org/...)"
        if not ("." in host or ":" in host):
            return f"malformed URL {url!r}: {host!r} is not a full host name (like www.example.org)"
        return None
    if scheme == "mailto":
        if not is_email(parts.path.split("?")[0]):
            return f"malformed URL {url!r}: not an e-mail address after mailto:"
        return None
    if not scheme:
        return (f"malformed URL {url!r}: no scheme; links must start with https://, http:// "
                "or mailto:")
    return f"malformed URL {url!r}: only https://, http:// and mailto: links are allowed"
