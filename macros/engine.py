"""The seam between this package and the engine that runs it. Everything engine-specific lives here.

Two engines call `define_env(env)`:

* mkdocs-macros (under MkDocs 1.6, or ProperDocs, which aliases `mkdocs.*` to `properdocs.*`) calls it once per
  build, before any page, then `on_pre_page_macros` / `on_post_page_macros` around each page and
  `on_post_build` once at the end;
* Zensical's built-in macros extension executes the package anew for every page it renders and calls
  `define_env(env)` with `env.page` already set; it knows none of the other hooks and runs no MkDocs plugin.

So the page context is taken from `env.page` when a macro runs (not from a pre-page hook), the catalog is
built once per content of the data file and pages (a cache keyed on their hash, not once per page), the per-page
metadata is set by whichever call comes first for that page, and the open-data export runs from `on_post_build`
(mkdocs-macros) or from the first `define_env` call of a build (Zensical). Nothing here is mutable module state
that changes what a page shows: the caches only remember results of pure functions of their keys.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import citation, editions, figures, guard, kit, publish, render, safe, sandbox, seo, share, site, teaching
from .errors import SiteError
from .pages import call_literal, leftover_template, literal_template

try:  # MkDocs, or ProperDocs through its mkdocs.* alias: the engine prints "Aborted with a BuildError" cleanly
    from mkdocs.exceptions import PluginError as BuildError
except ImportError:  # Zensical: no MkDocs installed
    class BuildError(Exception):
        """A broken input: the build stops with its message."""

try:  # mkdocs-macros: how a macro's error is shown
    from mkdocs_macros.errors import format_error
except ImportError:  # Zensical's extension raises the error as it is (on_error_fail: true)
    format_error = None

log = logging.getLogger("mkdocs.plugins.macros.site")

# The registered macros, each a render function of the same name called as fn(catalog, page context, *args).
MACROS = ("term", "ref", "infobox", "compare", "matrix", "glossary", "related", "article_points",
          "notes", "timeline", "sources", "key_terms", "who", "listing", "teaching_index", "href",
          "changed_facts", "events_since", "event_date", "vote_count", "seat", "joined", "member_count",
          "article_info", "open_questions", "corrections", "teaching_downloads")

# Figures (macros/figures.py), registered the same way: fn(catalog, page context, *args) -> <figure> HTML.
FIGURES = ("asean_map", "locator_map", "memberships", "council_strip", "votes_chart", "timeline_lanes")
# Render macros whose output gets a reuse kit (SVG, CSV, citation, embed page) right after it; figures all do.
KIT_MACROS = ("compare", "matrix")
# Jinja's own globals a page may use, and mkdocs-macros' helpers, which pages may not (they reach internals).
JINJA_GLOBALS = ("range", "dict", "lipsum", "cycler", "joiner", "namespace")
PLUGIN_HELPERS = ("context", "macros_info", "now", "fix_url")


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


def links_from(env, page: PageInfo) -> str | None:
    """Where the relative links of a page's HTML start from.

    MkDocs leaves links in raw HTML alone, so they start from the page's own URL ('institutions/asean/').
    Zensical rewrites every relative link of the rendered page as if it were written relative to the source
    file, as Markdown links are: there they start from the source file's folder ('institutions/').
    """
    if not _is_zensical(env):
        return None
    folder = posixpath.dirname(page.src)
    return folder + "/" if folder else ""


def _is_zensical(env) -> bool:
    return type(env).__module__.split(".")[0] == "zensical"


def source_stamps(modules) -> tuple:
    """Each module file's size and modification time: what tells an edited module from an unchanged one."""
    out = []
    for module in modules:
        try:
            stat = Path(module.__file__).stat()
            out.append((module.__name__, stat.st_mtime_ns, stat.st_size))
        except (OSError, TypeError):
            out.append((module.__name__, None, None))
    return tuple(out)


def one_call_per_page(env) -> bool:
    """True under Zensical's extension, which calls define_env for each page, with the page already set."""
    return current_page(env) is not None


# --- the catalog, once per content ------------------------------------------------------------------------

def fingerprint(project_dir: Path, docs_dir: Path) -> str:
    """Hash of the data file, the map data and every page (path and text): the catalog depends on nothing else.
    A file that cannot be read (permissions, a FIFO, a device) is hashed by what is wrong with it, never read:
    load_site reports it with its name."""
    digest = hashlib.sha256()

    def content(path: Path) -> bytes:
        try:
            mode = path.stat().st_mode
            if not stat.S_ISREG(mode):
                return f"\0not a regular file {mode}".encode()
            return path.read_bytes()
        except OSError as exc:
            return f"\0unreadable {exc}".encode()

    for name in (site.DATA_FILE, site.GEO_FILE):        # a missing file: load_site says so
        digest.update(content(project_dir / name) + b"\0")
    for path in sorted(docs_dir.rglob("*.md")):   # bytes, so a page that is not UTF-8 is load_site's to report
        digest.update(b"\0" + path.relative_to(docs_dir).as_posix().encode() + b"\0" + content(path))
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


def site_catalog(key: str, where: "Site", names, serving: bool = False):
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


@functools.lru_cache(maxsize=4)
def _export(key: str, project_dir: Path, site_dir: Path, cat, settings=None) -> None:
    site.write_open_data(cat, project_dir, site_dir)
    if settings is not None:
        publish.write_all(cat, settings, site_dir)


# --- define_env and the per-page steps --------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """What define_env knows about the build, whichever engine runs it."""
    project_dir: Path
    docs_dir: Path
    site_dir: Path
    site_name: str
    site_url: str | None
    directory_urls: bool
    edition: str | None = None      # the day of the edition this build is (EDITION, extra.edition), else None

    def publish_settings(self) -> publish.Settings:
        return publish.Settings(self.site_name, self.site_url, self.project_dir, self.edition)

    @classmethod
    def of(cls, env) -> "Site":
        conf, project = env.conf, Path(env.project_dir)
        return cls(project, project / conf.get("docs_dir", "docs"), project / conf.get("site_dir", "site"),
                   conf.get("site_name", ""), conf.get("site_url"), conf.get("use_directory_urls", True),
                   editions.edition_of((conf.get("extra") or {}).get("edition")))


@dataclass
class Build:
    """One build's state, kept on its env object (never module state): the catalog or the data error that
    stopped it, page errors found before rendering, and (mkdocs-macros) each page's front-matter offset
    and the message of the error its rendering raised. Errors are only kept while serving."""
    cat: object
    where: Site
    dates: dict
    serving: bool = False
    data_error: SiteError | None = None
    page_errors: dict = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    contexts: dict = field(default_factory=dict)     # each page's render.PageContext (citations numbered so far)


def page_names(env) -> list[str]:
    """What a page may name: every registered macro but the plugin's helpers, the public variables, Jinja's
    globals and the page itself."""
    variables = [k for k in env.variables if k not in sandbox.HIDDEN_VARIABLES]
    return [*(k for k in env.macros if k not in PLUGIN_HELPERS), *variables, *JINJA_GLOBALS, "page", "extra"]


def define(env) -> None:
    """Register the macros, build (or reuse) the catalog, and set up the page being rendered if there is one."""
    where = Site.of(env)
    serving = format_error is not None and site.serving()   # `mkdocs serve` (Zensical: never)
    contexts: dict[str, render.PageContext] = {}   # one per page of this build (Zensical: of this page)
    built: dict = {}                               # this build's catalog, once loaded (below)

    def catalog():
        if built["data_error"] is not None:        # serve only: every macro shows the data file's error
            raise built["data_error"]
        return built["cat"]

    def ctx() -> render.PageContext:
        page = current_page(env)
        if page.src not in contexts:
            contexts[page.src] = render.PageContext(url=catalog().url_of(page.src), src=f"docs/{page.src}",
                                                    links_from=links_from(env, page), site_url=where.site_url)
        return contexts[page.src]

    def register(name, fn, call=None):
        """A macro behind the argument checks of fn's signature (misuse named in the page's terms)."""
        call = call or (lambda *args, **kwargs: fn(catalog(), ctx(), *args, **kwargs))
        env.macro(guard.checked(name, fn, call), name)

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
    if serving:
        env.config["on_error_fail"] = False       # mkdocs-macros would exit(); the page shows the error instead
        _spare_shown_errors()
    key = fingerprint(where.project_dir, where.docs_dir)
    names = page_names(env)
    try:
        cat, data_error, page_errors = site_catalog(key, where, names, serving)
    except SiteError as exc:                        # building: the first broken input stops it
        raise BuildError(str(exc)) from None
    if data_error is not None:
        log.error(str(data_error))
    built.update(cat=cat, data_error=data_error)
    dates = git_dates(key, where.project_dir, git_stamp(where.project_dir))
    state = Build(cat, where, dates, serving, data_error, dict(page_errors), names=names, contexts=contexts)
    if format_error is not None:
        for kind in (Exception, _syntax_error()):
            format_error.register(kind)(lambda error, markdown, page: _format_error(state, error, page, markdown))
    if cat is not None:
        env.variables["article_citation"] = render.article_citation(cat)   # public: docs/teaching.md shows it
    page = current_page(env)
    if page is not None:                            # Zensical: this call is for one page, and the only one
        sandbox_zensical_page()
        prepare_page(cat, where, page, dates)
        _export(key, where.project_dir, where.site_dir, cat, where.publish_settings())
    # mkdocs-macros: the hooks below need this build's state; keep it on this build's env object, not in the
    # template namespace (env.variables) where any page could reach it.
    env.__dict__["_explainer"] = state


def _syntax_error():
    from jinja2 import TemplateSyntaxError
    return TemplateSyntaxError


def _shown_on_the_page(record: logging.LogRecord) -> bool:
    """False for the macros' own messages (logged by mkdocs-macros or by us): while serving, those errors are
    shown on their page, so they must not count as warnings."""
    return not record.name.startswith(("mkdocs.plugins.macros", "mkdocs.plugins.mkdocs_macros"))


def _spare_shown_errors() -> None:
    """`mkdocs serve --strict` (strict: true) counts warnings with a CountHandler and aborts the rebuild on
    them. While serving, a macros error is shown on its page instead, so the counter skips those messages;
    every other warning (a broken Markdown link) still stops the rebuild. mkdocs build keeps it all."""
    from mkdocs.utils import CountHandler
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            handler.addFilter(_shown_on_the_page)


def _format_error(state: Build, error: BaseException, page, markdown: str | None = None) -> str:
    """mkdocs-macros' message for an error raised while rendering a page: located at the page's true line."""
    src = page.file.src_path
    message = str(guard.page_error(error, f"docs/{src}", state.offsets.get(src, 0), state.names, markdown))
    state.failed[src] = message
    return message                                  # mkdocs-macros logs it (and stops, unless serving)


def _built(env) -> Build:
    return env.__dict__["_explainer"]


def prepare_page(cat, where: Site, page: PageInfo, dates: dict) -> None:
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


def sandbox_zensical_page() -> bool:
    """Zensical's macros extension renders each page in a plain jinja2.Environment (a local `env` of its run(),
    made just before it calls define_env and before it compiles the page) that no setting replaces: turn that
    one into the page sandbox in place (sandbox.make_sandbox), so the sandbox and its size limits hold there
    too. Found by walking up to the extension's frame; if a Zensical release moves it, nothing changes and
    the page-text check (pages.check_expressions) still refuses what reaches into Python. True if done."""
    import sys
    from jinja2 import Environment
    frame = sys._getframe(1)
    while frame is not None:
        local = frame.f_locals.get("env")
        if str(frame.f_globals.get("__name__", "")).startswith("zensical") and isinstance(local, Environment):
            sandbox.make_sandbox(local)
            return True
        frame = frame.f_back
    log.info("pages render outside the sandbox here (no Zensical Jinja environment found); the page-text check "
             "still applies")
    return False


def sandbox_pages(env) -> None:
    """Pages render in the sandbox (macros/sandbox.py). mkdocs-macros builds its Jinja environment after
    define_env, so the swap happens here: from hooks/command.py's on_config (before other hooks, such as
    hooks/preview.py, wrap the environment) or, failing that, at the first page."""
    if not isinstance(env.env, sandbox.PageSandbox):
        page_macros = {k: v for k, v in env.macros.items() if k not in PLUGIN_HELPERS}
        env._env = sandbox.sandboxed(env.env, {name: env.env.globals[name] for name in JINJA_GLOBALS
                                               if name in env.env.globals} | page_macros)


def page_started(env) -> None:
    """mkdocs-macros' on_pre_page_macros: the page renders in the sandbox; an error found before rendering
    (serve only) replaces the page."""
    state = _built(env)
    sandbox_pages(env)
    sandbox.page_variables(env.variables)
    page = current_page(env)
    source = env.page.file.content_bytes.decode("utf-8-sig", errors="replace")   # (a bad page is a known error)
    state.offsets[page.src] = guard.front_matter_offset(source.replace("\r\n", "\n"), env.markdown)
    problem = state.data_error or state.page_errors.get(page.src)
    if problem:                                     # serve only: show the error instead of the page
        state.failed[page.src] = str(problem)
        env.markdown = ""
        return
    prepare_page(state.cat, state.where, page, state.dates)
    _render_literal_calls(env, state, page)


# Set to 1 to render every page with Jinja (tests compare both ways: the output must be the same).
ALWAYS_JINJA = "ASEAN_UN_ALWAYS_JINJA"


def _plain_jinja(jinja) -> bool:
    """Jinja's default syntax and output rules, the ones pages.literal_template reproduces."""
    return ((jinja.variable_start_string, jinja.variable_end_string, jinja.block_start_string,
             jinja.comment_start_string) == ("{{", "}}", "{%", "{#")
            and jinja.line_statement_prefix is None and jinja.line_comment_prefix is None
            and jinja.finalize is None and jinja.autoescape is False and jinja.newline_sequence == "\n"
            and not jinja.keep_trailing_newline)


def _render_literal_calls(env, state: Build, page: PageInfo) -> None:
    """A page whose only template syntax is `{{ macro(literal, …) }}` (nearly every page) is rendered here,
    by calling the same registered macros in order, instead of Jinja compiling it to Python first: compiling
    1,600 calls took a tenth of the build. mkdocs-macros is then told the page is rendered (its page copy's
    `render_macros: false`, the plugin's own switch). Anything else on a page (blocks, comments, variables,
    filters, expressions), a page that opts out of macros, or an error in a call: Jinja renders the whole
    page as before, and an error is reported the one usual way."""
    if os.environ.get(ALWAYS_JINJA) == "1" or not _plain_jinja(env.env):
        return
    page_copy = env.variables.get("page")
    if (page_copy is None or (page_copy.meta or {}).get("render_macros") is False
            or env.config.get("render_by_default") is False):
        return
    macros = {name: fn for name, fn in env.macros.items()
              if name not in PLUGIN_HELPERS and not hasattr(fn, "jinja_pass_arg")}
    pieces = literal_template(env.markdown, macros)
    if pieces is None:
        return
    try:
        env.markdown = call_literal(pieces, macros)
    except Exception:       # noqa: BLE001 - Jinja renders the page again and reports the error with its line
        state.contexts.pop(page.src, None)
        return
    page_copy.meta = {**(page_copy.meta or {}), "render_macros": False}


def page_rendered(env) -> None:
    """mkdocs-macros' on_post_page_macros: nothing of Jinja may be left in the rendered Markdown; while
    serving, a page whose rendering failed shows its error."""
    state = _built(env)
    src = current_page(env).src
    if src in state.failed:                         # serve only (a build has stopped by now)
        env.markdown = render.error_box(state.failed[src])
        return
    leftover = leftover_template(env.markdown)
    if leftover:
        _fail(env, state, SiteError("template syntax left unrendered", file=f"docs/{src}",
                                    line=leftover + state.offsets.get(src, 0)))


def _fail(env, state: Build, error: SiteError) -> None:
    if not state.serving:
        raise BuildError(str(error))
    log.error(str(error))
    env.markdown = render.error_box(str(error))


def site_built(env) -> None:
    """mkdocs-macros' on_post_build: anchors the data points at exist on the built pages; the open data."""
    state = _built(env)
    if state.cat is None:                           # serve only: the data file's error was shown
        return
    try:
        site.check_anchors(state.cat, state.where.site_dir)
    except SiteError as exc:
        if not state.serving:
            raise BuildError(str(exc)) from None
        log.error(str(exc))
    site.write_open_data(state.cat, state.where.project_dir, state.where.site_dir)
    publish.write_all(state.cat, state.where.publish_settings(), state.where.site_dir)
