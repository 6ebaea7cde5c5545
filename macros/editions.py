"""Editions: dated, permanent, citable copies of the whole site.

`make edition` (scripts/edition.py) builds the site as it stands into editions/<day>/ (with EDITION=<day>, so every
page carries the edition banner and "Cite this edition"), commits that built copy and adds an `editions:` record to
the data file. Every build then publishes each kept copy unchanged at /editions/<day>/, and every live page lists
the editions that have it and offers "Cite this edition" for the newest.

Why built copies in the repository and not rebuilt from their commits, or mike's gh-pages branch: an edition must
read exactly as it did when it was cited, whatever later code, data or dependencies do, so it is kept as built
(mike keeps built copies too); and a copy kept in the main line travels with every clone and every deploy, so a
deploy cannot drop an edition by building from a checkout that lacks a side branch. Material's version selector
is not used: it expects every version, the live one included, as sibling folders (mike's layout), while the live
site's addresses are under contract at the root.

Pure functions here; the folder checks read the file system only through the paths given.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .catalog import Catalog
from .citation import cite_edition
from .errors import SiteError

FOLDER = "editions"        # in the project (the kept copies) and in the built site (where they are published)


def edition_of(value) -> str | None:
    """mkdocs.yml's extra.edition (from EDITION): None for the live site, else the edition's day as YYYY-MM-DD
    (YAML may have read it as a date already)."""
    if not value:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise SiteError(f"EDITION is '{text}', not a day", file="mkdocs.yml",
                        hint="make edition sets it to the day it cuts (YYYY-MM-DD); unset it for the live site") from None
    return text


def day_of(ident: str) -> dt.date:
    return dt.date.fromisoformat(ident)


def day_text(ident: str) -> str:
    day = day_of(ident)
    return f"{day.day} {day.strftime('%B %Y')}"


def pages_of(edition_dir: Path) -> frozenset[str]:
    """Site-relative URLs of the pages a kept copy has ('' for its home page)."""
    if not edition_dir.is_dir():
        return frozenset()
    return frozenset("" if p.parent == edition_dir else p.parent.relative_to(edition_dir).as_posix() + "/"
                     for p in edition_dir.rglob("index.html"))


def check(cat: Catalog, project_dir: Path) -> None:
    """Every edition record has its kept copy, and every kept copy its record (an edition is never lost)."""
    kept = {p.name for p in (project_dir / FOLDER).iterdir() if p.is_dir()} if (project_dir / FOLDER).is_dir() else set()
    for ed in cat.data.editions:
        if not (project_dir / FOLDER / ed.id / "index.html").is_file():
            raise cat.fail(f"edition '{ed.id}' has no built copy at {FOLDER}/{ed.id}/", ed,
                           hint=f"restore it from commit {ed.commit[:12]} (git checkout {ed.commit[:12]} -- "
                                f"{FOLDER}/{ed.id}); editions are never removed")
    for name in sorted(kept - {ed.id for ed in cat.data.editions}):
        raise SiteError(f"{FOLDER}/{name}/ is a kept edition with no record in the data file", file=cat.file,
                        hint=f"add it under 'editions:' (id: {name}, commit: the commit it was cut from), as "
                             "make edition does")


def page_meta(cat: Catalog, *, url: str, title: str, site_name: str, site_url: str | None, edition: str | None,
              pages: dict[str, frozenset[str]]) -> dict:
    """What the edition banner, the list of editions and "Cite this edition" need (keys that shadow no macro).

    edition: the day of the edition this build is (EDITION), or None for the live site; pages: each kept edition's
    page URLs. In an edition, site_url (if set) is already the edition's own address."""
    def citation(address: str, ident: str) -> list[dict]:
        return [{"style": k, "text": v} for k, v in cite_edition(title, site_name, address, day_of(ident)).items()]

    if edition:
        address = (site_url.rstrip("/") + "/" + url) if site_url else f"/{FOLDER}/{edition}/{url}"
        return {"edition_banner": {"id": edition, "day": day_text(edition)}, "page_editions": [],
                "edition_citation": citation(address, edition)}
    having = [ed.id for ed in sorted(cat.data.editions, key=lambda e: e.id, reverse=True) if url in pages.get(ed.id, ())]
    listed = [{"id": i, "day": day_text(i), "href": f"{FOLDER}/{i}/{url}"} for i in having]
    cite = []
    if having:
        address = (site_url.rstrip("/") + "/" if site_url else "/") + f"{FOLDER}/{having[0]}/{url}"
        cite = citation(address, having[0])
    return {"edition_banner": None, "page_editions": listed, "edition_citation": cite}
