"""The build-time composition: read the data file and the pages, check every macro call up front."""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import yaml

from . import buildcache, dates, editions, evidence, freshness, policy, teaching
from .catalog import Catalog, build_catalog, check_geo
from .errors import SiteError, did_you_mean
from .evidence import Citation, page_citations
from .export import to_csv_tables, to_json
from .loader import line_of_byte, load_data
from .model import SiteData
from .pages import check_calls, scan_page

DATA_FILE = "data/asean_un.yml"
GEO_FILE = "data/geo/maps.json"    # the maps, projected ahead of time (make maps) from data/geo/southeast-asia.json
# Set by hooks/command.py from MkDocs' on_startup: 'serve' while `mkdocs serve` runs.
COMMAND_VARIABLE = "ASEAN_UN_MKDOCS_COMMAND"


def serving() -> bool:
    """True under `mkdocs serve`: errors are shown (log and page) instead of stopping the server."""
    return os.environ.get(COMMAND_VARIABLE) == "serve"


_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.M)
_H1 = re.compile(r"^#\s+(.+?)\s*(\{.*\})?\s*$", re.M)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when built in: 15x faster, same result


# Folders whose files the build publishes or reads: nothing in them may come from outside the project.
OWN_DIRS = ("docs", "data", "overrides")
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str | None:
    """None for a regular file or a folder, else what it is ('a FIFO (named pipe)')."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def check_own_files(project_dir: Path) -> None:
    """Every file under docs/, data/ and overrides/ is the project's own: a symbolic link must resolve inside
    the project (a link to /etc/passwd would be published, or included by a page), and nothing there is a
    FIFO, a device or a socket (reading one hangs or reads forever). Raised as a SiteError naming the file."""
    root = project_dir.resolve()
    for top in OWN_DIRS:
        for dirpath, dirnames, filenames in os.walk(project_dir / top):    # links to folders are not entered
            for name in sorted([*dirnames, *filenames]):
                path = Path(dirpath) / name
                rel = path.relative_to(project_dir).as_posix()
                if path.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        raise SiteError("a symbolic link that leads nowhere (its target is missing, or it loops)",
                                        file=rel, hint="remove the link, or put the file itself there") from None
                    if not target.is_relative_to(root):
                        raise SiteError(f"a symbolic link to {target}, outside the project: the build publishes "
                                        "only the project's own files", file=rel,
                                        hint="copy what you need into the project, or remove the link")
                try:
                    mode = path.stat().st_mode
                except OSError as exc:
                    raise SiteError(f"cannot be examined ({exc.strerror or exc})", file=rel,
                                    hint="check the file's permissions") from None
                if kind := file_kind(mode):
                    raise SiteError(f"is {kind}, not a regular file: the build would hang reading it", file=rel,
                                    hint="remove it, or put a regular file there")


def read_bytes(path: Path, rel: str, what: str = "page") -> bytes:
    """A file's bytes, or a SiteError that names it: unreadable (permissions) or not a regular file."""
    try:
        mode = path.stat().st_mode
        if kind := file_kind(mode):
            raise SiteError(f"the {what} is {kind}, not a regular file", file=rel,
                            hint="remove it, or put a regular file there")
        return path.read_bytes()
    except PermissionError:
        raise SiteError(f"the {what} cannot be read (permission denied)", file=rel,
                        hint=f"give the user running the build read access, e.g. chmod a+r {rel}") from None
    except OSError as exc:
        raise SiteError(f"the {what} cannot be read ({exc.strerror or exc})", file=rel) from None


def read_pages(docs_dir: Path, page_errors: dict[str, SiteError] | None = None) -> dict[str, str]:
    """Every page's text; a page that is not UTF-8 or cannot be read is an error (raised, or kept in
    page_errors)."""
    pages = {}
    for p in sorted(docs_dir.rglob("*.md")):
        rel = p.relative_to(docs_dir).as_posix()
        try:
            raw = read_bytes(p, f"docs/{rel}")
        except SiteError as error:
            if page_errors is None:
                raise
            page_errors[rel] = error
            pages[rel] = ""
            continue
        try:
            pages[rel] = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            error = SiteError(f"the page is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                              file=f"docs/{rel}", line=line_of_byte(raw, exc.start),
                              hint="save it as UTF-8 in your editor (the bad byte is on that line)")
            if page_errors is None:
                raise error from None
            page_errors[rel] = error
            pages[rel] = raw.decode("utf-8", errors="replace")
    return pages


def title_of(text: str) -> str | None:
    front = _FRONT.match(text)
    if front and (m := _TITLE.search(front.group(1))):
        return m.group(1)
    m = _H1.search(text)
    return m.group(1) if m else None


def load_site(project_dir: Path, docs_dir: Path, macro_names: list[str], directory_urls: bool = True,
              page_errors: dict[str, SiteError] | None = None) -> Catalog:
    """Validated catalog, with every page's macro calls and front matter checked and term/entity usages
    recorded. A page's error is raised, or, when `page_errors` is given (serve), kept there by page."""
    check_own_files(project_dir)
    pages = read_pages(docs_dir, page_errors)
    kept = None
    if page_errors is None:                      # a build: the catalog of the same inputs, if one was kept
        kept = buildcache.key(file_bytes(project_dir / DATA_FILE), file_bytes(project_dir / GEO_FILE),
                              repr((sorted(macro_names), directory_urls, build_date().isoformat())),
                              *(part for path in sorted(pages) for part in (path, pages[path])))
        cat = buildcache.load(project_dir, kept, Catalog)
    if kept is None or cat is None:
        cat = _checked_catalog(project_dir, pages, macro_names, directory_urls, page_errors)
        if kept is not None:
            buildcache.store(project_dir, kept, cat)
    editions.check(cat, project_dir)
    notice = freshness.stale_notice(cat.data, DATA_FILE, build_date())
    if notice:   # a notice, not a log warning: --strict must not fail on age alone
        print(notice, file=sys.stderr)
    return cat


def file_bytes(path: Path) -> bytes:
    """A file's bytes for a content key (engine.fingerprint, the kept catalog's key). One that cannot be read
    (permissions, a FIFO, a device) stands for what is wrong with it, never read: load_site reports it by name."""
    try:
        if not stat.S_ISREG(mode := path.stat().st_mode):
            return f"\0not a regular file {mode}".encode()
        return path.read_bytes()
    except OSError as exc:
        return f"\0unreadable {exc}".encode()


def _checked_catalog(project_dir: Path, pages: dict[str, str], macro_names: list[str], directory_urls: bool,
                     page_errors: dict[str, SiteError] | None) -> Catalog:
    cat = site_catalog(load_data(project_dir / DATA_FILE, DATA_FILE), pages, macro_names, directory_urls,
                       page_errors)
    if (project_dir / GEO_FILE).is_file():       # a project without maps builds; a map macro then says why not
        geo = load_geo(project_dir / GEO_FILE)
        check_geo(cat, geo, GEO_FILE)
        cat = dataclasses.replace(cat, geo=geo)
    return cat


def site_catalog(data: SiteData, pages: dict[str, str], macro_names: list[str], directory_urls: bool = True,
                 page_errors: dict[str, SiteError] | None = None, today: dt.date | None = None) -> Catalog:
    """One pass: scan the pages, build the (complete, read-only) catalog, check every macro call and page
    subject against it, then the source policy (which needs the pages' cite() calls). A page's error is
    raised, or, when `page_errors` is given (serve), kept there and the page left out of the checks.
    today: the build date the data's dates are checked against (default: build_date())."""
    def per_page(step, path):
        try:
            return step()
        except SiteError as exc:
            if page_errors is None:
                raise
            page_errors.setdefault(path, exc)
            return None

    errors = page_errors if page_errors is not None else {}
    calls, meta = {}, {}
    for path, text in pages.items():
        if path in errors:
            continue
        found = per_page(lambda: page_facts(path, text), path)
        if found is not None:
            calls[path], meta[path] = found
    answer_cites = []                  # the answers' citations count as the page's (source list, policy, CSV)
    for path in list(meta):
        found = per_page(lambda: teaching.answers_of(meta[path], f"docs/{path}", pages[path]), path)
        for i, answer in enumerate(found or []):
            line = teaching.line_of(pages[path], "answers", i)
            answer_cites += [Citation(f"page docs/{path} answer {i + 1}", f"docs/{path}", line, s, p)
                             for s, p in answer.cites]
    cat = build_catalog(data, DATA_FILE, docs_pages=pages, directory_urls=directory_urls,
                        usages={p: [c.first for c in cs if c.name in ("term", "ref") and isinstance(c.first, str)]
                                for p, cs in calls.items()},
                        titles={p: t for p, text in pages.items() if (t := title_of(text))},
                        page_meta=meta,
                        page_citations=[*page_citations({f"docs/{p}": cs for p, cs in calls.items()}), *answer_cites])
    check_anchor_collisions(cat, pages, calls)
    for path, page_calls in calls.items():
        per_page(lambda: (check_calls(cat, f"docs/{path}", page_calls, macro_names, meta[path].get("entity")),
                          check_subject(cat, path, pages[path]),
                          teaching.check(cat, f"docs/{path}", cat.page_meta[path], pages[path])), path)
    dates.enforce(cat.data, DATA_FILE, today or build_date())
    policy.enforce(cat.data, DATA_FILE, {c.first for cs in calls.values() for c in cs
                                         if c.name == "cite" and isinstance(c.first, str)}
                   | {c.source for c in answer_cites})
    if data.evidence == "required":
        evidence.require([*evidence.data_citations(data, DATA_FILE), *cat.page_citations])
    return cat


# Ids the macros themselves give elements (render.py, figures.py): a term or actor id shaped like one of these
# would share its address with another element of the page.
GENERATED_ANCHORS = re.compile(r"^(letter-[a-z]|letter-u[0-9a-f]{4}|src-|ev-|since-|teach-|fig-|events-filter$)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{([^}]*)\})?\s*$")


def page_anchors(text: str) -> dict[str, int]:
    """The ids a page's own headings get (an explicit { #id }, else the heading's slug as MkDocs' toc makes
    it), with their lines."""
    anchors, fence = {}, False
    for n, row in enumerate(text.splitlines(), 1):
        if row.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else _HEADING.match(row)
        if not m:
            continue
        explicit = re.search(r"#([\w-]+)", m.group(2) or "")
        words = re.sub(r"[^\w\s-]", "", m.group(1)).strip().lower()
        slug = explicit.group(1) if explicit else re.sub(r"[\s-]+", "-", words)
        anchors.setdefault(slug, n)
    return anchors


def check_anchor_collisions(cat: Catalog, pages: dict[str, str], calls: dict) -> None:
    """A glossary id (on the page that calls glossary()) or an actor id (on the page that calls who()) is an
    element id on that page: it may not be one of the page's own heading ids (`sources`) or shaped like an id
    the macros generate there (`letter-v`). Raised at the data line, in every build mode."""
    for path, page_calls in calls.items():
        called = {c.name for c in page_calls}
        kinds = [(what, recs) for what, name, recs in (
            ("glossary", "glossary", list(cat.terms.values())),
            ("actor", "who", [p.entity for p in cat.entities.values() if p.section == "actors"])) if name in called]
        if not kinds:
            continue
        own = page_anchors(pages[path])
        for what, records in kinds:
            for rec in records:
                if rec.id in own:
                    why = f"the id of the heading on docs/{path}:{own[rec.id]}"
                elif GENERATED_ANCHORS.match(rec.id):
                    why = f"shaped like the ids the macros give elements of docs/{path} ('{GENERATED_ANCHORS.match(rec.id).group(0)}…')"
                else:
                    continue
                raise cat.fail(f"{what} id '{rec.id}' is also {why}: its address #{rec.id} would lead to two places",
                               rec, hint="choose another id (ids are part of public addresses: rename one only "
                                         "with a redirect)")


@functools.lru_cache(maxsize=1)
def _maps(text: str) -> dict:
    """The same object while the file's text is the same (under serve, pages kept from the last rebuild know
    their maps have not changed: engine._render_key)."""
    import json
    from .geo import read_maps
    return read_maps(json.loads(text))


def load_geo(path: Path) -> dict:
    """The projected maps (macros/geo.py read_maps): outlines, anchors and points in pixels, and the places."""
    try:
        return _maps(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError("map data not found", file=GEO_FILE, hint="run make maps to regenerate it") from None
    except OSError as exc:
        raise SiteError(f"map data cannot be read ({exc.strerror or exc})", file=GEO_FILE,
                        hint="check the file's permissions, or regenerate it with make maps") from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise SiteError(f"map data is not the expected JSON ({type(exc).__name__}: {exc})", file=GEO_FILE,
                        hint="regenerate it with make maps") from None


def check_subject(cat: Catalog, path: str, text: str) -> None:
    """Front matter `entity:` names an existing entity whose page this is (so one page per entity: the
    page its `page:` names, where its description goes)."""
    ident = cat.page_meta[path].get("entity")
    if ident is None:
        return
    front = _FRONT.match(text)
    rows = front.group(1).splitlines() if front else []
    line = next((n for n, row in enumerate(rows, 2) if row.startswith("entity:")), 1)
    where = {"file": f"docs/{path}", "line": line}
    if not isinstance(ident, str) or ident not in cat.entities:
        raise SiteError(f"front matter names entity {ident!r}, which does not exist", **where,
                        hint=cat.suggest(ident, "entities") if isinstance(ident, str)
                        else "write the entity's id, e.g. entity: asean")
    home = cat.entities[ident].page.partition("#")[0]
    if home != path:
        raise SiteError(f"front matter names entity '{ident}', whose page is docs/{home}", **where,
                        hint=f"one page per entity: name this page's own entity, or move '{ident}' here "
                             f"with 'page: {path}' in the data file")


def check_anchors(cat: Catalog, site_dir: Path) -> None:
    """Every entity `page:` with an #anchor points at an id that exists on the built page."""
    ids_by_file: dict[Path, set[str]] = {}
    for placed in cat.entities.values():
        path, _, anchor = placed.page.partition("#")
        if not anchor:
            continue
        url = cat.url_of(path)
        built = site_dir / (url + "index.html" if url.endswith("/") or url == "" else url)
        if built not in ids_by_file:
            html = built.read_text(encoding="utf-8") if built.is_file() else ""
            ids_by_file[built] = set(re.findall(r'\bid="([^"]+)"', html))
        if anchor not in ids_by_file[built]:
            raise cat.fail(f"entity '{placed.entity.id}' points at '{placed.page}', but that page has no "
                           f"anchor '#{anchor}'", placed.entity,
                           hint=did_you_mean(anchor, ids_by_file[built])
                           or f"give a heading on docs/{path} the id {{ #{anchor} }} or fix 'page:'")


@functools.lru_cache(maxsize=1024)
def _page_facts(path: str, text: str) -> tuple:
    return tuple(scan_page(f"docs/{path}", text)), front_matter(text, f"docs/{path}")


def page_facts(path: str, text: str) -> tuple[list, dict]:
    """A page's macro calls and front matter (a located SiteError if either is broken). Both follow from its path
    and text alone, so a rebuild under serve reads them again only for a page whose text changed."""
    calls, meta = _page_facts(path, text)
    return list(calls), copy.deepcopy(meta)


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
    meta = meta if isinstance(meta, dict) else {}
    if "render_macros" in meta:      # every page is rendered the one way (macros/pages.py), on every engine
        rows = front.group(1).splitlines()
        line = next((n for n, row in enumerate(rows, 2) if row.startswith("render_macros")), 1)
        raise SiteError("'render_macros' in front matter: every page is rendered, the same way on every engine",
                        file=path, line=line, hint="remove it; to show braces literally, wrap them in "
                                                   "{% raw %} … {% endraw %}")
    return meta


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
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds (and for tests: dates after it are refused)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()


def write_open_data(cat: Catalog, project_dir: Path, site_dir: Path) -> None:
    """The data file as published: YAML as edited, JSON, one CSV per collection, the JSON Schema."""
    out = site_dir / "data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "asean_un.yml").write_bytes((project_dir / DATA_FILE).read_bytes())
    (out / "asean_un.json").write_text(to_json(cat.data), encoding="utf-8")
    for name, text in to_csv_tables(cat).items():   # cells a spreadsheet would run are neutralised
        (out / name).write_text(text, encoding="utf-8")
