"""`mkdocs serve` rebuilds only what an edit changed; `mkdocs build` is untouched (every cache here is off).

This is the one module that reaches into engine internals (MkDocs' Page.render and its fields and its serve
watcher, Jinja's FileSystemLoader.list_templates, Material's SearchIndex.add_entry_from_context and
SearchPlugin.on_page_context), for speed under serve only.
It switches itself off, and serve rebuilds everything the plain way, unless the installed MkDocs, Material,
Jinja and Python-Markdown are the versions it was written for (WRITTEN_FOR); tests/test_preview.py checks that
a preview rebuild gives byte for byte the files of a plain build.

MkDocs rebuilds the whole site on every change under serve. After an edit to data/asean_un.yml the macros
still have to run on every page (any page may show the edited fact), but most pages come out of them with
the very same Markdown as before, and most of a rebuild is spent turning that unchanged Markdown into HTML
and compiling unchanged templates again. While serving, in memory, for the life of the serve process:

- a page whose Markdown (after the macros), address, site files and Markdown settings are all unchanged
  gets the HTML, table of contents, title and anchors it had last time, instead of Python-Markdown running
  again. A page whose conversion logged a warning is never reused, so every warning is shown on every
  rebuild and `strict: true` still stops a rebuild that has one;
- Material's search plugin gets the index entries it made last time for a page whose HTML, table of
  contents, address, title and search settings are unchanged, instead of parsing the HTML again;
- Material's search plugin skips its pass that strips `data-search-*="…"` attributes from a page that has none;
- a page whose theme template would get the same input (its HTML, metadata, table of contents, address,
  neighbours, the whole nav, mkdocs.yml and the theme's own files unchanged) gets the page it got last time.

MkDocs' watcher looks for saved files every 0.5 s; here it looks every 0.1 s, so a preview starts on average
0.2 s sooner after each save.

The print page, the other whole-site step a preview does not need, is left unfilled (macros/printpage.py).
"""
from __future__ import annotations

import hashlib
import logging
from importlib.metadata import PackageNotFoundError, version
from types import MethodType

from command import serving as _serve_command   # hooks/command.py: the one way to tell `mkdocs serve`

log = logging.getLogger("mkdocs.hooks.preview")

# The versions whose internals this module was written against; any other version: the preview is off.
WRITTEN_FOR = {"mkdocs": "1.6.1", "properdocs": "1.6.7", "mkdocs-material": "9.8.2", "jinja2": "3.1.6",
               "markdown": "3.11.3"}

_state: dict = {"serving": False}
_pages: dict[str, tuple] = {}          # page cache key -> what Page.render produced
_search: dict[str, list] = {}          # page key -> Material's search index entries for it
_output: dict[str, str] = {}           # page key -> the theme's HTML for it
_used: set = set()                     # keys of both caches used by the current build (the rest is dropped)
stats = {"pages_reused": 0, "pages_rendered": 0, "search_entries_reused": 0, "templates_reused": 0}
stats_last: dict = {}                  # the counts of the last finished build


def written_for() -> str | None:
    """None when every installed package is one WRITTEN_FOR names (the engine: MkDocs or ProperDocs), else why not."""
    engine = None
    for name, wanted in WRITTEN_FOR.items():
        try:
            found = version(name)
        except PackageNotFoundError:
            if name in ("mkdocs", "properdocs"):
                continue
            return f"{name} is not installed"
        if name in ("mkdocs", "properdocs"):
            engine = engine or name
        if found != wanted:
            return f"{name} {found} (written for {wanted})"
    return None if engine else "neither MkDocs nor ProperDocs is installed"


def on_startup(command, dirty, **kwargs):
    why_not = written_for() if _serve_command() else None
    _state["serving"] = _serve_command() and why_not is None
    if why_not:
        log.info(f"preview: off ({why_not}); every rebuild is a whole one")
    if serving():
        _reuse_search_entries()
        _skip_idle_attribute_pass()
        _reuse_theme_listing()


def serving() -> bool:
    return _state["serving"]


# --- the theme's templates ------------------------------------------------------------------------------

def on_env(env, config, files, **kwargs):
    if serving() and not getattr(env, "_preview_get_template", False):
        get_template = env.get_template
        env.get_template = lambda name, *a, **k: _Rendered(get_template(name, *a, **k), name)
        env._preview_get_template = True
        _state["theme"] = _theme_signature(config)
    return env


def _theme_signature(config) -> str:
    """mkdocs.yml and every file of the theme's directories that a rebuild could have changed (custom_dir)."""
    import os
    h = hashlib.sha1()
    path = config.get("config_file_path")
    if path and os.path.isfile(path):
        h.update(open(path, "rb").read())
    custom = config["theme"].custom_dir if hasattr(config["theme"], "custom_dir") else None
    for root, _dirs, names in os.walk(custom or "/nonexistent"):
        for name in sorted(names):
            st = os.stat(os.path.join(root, name))
            h.update(f"{root}/{name}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return h.hexdigest()


def _nav_signature(nav) -> str:
    """Every nav item's kind, title, address and metadata (the theme shows other pages' status, icons …)."""
    def walk(items):
        return [(type(i).__name__, i.title, getattr(i, "url", None),
                 sorted((getattr(i, "meta", None) or {}).items(), key=str), walk(i.children or [])) for i in items]
    return hashlib.sha1(repr(walk(nav.items)).encode()).hexdigest()


def on_nav(nav, config, files, **kwargs):
    if serving():
        _state["nav"] = None             # titles come from the pages' headings: known once pages are rendered
    return nav


def _digest(text) -> str:
    """A page's HTML in a cache key: hashed as bytes (its repr() would copy and escape a quarter of a megabyte)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest() if isinstance(text, str) else repr(text)


class _Rendered:
    """A theme template whose render() for a page reuses last build's output when its input is unchanged."""

    def __init__(self, template, name):
        self._template, self._name = template, name

    def __getattr__(self, attr):
        return getattr(self._template, attr)

    def render(self, *args, **kwargs):
        context = args[0] if args and isinstance(args[0], dict) else kwargs
        page = context.get("page") if hasattr(context, "get") else None
        if not serving() or page is None or getattr(page, "file", None) is None or context.get("nav") is None:
            return self._template.render(*args, **kwargs)
        if _state.get("nav") is None:  # the first page themed in this build: every page's title is final
            _state["nav"] = _nav_signature(context["nav"])

        def neighbour(p):
            return (p.url, p.title) if p is not None else None
        key = hashlib.sha1(repr((
            self._name, _state.get("theme"), _state.get("nav"), _state.get("site"), context.get("base_url"),
            list(context.get("extra_css") or []), [str(j) for j in context.get("extra_javascript") or []],
            page.url, page.title, page.canonical_url, page.edit_url, sorted((page.meta or {}).items(), key=str),
            str(page.toc), neighbour(page.previous_page), neighbour(page.next_page),
            [a.title for a in page.ancestors], _digest(page.content))).encode()).hexdigest()
        _used.add(key)
        hit = _output.get(key)
        if hit is not None:
            stats["templates_reused"] += 1
            return hit
        out = self._template.render(*args, **kwargs)
        _output[key] = out
        return out


# --- Markdown -> HTML ---------------------------------------------------------------------------------------

class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _site_signature(config, files) -> str:
    h = hashlib.sha1()
    for f in sorted(files, key=lambda f: f.src_uri):
        h.update(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0{f.inclusion}\n".encode())
    h.update(repr((config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"],
                   config["validation"], config["docs_dir"])).encode())
    return h.hexdigest()


def on_files(files, config, **kwargs):
    if serving():
        _state["site"] = _site_signature(config, files)
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    """Runs after every plugin's on_page_markdown (hooks come last): `markdown` is what will be converted."""
    if not serving() or "site" not in _state:
        return markdown
    key = hashlib.sha1(f"{_state['site']}\0{page.file.src_uri}\0{page.file.url}\0{markdown}".encode()).hexdigest()
    hit = _pages.get(key)
    _used.add(key)
    if hit is not None:
        page.render = MethodType(lambda self, config, files: _restore(self, hit, files), page)
        stats["pages_reused"] += 1
        return markdown
    original = page.render

    def render(config, files):
        watcher = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(watcher)
        try:
            original(config, files)
        finally:
            logger.removeHandler(watcher)
        stats["pages_rendered"] += 1
        if watcher.count == 0:
            links = {f.src_uri: dict(v) for f, v in (page.links_to_anchors or {}).items()}
            _pages[key] = (page.content, page.toc, page._title_from_render, set(page.present_anchor_ids or ()),
                           links if page.links_to_anchors is not None else None)

    page.render = render
    return markdown


def _restore(page, hit, files):
    content, toc, title, anchors, links = hit
    page.content, page.toc, page._title_from_render = content, toc, title
    page.present_anchor_ids = set(anchors)
    if links is not None:
        page.links_to_anchors = {f: dict(v) for uri, v in links.items() if (f := files.get_file_from_path(uri))}


# --- the theme's file list ------------------------------------------------------------------------------

_listings: dict[tuple, list] = {}


def _reuse_theme_listing() -> None:
    """Every build lists the theme's files (MkDocs' add_files_from_theme: Material ships some 14,000, its
    icons included), a tenth of a second each time. While serving, a theme folder inside an installed package
    cannot change, so its part of the listing is kept; folders in the project (overrides/) are walked each
    time and are part of the key, so a file added there shows up."""
    import os
    import sysconfig

    from jinja2 import FileSystemLoader

    if getattr(FileSystemLoader.list_templates, "_preview", False):
        return
    original = FileSystemLoader.list_templates
    installed = tuple(os.path.realpath(p) for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})

    def list_templates(self):
        if not serving():
            return original(self)
        local = []
        for path in self.searchpath:
            real = os.path.realpath(path)
            if not real.startswith(installed):
                local.append(tuple((d, tuple(sorted(f))) for d, _, f in sorted(os.walk(real, followlinks=True))))
        key = (tuple(self.searchpath), tuple(local))
        if key not in _listings:
            _listings.clear()
            _listings[key] = original(self)
        return list(_listings[key])
    list_templates._preview = True
    FileSystemLoader.list_templates = list_templates


# --- Material's search index ----------------------------------------------------------------------------

def _reuse_search_entries() -> None:
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:            # another theme, or Material moved it: nothing to speed up
        return
    original = getattr(SearchIndex, "add_entry_from_context", None)
    if original is None or getattr(original, "_preview", False):
        return

    def add_entry_from_context(self, page):
        if not serving() or not isinstance(getattr(self, "entries", None), list):
            return original(self, page)
        meta = page.meta or {}
        key = hashlib.sha1(repr((sorted(self.config.items(), key=str), page.url, page.title, meta.get("title"),
                                 meta.get("search"), meta.get("tags"), str(page.toc), _digest(page.content))).encode()
                           ).hexdigest()
        _used.add(key)
        hit = _search.get(key)
        if hit is not None:
            self.entries.extend(dict(e) for e in hit)
            stats["search_entries_reused"] += 1
            return None
        before = len(self.entries)
        result = original(self, page)
        _search[key] = [dict(e) for e in self.entries[before:]]
        return result

    add_entry_from_context._preview = True
    SearchIndex.add_entry_from_context = add_entry_from_context


def _skip_idle_attribute_pass() -> None:
    """Material's search plugin, after indexing a page, removes its `data-search-*="…"` attributes with a regular
    expression that starts with an optional space, so it is tried at every character of every page's HTML: a
    tenth of a second per rebuild here, where no page has such an attribute with a value (the site's
    `data-search-exclude` has none). While serving, the substitution runs only on a page where a search finds
    one (its literal start makes that search fast); elsewhere it could not change the page."""
    import re

    try:
        from material.plugins.search.plugin import SearchPlugin
    except ImportError:
        return
    original = getattr(SearchPlugin, "on_page_context", None)
    if original is None or getattr(original, "_preview", False):
        return
    attribute = re.compile(r"data-search-\w+=\"[^\"]+\"")

    def on_page_context(self, context, *, page, config, nav):
        if not serving() or not self.config.enabled or attribute.search(page.content or ""):
            return original(self, context, page=page, config=config, nav=nav)
        self.search_index.add_entry_from_context(page)     # the rest of the original: a substitution with no match
        return None

    on_page_context._preview = True
    SearchPlugin.on_page_context = on_page_context


# --- the file watcher ------------------------------------------------------------------------------------

WATCH_POLL_S = 0.1        # MkDocs' own watcher looks for changes every 0.5 s


def on_serve(server, config, builder, **kwargs):
    """MkDocs' `serve` event hands over the server "which can be modified before it is activated", but the
    interval of its watcher is not a setting: the watcher (server.observer, an internal of this MkDocs version)
    is replaced, before it starts, by the same polling watcher with a shorter interval. The paths already
    watched move to it through the server's own unwatch() and watch(), as often as each was watched; the rest
    (mkdocs.yml's `watch:`) are added after this event."""
    if not serving():
        return server
    from watchdog.observers.polling import PollingObserver

    moved: list[str] = []
    for path in dict.fromkeys(filter(None, [config.docs_dir, config.config_file_path, *config.theme.dirs])):
        while True:
            try:
                server.unwatch(path)
            except KeyError:           # not (or no longer) watched
                break
            moved.append(path)
    server.observer = PollingObserver(timeout=WATCH_POLL_S)
    for path in moved:
        server.watch(path)
    return server


def on_post_build(config, **kwargs):
    if serving():
        log.info(f"preview: {stats['pages_reused']} pages reused, {stats['pages_rendered']} converted; "
                 f"{stats['search_entries_reused']} pages' "
                 f"search entries and {stats['templates_reused']} themed pages reused")
        stats_last.clear()
        stats_last.update(stats)
        for k in stats:
            stats[k] = 0
        for cache in (_pages, _search, _output):       # what this build did not use belongs to older versions
            for key in [k for k in cache if k not in _used]:
                del cache[key]
        _used.clear()
