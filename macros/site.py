"""The build-time composition: read the data file and the pages, check every macro call up front."""
from __future__ import annotations

import re
from pathlib import Path

from .catalog import Catalog, build_catalog, check_calls, scan_page
from .loader import load_data

DATA_FILE = "data/asean_un.yml"
_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.M)
_H1 = re.compile(r"^#\s+(.+?)\s*(\{.*\})?\s*$", re.M)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def read_pages(docs_dir: Path) -> dict[str, str]:
    return {p.relative_to(docs_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(docs_dir.rglob("*.md"))}


def title_of(text: str) -> str | None:
    front = _FRONT.match(text)
    if front and (m := _TITLE.search(front.group(1))):
        return m.group(1)
    m = _H1.search(text)
    return m.group(1) if m else None


def load_site(project_dir: Path, docs_dir: Path, macro_names: list[str]) -> Catalog:
    """Validated catalog, with every page's macro calls checked and term/entity usages recorded."""
    pages = read_pages(docs_dir)
    cat = build_catalog(load_data(project_dir / DATA_FILE), DATA_FILE, docs_pages=pages)
    usages = {}
    for path, text in pages.items():
        calls = scan_page(f"docs/{path}", text)
        check_calls(cat, f"docs/{path}", calls, macro_names)
        usages[path] = [c.first for c in calls if c.name in ("term", "ref") and c.first]
    cat.note_usages(usages, {p: t for p, text in pages.items() if (t := title_of(text))})
    return cat
