"""The address contract: every public page address and linkable anchor, and a checker for it.

`python tests/addresses.py SITE_DIR > tests/addresses.txt` (what `make addresses` runs) rewrites the list.
An address that disappears must be redirected (mkdocs-redirects), or the contract test fails.
"""
from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

SKIP = ("404.html", "print_page/")
_REFRESH = re.compile(r'<meta http-equiv="refresh" content="\d+;\s*url=([^"]+)"', re.I)
# Anchors teachers may link: headings (all have explicit ids; glossary entries are h3), tables, events.
_ANCHORS = [re.compile(p) for p in (r'<h[1-6] id="([^"]+)"', r'<div class="table-wrap" id="([^"]+)"',
                                   r'<figure class="table-block" id="([^"]+)"',     # a table, its caption above
                                   r'<tr id="(on-[^"]+)"', r'<th scope="row" id="(on-[^"]+-table)"',  # /changes/ rows
                                   r'<li id="(ev-[^"]+)"', r'<span id="(p\d+)"')]


def _pages(site: Path):
    for html in sorted(site.rglob("index.html")):
        rel = html.relative_to(site).as_posix()
        if not rel.startswith(SKIP):
            yield rel.removesuffix("index.html"), html.read_text(encoding="utf-8")


def collect(site: Path) -> list[str]:
    out = []
    for url, html in _pages(site):
        if _REFRESH.search(html):
            continue                                    # a redirect stub is not a page of its own
        out.append(url or "/")
        ids = {m for rx in _ANCHORS for m in rx.findall(html)}
        out.extend(f"{url or '/'}#{i}" for i in sorted(ids))
    return out


_ID = re.compile(r'\bid="([^"]*)"')


def _resolve(site: Path, url: str, hops: int = 0) -> tuple[str, set[str]] | None:
    """Follow redirect stubs; return (final url, the ids on that page) or None if nothing is there."""
    path = site / url.lstrip("/") / "index.html"
    if not path.is_file() or hops > 5:
        return None
    html = path.read_text(encoding="utf-8")
    m = _REFRESH.search(html)
    if not m:
        return url, set(_ID.findall(html))
    target = posixpath.normpath(posixpath.join("/" + url.lstrip("/"), m.group(1).split("#")[0]))
    return _resolve(site, target.lstrip("/") + "/" if target != "/" else "", hops + 1)


def check(site: Path, addresses: list[str]) -> list[str]:
    """Problems with the contract: addresses that no longer resolve (after redirects). Each page is read and
    its ids collected once, however many of its anchors the contract lists."""
    problems, pages = [], {}
    for address in addresses:
        url, _, anchor = address.partition("#")
        if url not in pages:
            pages[url] = _resolve(site, "" if url == "/" else url)
        found = pages[url]
        if found is None:
            problems.append(f"{address}: page gone (add a redirect in mkdocs.yml, plugins.redirects)")
        elif anchor and anchor not in found[1]:
            problems.append(f"{address}: anchor #{anchor} gone from {found[0] or '/'} (restore the explicit id)")
    return problems


if __name__ == "__main__":
    print("\n".join(collect(Path(sys.argv[1]))))
