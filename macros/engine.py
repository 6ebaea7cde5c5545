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
import posixpath
from dataclasses import dataclass
from pathlib import Path

from . import citation, figures, render, site
from .errors import SiteError, undefined_message
from .pages import leftover_template

try:  # MkDocs, or ProperDocs through its mkdocs.* alias: the engine prints "Aborted with a BuildError" cleanly
    from mkdocs.exceptions import PluginError as BuildError
except ImportError:  # Zensical: no MkDocs installed
    class BuildError(Exception):
        """A broken input: the build stops with its message."""

try:  # mkdocs-macros: how a macro's error is shown
    from mkdocs_macros.errors import format_error
except ImportError:  # Zensical's extension raises the error as it is (on_error_fail: true)
    format_error = None

# The registered macros, each a render function of the same name called as fn(catalog, page context, *args).
MACROS = ("term", "ref", "infobox", "compare", "matrix", "glossary", "related", "article_points",
          "notes", "timeline", "sources", "key_terms", "who", "listing", "teaching_index", "href",
          "changed_facts", "events_since")

# Figures (macros/figures.py), registered the same way: fn(catalog, page context, *args) -> <figure> HTML.
FIGURES = ("asean_map", "locator_map", "memberships", "council_strip", "votes_chart", "timeline_lanes")
MAPS = ("asean_map", "locator_map")     # the figures that need shapely and pyproj


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


def one_call_per_page(env) -> bool:
    """True under Zensical's extension, which calls define_env for each page, with the page already set."""
    return current_page(env) is not None


# --- the catalog, once per content ------------------------------------------------------------------------

def fingerprint(project_dir: Path, docs_dir: Path) -> str:
    """Hash of the data file and every page (path and text): the catalog depends on nothing else."""
    digest = hashlib.sha256((project_dir / site.DATA_FILE).read_bytes())
    for path, text in site.read_pages(docs_dir).items():
        digest.update(b"\0" + path.encode() + b"\0" + text.encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _catalog(key: str, project_dir: Path, docs_dir: Path, names: tuple[str, ...], directory_urls: bool):
    return site.load_site(project_dir, docs_dir, list(names), directory_urls)


def site_catalog(key: str, where: "Site", names):
    """The validated catalog for the content whose fingerprint is key: built once, then reused."""
    return _catalog(key, where.project_dir, where.docs_dir, tuple(sorted(set(names))), where.directory_urls)


@functools.lru_cache(maxsize=4)
def git_dates(key: str, project_dir: Path) -> dict:
    """Last-change dates of the pages, read from git once per content (Zensical asks for every page)."""
    return site.git_dates(project_dir)


@functools.lru_cache(maxsize=4)
def _export(key: str, project_dir: Path, site_dir: Path, cat) -> None:
    site.write_open_data(cat.data, project_dir, site_dir)


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

    @classmethod
    def of(cls, env) -> "Site":
        conf, project = env.conf, Path(env.project_dir)
        return cls(project, project / conf.get("docs_dir", "docs"), project / conf.get("site_dir", "site"),
                   conf.get("site_name", ""), conf.get("site_url"), conf.get("use_directory_urls", True))


def define(env) -> None:
    """Register the macros, build (or reuse) the catalog, and set up the page being rendered if there is one."""
    where = Site.of(env)
    contexts: dict[str, render.PageContext] = {}   # one per page of this build (Zensical: of this page)

    def ctx() -> render.PageContext:
        page = current_page(env)
        if page.src not in contexts:
            contexts[page.src] = render.PageContext(url=cat.url_of(page.src), src=f"docs/{page.src}",
                                                    links_from=links_from(env, page))
        return contexts[page.src]

    def bound(fn):
        return lambda *args, **kwargs: fn(cat, ctx(), *args, **kwargs)

    for name in MACROS:
        env.macro(bound(getattr(render, name)), name)
    for name in FIGURES:
        env.macro(bound(getattr(figures, name)), name)
    if _is_zensical(env):   # its embedded Python crashes importing numpy (shapely, pyproj): no maps there
        for name in MAPS:
            env.macro(bound(getattr(figures, f"{name}_not_drawn")), name)
    env.macro(bound(render.cite_source), "cite")
    env.macro(lambda: render.for_teachers(cat, ctx(), (env.page.meta or {}).get("objectives", []),
                                          (env.page.meta or {}).get("questions", [])), "for_teachers")
    if format_error is not None:
        format_error.register(SiteError)(lambda error, markdown, page: f"ERROR - {error}")
        format_error.register(_undefined_error())(lambda error, markdown, page: "ERROR - " + undefined_message(
            error, f"docs/{page.file.src_path}", markdown, [*env.macros, *env.variables]))
    key = fingerprint(where.project_dir, where.docs_dir)
    try:
        cat = site_catalog(key, where, [*env.macros, *env.variables, *env.filters])
    except SiteError as exc:
        raise BuildError(str(exc)) from None
    env.variables["article_citation"] = render.article_citation(cat)   # public: docs/teaching.md shows it
    page = current_page(env)
    if page is not None:                            # Zensical: this call is for one page, and the only one
        prepare_page(cat, where, page, git_dates(key, where.project_dir))
        _export(key, where.project_dir, where.site_dir, cat)
    # mkdocs-macros: the hooks below need the catalog; keep it on this build's env object, not in the
    # template namespace (env.variables) where any page could reach it.
    env.__dict__["_explainer"] = (cat, where, git_dates(key, where.project_dir))


def _undefined_error():
    from jinja2.exceptions import UndefinedError
    return UndefinedError


def _built(env):
    return env.__dict__["_explainer"]


def prepare_page(cat, where: Site, page: PageInfo, dates: dict) -> None:
    """Page metadata that needs no rendering: a description for entity pages, the footer's dates and citation."""
    entity = page.meta.get("entity")
    if entity and "description" not in page.meta and entity in cat.entities:
        page.meta["description"] = cat.entities[entity].entity.summary
    page.meta.update(citation.page_footer(
        cat.page_title(page.src), where.site_name, where.site_url, cat.url_of(page.src),
        dates.get(page.src), site.build_date()))


def page_started(env) -> None:
    """mkdocs-macros' on_pre_page_macros."""
    cat, where, dates = _built(env)
    prepare_page(cat, where, current_page(env), dates)


def page_rendered(env) -> None:
    """mkdocs-macros' on_post_page_macros: nothing of Jinja may be left in the rendered Markdown."""
    leftover = leftover_template(env.markdown)
    if leftover:
        raise BuildError(f"docs/{current_page(env).src}:{leftover}: template syntax left unrendered")


def site_built(env) -> None:
    """mkdocs-macros' on_post_build: the open data next to the site."""
    cat, where, _ = _built(env)
    site.write_open_data(cat.data, where.project_dir, where.site_dir)
