"""Sharing a page: its address, a QR code made at build time (segno, SVG, no network) and a plain link that shares
it to Google Classroom (no third-party script; the reader's browser only follows a link). Pure: strings in, strings
out; overrides/partials/share.html prints them on screen and in print.

All three need the page's absolute address, so they exist only when the site's address (site_url) is known;
without it the share control offers "Copy link" alone (the browser knows the address).
"""
from __future__ import annotations

import functools
import html
from urllib.parse import quote

CLASSROOM = "https://classroom.google.com/share"


@functools.lru_cache(maxsize=4096)
def qr_svg(address: str) -> str:
    """The address as a QR code, inline SVG with a viewBox (it scales), dark on white in both colour schemes.
    Kept per address for the life of the process: under `mkdocs serve` every rebuild asks for every page's code
    again, and encoding them all took 0.7 s of each rebuild."""
    import segno
    code = segno.make(address, error="m")
    svg = code.svg_inline(scale=1, dark="#000", light="#fff", omitsize=True, svgclass="qr-code",
                          title=f"QR code for {address}")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of this page\'s address" ', 1)


def classroom_link(address: str, title: str) -> str:
    return f"{CLASSROOM}?url={quote(address, safe='')}&title={quote(title, safe='')}"


def page_meta(site_url: str | None, page_url: str, title: str) -> dict:
    """Page metadata for the share control (keys that shadow no macro)."""
    if not site_url:
        return {"share_address": None, "share_qr": None, "share_classroom": None}
    address = site_url.rstrip("/") + "/" + page_url
    return {"share_address": address, "share_qr": qr_svg(address),
            "share_classroom": html.escape(classroom_link(address, title), quote=True)}
