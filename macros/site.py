"""The build-time composition: read the data file and the pages, check every macro call up front."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from . import freshness, policy
from .catalog import Catalog, build_catalog, check_geo
from .errors import SiteError
from .export import to_csv_tables, to_json
from .loader import load_data
from .model import SiteData
from .pages import check_calls, scan_page

DATA_FILE = "data/asean_un.yml"
GEO_FILE = "data/geo/southeast-asia.json"   # Natural Earth boundaries + GeoNames places (make geo)
_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.M)
_H1 = re.compile(r"^#\s+(.+?)\s*(\{.*\})?\s*$", re.M)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when built in: 15x faster, same result


def read_pages(docs_dir: Path) -> dict[str, str]:
    return {p.relative_to(docs_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(docs_dir.rglob("*.md"))}


def title_of(text: str) -> str | None:
    front = _FRONT.match(text)
    if front and (m := _TITLE.search(front.group(1))):
        return m.group(1)
    m = _H1.search(text)
    return m.group(1) if m else None


def load_site(project_dir: Path, docs_dir: Path, macro_names: list[str], directory_urls: bool = True) -> Catalog:
    """Validated catalog, with every page's macro calls checked and term/entity usages recorded."""
    cat = site_catalog(load_data(project_dir / DATA_FILE), read_pages(docs_dir), macro_names, directory_urls)
    if (project_dir / GEO_FILE).is_file():       # a project without maps builds; a map macro then says why not
        geo = load_geo(project_dir / GEO_FILE)
        check_geo(cat, geo, GEO_FILE)
        cat = dataclasses.replace(cat, geo=geo)
    notice = freshness.stale_notice(cat.data, DATA_FILE, build_date())
    if notice:   # a notice, not a log warning: --strict must not fail on age alone
        print(notice, file=sys.stderr)
    return cat


def site_catalog(data: SiteData, pages: dict[str, str], macro_names: list[str], directory_urls: bool = True) -> Catalog:
    """One pass: scan the pages, build the (complete, read-only) catalog, check every macro call against it,
    then the source policy (which needs the pages' cite() calls)."""
    calls = {path: scan_page(f"docs/{path}", text) for path, text in pages.items()}
    cat = build_catalog(data, DATA_FILE, docs_pages=pages, directory_urls=directory_urls,
                        usages={p: [c.first for c in cs if c.name in ("term", "ref") and c.first]
                                for p, cs in calls.items()},
                        titles={p: t for p, text in pages.items() if (t := title_of(text))},
                        page_meta={p: front_matter(text, f"docs/{p}") for p, text in pages.items()})
    for path, page_calls in calls.items():
        check_calls(cat, f"docs/{path}", page_calls, macro_names)
    policy.enforce(cat.data, DATA_FILE, {c.first for cs in calls.values() for c in cs if c.name == "cite" and c.first})
    return cat


def load_geo(path: Path) -> dict:
    """The map data, with the countries as a hashable key so each map is projected once per build."""
    import json
    from .geo import as_key
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {"countries": as_key(raw), "places": raw["places"], "names": {c["name"] for c in raw["countries"]}}
    except FileNotFoundError:
        raise SiteError("map data not found", file=GEO_FILE, hint="run make geo to regenerate it") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SiteError(f"map data is not the expected JSON ({exc})", file=GEO_FILE,
                        hint="regenerate it with make geo") from None


def front_matter(text: str, path: str = "?") -> dict:
    front = _FRONT.match(text)
    if not front:
        return {}
    try:
        meta = yaml.load(front.group(1), Loader=_YAML)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 2 if getattr(exc, "problem_mark", None) else None
        raise SiteError(f"malformed front matter: {getattr(exc, 'problem', exc)}", file=path, line=line,
                        hint="the block between the two '---' lines must be YAML") from None
    return meta if isinstance(meta, dict) else {}


def git_dates(project_dir: Path) -> dict[str, dt.date]:
    """Last commit date of every file under docs/ (docs-relative paths); {} when history is unusable.

    A shallow clone would date every file to its oldest commit, so it counts as no history.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True,
                              check=True, timeout=60).stdout
    try:
        if git("rev-parse", "--is-shallow-repository").strip() == "true":
            return {}
        log = git("log", "--format=@%cs", "--name-only", "--", "docs")
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    day = None
    for line in log.splitlines():
        if line.startswith("@"):
            day = dt.date.fromisoformat(line[1:])
        elif line.startswith("docs/") and day:
            dates.setdefault(line.removeprefix("docs/"), day)
    return dates


def build_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()


def write_open_data(data: SiteData, project_dir: Path, site_dir: Path) -> None:
    """The data file as published: YAML as edited, JSON, one CSV per collection, the JSON Schema."""
    out = site_dir / "data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "asean_un.yml").write_bytes((project_dir / DATA_FILE).read_bytes())
    (out / "asean_un.json").write_text(to_json(data), encoding="utf-8")
    for name, text in to_csv_tables(data).items():
        (out / name).write_text(text, encoding="utf-8")
