"""The seam between this package and the engine that runs it. Everything engine-specific lives here.

Two engines call `define_env(env)`:

* mkdocs-macros (under MkDocs 1.6, or ProperDocs, which aliases `mkdocs.*` to `properdocs.*`) calls it once per
  build, before any page, then `on_pre_page_macros` / `on_post_page_macros` around each page and
  `on_post_build` once at the end (all three documented by mkdocs-macros);
* Zensical's built-in macros extension executes the package anew for every page it renders and calls
  `define_env(env)` with `env.page` already set; it knows none of the other hooks and runs no MkDocs plugin.

Pages follow one grammar (macros/pages.py), checked for every page when the catalog is built, on every engine:
text, literal macro calls and {% raw %} blocks. Under mkdocs-macros a page is rendered here by calling its
macros in order (pages.call_literal): `on_pre_page_macros` takes the page's Markdown and hands Jinja an empty
page, `on_post_page_macros` puts the rendered page back; so no page is ever evaluated as a template. Zensical's
extension renders the page itself with Jinja, which then only ever sees checked literal calls.

The catalog is built once per content of the data file and pages (a cache keyed on their hash, not once per
page), the per-page metadata is set by whichever call comes first for that page, and the whole-site steps over
the built site (macros/postbuild.py) run from `on_post_build` or, for Zensical, from scripts/postbuild.py.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import posixpath
import os
import stat
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import (citation, editions, figures, guard, kit, pages, postbuild, publish, rawblocks, render, safe, seo, share,
               site, teaching)
from .errors import SiteError

try:  # MkDocs, or ProperDocs through its mkdocs.* alias: the engine prints "Aborted with a BuildError" cleanly
    from mkdocs.exceptions import PluginError as BuildError
except ImportError:  # Zensical: no MkDocs installed
    class BuildError(Exception):
        """A broken input: the build stops with its message."""

# While serving, errors are shown on their page and logged here, outside the "mkdocs" logger (whose counter
# would make `strict: true` abort the rebuild that shows them); building raises them instead.
log = logging.getLogger("asean_un")

# The registered macros, each a render function of the same name called as fn(catalog, page context, *args).
MACROS = ("term", "ref", "infobox", "compare", "matrix", "glossary", "related", "article_points",
          "notes", "timeline", "sources", "key_terms", "who", "listing", "teaching_index", "href",
          "changed_facts", "events_since", "article_citations", "event_date", "vote_count", "seat", "joined",
          "member_count", "article_info", "open_questions", "corrections", "teaching_downloads")

# Figures (macros/figures.py), registered the same way: fn(catalog, page context, *args) -> <figure> HTML.
FIGURES = ("asean_map", "locator_map", "memberships", "council_strip", "votes_chart", "timeline_lanes")
# Render macros whose output gets a reuse kit (SVG, CSV, citation, embed page) right after it; figures all do.
KIT_MACROS = ("compare", "matrix")
# Every name a page may call: the above, cite() and for_teachers() (registered by hand in define()).
PAGE_MACROS = (*MACROS, *FIGURES, "cite", "for_teachers")


@dataclass(frozen=True)
class PageInfo:
    """The page being rendered, the same for every engine."""
    src: str        # docs-relative source path, e.g. 'institutions/asean.md'
    meta: dict      # the page's own metadata (front matter), which the theme reads


def page_info(page) -> PageInfo:
    """MkDocs/ProperDocs pages carry their source path as page.file.src_path, Zensical's as page.path."""
    file = getattr(page, "file", None)
    src = file.src_path if file is not None else page.path
    return PageInfo(src=src.replace("\\", "/"), meta=page.meta)


def current_page(env) -> PageInfo | None:
    """The page being rendered, or None at mkdocs-macros' define_env time (before any page)."""
    try:
        page = env.page
    except AttributeError:   # mkdocs-macros raises "Too early: page information is not available"
        return None
    return page_info(page) if page is not None else None


def engine_of(env) -> str:
    """The one way to tell the engine: 'zensical' (its macros extension's env) or 'mkdocs' (mkdocs-macros, under
    MkDocs or ProperDocs, whose plugin API is the same)."""
    return "zensical" if type(env).__module__.split(".")[0] == "zensical" else "mkdocs"


def one_call_per_page(env) -> bool:
    """True under Zensical's extension, which calls define_env for each page, with the page already set."""
    return engine_of(env) == "zensical"


def links_from(env, page: PageInfo) -> str | None:
    """Where the relative links of a page's HTML start from.

    MkDocs leaves links in raw HTML alone, so they start from the page's own URL ('institutions/asean/').
    Zensical rewrites every relative link of the rendered page as if it were written relative to the source
    file, as Markdown links are: there they start from the source file's folder ('institutions/').
    """
    if engine_of(env) != "zensical":
        return None
    folder = posixpath.dirname(page.src)
    return folder + "/" if folder else ""


def source_stamps(folder: Path) -> tuple:
    """Each Python file's name, size and modification time: what tells an edited package from an unchanged one
    (a file added or removed changes it too)."""
    out = []
    for path in sorted(folder.glob("*.py")):
        try:
            stat = path.stat()
            out.append((path.name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((path.name, None, None))
    return tuple(out)


# --- the catalog, once per content ------------------------------------------------------------------------

def fingerprint(project_dir: Path, docs_dir: Path) -> str:
    """Hash of the data file, the map data and every page (path and text): the catalog depends on nothing else.
    A file that cannot be read (permissions, a FIFO, a device) is hashed by what is wrong with it, never read:
    load_site reports it with its name."""
    digest = hashlib.sha256()
    for name in (site.DATA_FILE, site.GEO_FILE):        # a missing file: load_site says so
        digest.update(site.file_bytes(project_dir / name) + b"\0")
    for path in sorted(docs_dir.rglob("*.md")):   # bytes, so a page that is not UTF-8 is load_site's to report
        digest.update(b"\0" + path.relative_to(docs_dir).as_posix().encode() + b"\0" + site.file_bytes(path))
    # symbolic links and special files anywhere under docs/, data/, overrides/: adding one while serving must
    # reach site.check_own_files, which runs only when this key changes
    for top in site.OWN_DIRS:
        for dirpath, dirnames, filenames in os.walk(project_dir / top):
            for name in sorted([*dirnames, *filenames]):
                path = Path(dirpath) / name
                try:
                    mode = path.lstat().st_mode
                    if stat.S_ISLNK(mode):
                        digest.update(f"\0link {path}\0{os.readlink(path)}".encode())
                    elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                        digest.update(f"\0special {path}\0{mode}".encode())
                except OSError as exc:
                    digest.update(f"\0unreadable {path}\0{exc}".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _catalog(key: str, project_dir: Path, docs_dir: Path, names: tuple[str, ...], directory_urls: bool,
             serving: bool = False):
    """(catalog, data error, page errors). Building raises on the first error; serving keeps the errors:
    a data error (no catalog: every page shows it) or one per page (that page shows it)."""
    if not serving:
        return site.load_site(project_dir, docs_dir, list(names), directory_urls), None, MappingProxyType({})
    page_errors: dict[str, SiteError] = {}
    try:
        cat = site.load_site(project_dir, docs_dir, list(names), directory_urls, page_errors=page_errors)
    except SiteError as exc:
        return None, exc, MappingProxyType(page_errors)
    return cat, None, MappingProxyType(page_errors)


def cached_catalog(key: str, where: "Build", names, serving: bool = False):
    """The validated catalog for the content whose fingerprint is key: built once, then reused.
    Returns (catalog, data error, page errors); the errors are only ever kept while serving."""
    return _catalog(key, where.project_dir, where.docs_dir, tuple(sorted(set(names))), where.directory_urls,
                    serving)


def git_stamp(project_dir: Path) -> tuple:
    """What changes when a commit is made, checked out or reset: the HEAD file and the HEAD reflog (its size
    and time). One or two stat calls, no git process: it is asked for on every rebuild (Zensical: every page)."""
    dot = project_dir / ".git"
    try:
        gitdir = dot
        if dot.is_file():                               # a worktree or submodule: 'gitdir: <path>'
            gitdir = (project_dir / dot.read_text(encoding="utf-8").split(":", 1)[1].strip()).resolve()
        head = (gitdir / "HEAD").read_bytes()
        log = (gitdir / "logs" / "HEAD").stat()
        return head, log.st_size, log.st_mtime_ns
    except (OSError, IndexError):
        return ()


@functools.lru_cache(maxsize=4)
def git_dates(key: str, project_dir: Path, stamp: tuple = ()) -> dict:
    """Last-change dates of the pages, read from git once per content and commit (Zensical asks for every
    page; under serve a commit changes the stamp, so "Last updated" follows it without a restart)."""
    return site.git_dates(project_dir)


@functools.lru_cache(maxsize=4)
def edition_pages(project_dir: Path, ids: tuple[str, ...]) -> dict:
    """The page URLs of each kept edition, read once per list of editions (a kept copy never changes)."""
    return {i: editions.pages_of(project_dir / editions.FOLDER / i) for i in ids}


# --- define_env and the per-page steps --------------------------------------------------------------------

@dataclass(frozen=True)
class Build:
    """Where the build is and what it is called, whichever engine runs it."""
    project_dir: Path
    docs_dir: Path
    site_dir: Path
    site_name: str
    site_url: str | None
    directory_urls: bool
    edition: str | None = None      # the day of the edition this build is (EDITION, extra.edition), else None
    conf: dict | None = field(default=None, compare=False)   # the configuration as read (publish.settings_of)

    def publish_settings(self) -> publish.Settings:
        return publish.settings_of(self.conf or {}, self.project_dir, self.edition)

    @classmethod
    def of(cls, env) -> "Build":
        conf, project = env.conf, Path(env.project_dir)
        return cls(project, project / conf.get("docs_dir", "docs"), project / conf.get("site_dir", "site"),
                   conf.get("site_name", ""), conf.get("site_url"), conf.get("use_directory_urls", True),
                   editions.edition_of((conf.get("extra") or {}).get("edition")), conf)


@dataclass
class BuildState:
    """One build's state (mkdocs-macros), kept per env object (never in the template namespace): the catalog
    or the data error that stopped it, page errors found before rendering, and each page's rendered Markdown
    between the pre- and post-page hooks. Errors are only kept while serving."""
    cat: object
    where: Build
    dates: dict
    serving: bool = False
    data_error: SiteError | None = None
    page_errors: dict = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)
    blocks: rawblocks.Blocks | None = None         # the macros' HTML blocks, for Python-Markdown (MkDocs)
    page_signature: str | None = None              # serve: _render_key's part shared by every page
    contexts: dict = field(default_factory=dict)     # each page's render.PageContext (citations numbered so far)
    macros: dict = field(default_factory=dict)


_STATES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def define(env) -> None:
    """Register the macros, build (or reuse) the catalog, and set up the page being rendered if there is one."""
    where = Build.of(env)
    serving = engine_of(env) == "mkdocs" and site.serving()   # `mkdocs serve` (Zensical: never)
    contexts: dict[str, render.PageContext] = {}   # one per page of this build (Zensical: of this page)
    built: dict = {}                               # this build's catalog, once loaded (below)
    macros: dict = {}

    def catalog():
        if built["data_error"] is not None:        # serve only: every macro shows the data file's error
            raise built["data_error"]
        return built["cat"]

    def ctx() -> render.PageContext:
        page = current_page(env)
        if page.src not in contexts:
            entity = (page.meta or {}).get("entity")
            contexts[page.src] = render.PageContext(url=catalog().url_of(page.src), src=f"docs/{page.src}",
                                                    links_from=links_from(env, page), site_url=where.site_url,
                                                    entity=entity if isinstance(entity, str) else None)
        return contexts[page.src]

    def register(name, fn, call=None):
        """A macro behind the argument checks of fn's signature (misuse named in the page's terms)."""
        call = call or (lambda *args, **kwargs: fn(catalog(), ctx(), *args, **kwargs))
        macros[name] = guard.checked(name, fn, call)
        env.macro(macros[name], name)

    def with_kit(fn):
        """A figure or comparison table followed by its reuse kit's links (macros/kit.py)."""
        def call(*args, **kwargs):
            c, page = ctx(), current_page(env)
            address = (where.site_url.rstrip("/") + "/" + c.url) if where.site_url else "/" + c.url
            changed = (page.meta or {}).get("last_changed") or site.build_date().isoformat()
            credit = kit.Credit(where.site_name, catalog().page_title(page.src), address, changed)
            return kit.box(fn(catalog(), c, *args, **kwargs), c.href, c.url, credit)
        return call

    for name in MACROS:
        fn = getattr(render, name)
        register(name, fn, with_kit(fn) if name in KIT_MACROS else None)
    for name in FIGURES:
        register(name, getattr(figures, name), with_kit(getattr(figures, name)))
    register("cite", render.cite_source)
    register("for_teachers", lambda cat, ctx: None, lambda: render.for_teachers(
        catalog(), ctx(), (env.page.meta or {}).get("objectives", []), (env.page.meta or {}).get("questions", []),
        (env.page.meta or {}).get("answers")))
    key = fingerprint(where.project_dir, where.docs_dir)
    try:
        cat, data_error, page_errors = cached_catalog(key, where, list(macros), serving)
    except SiteError as exc:                        # building: the first broken input stops it
        raise BuildError(str(exc)) from None
    if data_error is not None:
        log.error(str(data_error))
    built.update(cat=cat, data_error=data_error)
    dates = git_dates(key, where.project_dir, git_stamp(where.project_dir))
    page = current_page(env)
    if page is not None:                            # Zensical: this call is for one page, and the only one
        prepare_page(cat, where, page, dates)
        return
    _STATES[env] = BuildState(cat, where, dates, serving, data_error, dict(page_errors), contexts=contexts,
                              macros=macros, blocks=markdown_blocks(env.conf))
    if serving:
        _show_log()


PLAIN_MARKDOWN = "ASEAN_UN_PLAIN_MARKDOWN"   # =1: no rawblocks extension (the plain build its test compares with)


def markdown_blocks(conf) -> rawblocks.Blocks | None:
    """The registry of this build's macro HTML blocks, and the Python-Markdown extension that reads it, added to
    MkDocs' markdown_extensions (a rebuild under serve reads a fresh configuration: one extension per build)."""
    if os.environ.get(PLAIN_MARKDOWN) == "1":
        return None
    exts = conf["markdown_extensions"]
    for ext in exts:
        if isinstance(ext, rawblocks.MacroBlocks):
            return ext.blocks
    blocks = rawblocks.Blocks()
    exts.append(rawblocks.MacroBlocks(blocks))
    return blocks


def _show_log() -> None:
    """Messages of our logger in the shape of MkDocs' own ('ERROR    -  …'), once."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False


def prepare_page(cat, where: Build, page: PageInfo, dates: dict) -> None:
    """Page metadata that needs no rendering: a description for entity pages, the footer's dates and citation."""
    entity = page.meta.get("entity")
    if entity and "description" not in page.meta and entity in cat.entities:
        # the theme prints the description into <meta> unescaped: escaped here, on one line
        page.meta["description"] = safe.meta_text(cat.entities[entity].entity.summary)
    page.meta.update(citation.page_footer(
        cat.page_title(page.src), where.site_name, where.site_url, cat.url_of(page.src),
        dates.get(page.src), site.build_date()))
    page.meta.update(seo.page_meta(cat, src=page.src, url=cat.url_of(page.src), meta=page.meta,
                                   modified=page.meta["last_changed"], site_name=where.site_name,
                                   site_url=where.site_url))
    page.meta.update(share.page_meta(where.site_url, cat.url_of(page.src), cat.page_title(page.src)))
    page.meta["answer_key"] = teaching.answer_key(cat, page.meta) if page.meta.get("answers") else []
    page.meta.update(editions.page_meta(cat, url=cat.url_of(page.src), title=cat.page_title(page.src),
                                        site_name=where.site_name, site_url=where.site_url, edition=where.edition,
                                        pages=edition_pages(where.project_dir, tuple(e.id for e in cat.data.editions))))


def page_started(env) -> None:
    """mkdocs-macros' on_pre_page_macros: render the page by calling its literal macro calls in order, and hand
    Jinja an empty page (env.markdown is the documented way to change what mkdocs-macros renders)."""
    state = _STATES[env]
    page = current_page(env)
    markdown, env.markdown = env.markdown, ""
    problem = state.data_error or state.page_errors.get(page.src)
    if problem:                                     # serve only: show the error instead of the page
        state.rendered[page.src] = render.error_box(str(problem))
        return
    prepare_page(state.cat, state.where, page, state.dates)
    source = env.page.file.content_bytes.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    path = f"docs/{page.src}"
    key = _render_key(state, page, markdown) if state.serving else None
    kept = _SERVED.get(page.src)
    try:
        if kept is not None and kept[0] == key and kept[1] is state.cat.data:
            state.rendered[page.src], results = kept[2], kept[3]
        else:
            results = []
            pieces = pages.parse(markdown, path, guard.front_matter_offset(source, markdown))
            state.rendered[page.src] = pages.call_literal(pieces, state.macros, path, results.append)
            if key is not None:
                _SERVED[page.src] = (key, state.cat.data, state.rendered[page.src], results)
        for html in results if state.blocks else ():
            state.blocks.add(html)
    except SiteError as exc:
        if not state.serving:
            raise BuildError(str(exc)) from None
        log.error(str(exc))
        state.contexts.pop(page.src, None)
        state.rendered[page.src] = render.error_box(str(exc))


# mkdocs serve: each page's rendered Markdown, kept from one rebuild to the next with what it was made from (a
# page edit re-renders that page; the others come back as they were unless what they can show changed). Reset
# when the package is reloaded (an edit under macros/).
_SERVED: dict[str, tuple] = {}


def _render_key(state: BuildState, page: PageInfo, markdown: str) -> str:
    """Everything a page's macros read: its text and metadata (dates, description, citation), the site's
    settings and build date, and the catalog's parts that come from the pages (which page uses which term or
    entity, their titles, their front matter). The data's part is its object (kept while the data file's text
    is unchanged: macros/loader.py), compared by identity next to this key."""
    cat, where = state.cat, state.where
    if state.page_signature is None:
        state.page_signature = hashlib.sha256(repr((
            sorted((k, tuple(v)) for k, v in cat.used_on.items()), sorted(cat.page_titles.items()),
            sorted((k, repr(v)) for k, v in cat.page_meta.items()), cat.directory_urls, id(cat.geo),
            where.site_url, where.site_name, where.edition, site.build_date().isoformat(),
        )).encode()).hexdigest()
    return hashlib.sha256(repr((state.page_signature, page.src, cat.url_of(page.src), markdown,
                                sorted((k, repr(v)) for k, v in (page.meta or {}).items()))).encode()).hexdigest()


def page_rendered(env) -> None:
    """mkdocs-macros' on_post_page_macros: the page as rendered by page_started."""
    env.markdown = _STATES[env].rendered.pop(current_page(env).src)


def site_built(env) -> None:
    """mkdocs-macros' on_post_build: the whole-site steps over the built site (macros/postbuild.py)."""
    state = _STATES.pop(env)
    if state.cat is None:                           # serve only: the data file's error was shown
        return
    try:
        postbuild.run(state.cat, state.where.project_dir, state.where.site_dir, preview=state.serving,
                      settings=state.where.publish_settings())
    except SiteError as exc:
        if not state.serving:
            raise BuildError(str(exc)) from None
        log.error(str(exc))
