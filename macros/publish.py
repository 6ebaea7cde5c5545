"""Whole-site files made from the catalog after the pages are built: the change feeds, the teaching packages, the
reuse kit and the sitemap's dates. One entry point, write_all(), that both engines reach (mkdocs-macros'
on_post_build, Zensical's first define_env: see macros/engine.py), like the open-data export.

Every file is a pure function of the catalog and the site's settings; this module only writes them. Files that
need absolute addresses (feeds) are written only when `site_url` is set.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import editions, feeds, kit, lms, render
from .catalog import Catalog


@dataclass(frozen=True)
class Settings:
    """What the whole-site files need to know about the site (from mkdocs.yml)."""
    site_name: str
    site_url: str | None     # absolute base address, or None (no feeds, no absolute links)
    project_dir: Path | None = None   # where the kept editions are (editions/<day>/)
    edition: str | None = None        # this build is the edition of that day: it publishes no other edition
    # for the print page's order and cover (macros/printpage.py): mkdocs.yml's raw `nav:` and its site fields
    nav: list | None = None
    description: str | None = None
    author: str | None = None
    copyright: str | None = None


def settings_of(conf, project_dir: Path | None, edition: str | None) -> Settings:
    """Settings from an engine's configuration (MkDocs' config object or mkdocs.yml read as plain YAML)."""
    def text(name):
        value = conf.get(name)
        return str(value) if value else None
    return Settings(conf.get("site_name") or "", text("site_url"), project_dir, edition, conf.get("nav") or None,
                    text("site_description"), text("site_author"), text("copyright"))


def files(cat: Catalog, settings: Settings) -> dict[str, bytes | str]:
    """Site-relative path -> content of every whole-site file."""
    out: dict[str, bytes | str] = {render.PREVIEWS_FILE: render.previews_js(cat)}   # what term()/ref() links preview
    if any(meta.get("questions") for meta in cat.page_meta.values()):
        out[lms.QTI_PATH] = lms.qti_package(cat, settings.site_name)
    if settings.site_url:
        entries = feeds.changes(cat)
        out[feeds.ATOM_PATH] = feeds.atom(cat, settings.site_name, settings.site_url, entries)
        out[feeds.JSON_PATH] = feeds.json_feed(cat, settings.site_name, settings.site_url, entries)
    return out


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link where the file system allows one (same device), else a copy. Whatever was at dst is
    unlinked first, never written through (it may itself be a link to the kept copy)."""
    if os.path.lexists(dst):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_all(cat: Catalog, settings: Settings, site_dir: Path, preview: bool = False) -> None:
    """preview (`mkdocs serve`): site_dir is the server's throwaway folder, which MkDocs empties by unlinking
    before each rebuild: the kept editions (17 MB) are hard-linked into it instead of copied. A published build
    always copies (a later in-place edit of the output must never reach the kept copy)."""
    kit.write_all(site_dir, settings.site_name)     # from the built pages (a no-op before they exist)
    teaching_url = cat.url_of("teaching.md")
    teaching_page = site_dir / teaching_url / "index.html"
    if settings.site_url and teaching_page.is_file():     # web links need absolute addresses
        titles = {cat.url_of(src): title for src, title in cat.page_titles.items()}
        paths = lms.reading_paths(teaching_page.read_text(encoding="utf-8"), "/" + teaching_url, titles)
        (site_dir / lms.CC_PATH).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / lms.CC_PATH).write_bytes(lms.cartridge(paths, settings.site_name, settings.site_url))
    kept = settings.project_dir / editions.FOLDER if settings.project_dir else None
    if kept is not None and kept.is_dir() and not settings.edition:
        for record in sorted(p for p in kept.iterdir() if p.is_dir()):     # each kept copy, unchanged
            shutil.copytree(record, site_dir / editions.FOLDER / record.name, dirs_exist_ok=True,
                            copy_function=_link_or_copy if preview else shutil.copy2)
    for rel, content in files(cat, settings).items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
