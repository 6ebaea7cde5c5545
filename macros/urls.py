"""Web addresses read the way a browser reads them. Pure.

Python's `urlsplit` and a browser (the WHATWG URL standard) disagree on some addresses: for
`https://evil.example\\@un.org/x` Python sees the host un.org and a browser opens evil.example (it reads the
backslash as '/'). A source policy that checks the host Python sees is then fooled. So every address in the
data must be written in the plain form on which both agree, and it is parsed once more by a WHATWG parser
(ada, the parser Node.js uses, through the `ada-url` package): if the host a browser would open is not the
host written, the address is refused.

The plain form: `https://` (or `http://`, which the source policy allows only where a publisher says a host
has no https), then a lowercase ASCII host name (internationalised names in their `xn--` form) with no
credentials (`user@`), no port (`:443`), no trailing dot, then an optional path, query and fragment; no
backslash, no white space, no control or invisible character anywhere.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ada_url

SCHEMES = ("https", "http")
HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})")


class BadUrl(ValueError):
    """The address is refused; the message says why, in an editor's words."""


@dataclass(frozen=True)
class Url:
    scheme: str      # 'https' or 'http'
    host: str        # the host a browser opens (lowercase, no port, no trailing dot)
    href: str        # the address as a browser normalises it


def describe(ch: str) -> str:
    """'U+200B ZERO WIDTH SPACE': a character named so that an editor can find it even if it is invisible."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'an unnamed character')}"


def _hidden(value: str) -> str | None:
    if value.isascii():             # (nearly every address) only controls and the space hide here
        return next((ch for ch in value if ch <= " " or ch == "\x7f"), None)
    for ch in value:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "Cs"):
            return ch
    return None


def parse(value: str) -> Url:
    """The address as a browser reads it, or BadUrl when it is not in the plain form (see the module)."""
    if (ch := _hidden(value)) is not None:
        raise BadUrl(f"the address contains {describe(ch)}: a browser drops or rewrites it, so the link would "
                     "not be the one written; delete it (percent-encode a space in a path as %20)")
    if "\\" in value:
        raise BadUrl("the address contains a backslash, which browsers read as '/': "
                     "the link would open another host than the one written; use '/'")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme is None or scheme.group(1).lower() not in SCHEMES:
        got = f" (not '{scheme.group(1)}:')" if scheme else ""
        raise BadUrl(f"a link must start with https://{got}")
    prefix = scheme.group(1).lower() + "://"
    if not value.startswith(prefix):
        raise BadUrl(f"a link must start with '{prefix}' written in lowercase, with two slashes")
    authority = re.split(r"[/?#]", value[len(prefix):], maxsplit=1)[0]
    if "@" in authority:
        raise BadUrl("the address carries credentials (a 'name@' before the host): a browser opens the part "
                     "after the '@', and readers would see the rest; link the host itself")
    if ":" in authority or authority.startswith("["):
        raise BadUrl(f"the address names a port or an IP address ('{authority}'): link the host by its name, "
                     "without ':443' or any other port")
    if authority.endswith("."):
        raise BadUrl(f"the host '{authority}' ends with a dot: write it without the trailing dot")
    if not authority.isascii():
        raise BadUrl(f"the host '{authority}' is not ASCII: write an internationalised name in its xn-- form")
    if authority != authority.lower():
        raise BadUrl(f"write the host in lowercase ('{authority.lower()}')")
    if not HOST.fullmatch(authority):
        raise BadUrl(f"'{authority}' is not a host name (letters, digits, '-' and dots, ending in a "
                     "top-level domain such as .org)")
    try:
        read = ada_url.parse_url(value)
    except ValueError:
        raise BadUrl("a browser cannot read this address") from None
    if (read["hostname"], read["port"], read["username"], read["password"], read["protocol"]) != (
            authority, "", "", "", prefix[:-2]):
        raise BadUrl(f"a browser reads this address as {read['protocol']}//{read['host']}, not as written")
    return Url(prefix[:-3], authority, read["href"])
