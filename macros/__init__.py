"""mkdocs-macros adapter: register the macros and bind each page's context. No logic lives here.

Under `mkdocs serve` (site.serving()) an error never stops the server: it is logged and shown in place of
the page, and the next good save rebuilds normally. `mkdocs build` fails on the same error.
"""
from __future__ import annotations

import importlib
import logging
from pathlib import Path

from jinja2 import TemplateSyntaxError
from mkdocs.exceptions import PluginError
from mkdocs.utils import CountHandler
from mkdocs_macros.errors import format_error

from . import safe, errors, model, loader, catalog, render, citation, export, site, guard, sandbox  # noqa: F401

MODULES = (safe, errors, model, loader, catalog, render, citation, export, site, guard, sandbox)  # reload order
MACROS = ("term", "ref", "infobox", "compare", "matrix", "glossary", "related", "article_points",
          "notes", "timeline", "sources", "key_terms", "who", "listing", "teaching_index")
VARIABLES = ("catalog", "git_dates", "article_citation")
JINJA_GLOBALS = ("range", "dict", "lipsum", "cycler", "joiner", "namespace")
PLUGIN_HELPERS = ("context", "macros_info", "now", "fix_url")   # mkdocs-macros' own: not for pages
log = logging.getLogger("mkdocs.plugins.macros.site")
_pages: dict[str, "render.PageContext"] = {}
_offsets: dict[str, int] = {}
_failed: dict[str, str] = {}                 # page -> message of the error its rendering raised (serve)
_state: dict = {}


def define_env(env):
    # `mkdocs serve` keeps this package imported between rebuilds: reload so edits show up.
    for module in MODULES:
        importlib.reload(module)
    for table in (_pages, _offsets, _failed, _state):
        table.clear()
    _state.update(serving=site.serving(), data_error=None, page_errors={}, macros={}, env=env)
    if _state["serving"]:
        env.config["on_error_fail"] = False           # mkdocs-macros would exit(); show the error instead
        mkdocs_log = logging.getLogger("mkdocs")      # and --strict would abort the build on that warning
        for handler in [h for h in mkdocs_log.handlers if isinstance(h, CountHandler)]:
            mkdocs_log.removeHandler(handler)
    for kind in (Exception, TemplateSyntaxError):
        format_error.register(kind)(_format_error)

    def bound(name, fn, call):
        _state["macros"][name] = guard.checked(name, fn, call)
        env.macro(_state["macros"][name], name)

    for name in MACROS:
        fn = getattr(render, name)
        bound(name, fn, lambda *a, _fn=fn, **kw: _fn(_catalog(), _ctx(env), *a, **kw))
    bound("cite", render.cite_source, lambda *a, **kw: render.cite_source(_catalog(), _ctx(env), *a, **kw))
    bound("for_teachers", lambda cat, ctx: None, lambda: render.for_teachers(
        _catalog(), _ctx(env), env.page.meta.get("objectives", []), env.page.meta.get("questions", [])))
    cat = None
    try:
        cat = site.load_site(Path(env.project_dir), Path(env.conf["docs_dir"]), _names(),
                             env.conf["use_directory_urls"],
                             page_errors=_state["page_errors"] if _state["serving"] else None)
    except errors.SiteError as exc:
        if not _state["serving"]:
            raise PluginError(str(exc)) from None
        _state["data_error"] = exc
        log.error(str(exc))
    _state["catalog"] = env.variables["catalog"] = cat
    env.variables["git_dates"] = site.git_dates(Path(env.project_dir))
    env.variables["article_citation"] = citation.cite_article()


def _names() -> list[str]:
    """What a page may name: every registered macro but the plugin's helpers, our variables, Jinja's."""
    macros = [k for k in _state["env"].macros if k not in PLUGIN_HELPERS]
    return [*macros, *VARIABLES, *JINJA_GLOBALS, "page", "extra"]


def _catalog():
    if _state["data_error"]:
        raise _state["data_error"]
    return _state["catalog"]


def _ctx(env):
    return _pages[env.page.file.src_path]


def _format_error(error, markdown, page):
    src = f"docs/{page.file.src_path}"
    message = str(guard.page_error(error, src, _offsets.get(page.file.src_path, 0), _names()))
    _failed[page.file.src_path] = message
    return message                                   # mkdocs-macros logs it (and exits, unless serving)


def on_pre_page_macros(env):
    if not isinstance(env.env, sandbox.PageSandbox):   # the plugin builds its Jinja environment after define_env
        page_macros = {k: v for k, v in env.macros.items() if k not in PLUGIN_HELPERS}
        env._env = sandbox.sandboxed(env.env, {name: env.env.globals[name] for name in JINJA_GLOBALS} | page_macros)
    sandbox.page_variables(env.variables)
    page = env.page
    _pages[page.file.src_path] = render.PageContext(url=page.url, src=f"docs/{page.file.src_path}")
    source = page.file.content_bytes.decode("utf-8-sig", errors="replace")    # (a bad page is a known error)
    _offsets[page.file.src_path] = guard.front_matter_offset(source.replace("\r\n", "\n"), env.markdown)
    problem = _state["data_error"] or _state["page_errors"].get(page.file.src_path)
    if problem:                                      # serve only: show the error instead of the page
        _failed[page.file.src_path] = str(problem)
        env.markdown = ""
        return
    entity = page.meta.get("entity")
    if entity and "description" not in page.meta:  # checked by site.load_site: it exists, one page each
        page.meta["description"] = safe.meta_text(env.variables["catalog"].entities[entity].entity.summary)


def on_post_page_macros(env):
    page = env.page
    if page.file.src_path in _failed:                # serve only (a build has stopped by now)
        env.markdown = render.error_box(_failed[page.file.src_path])
        return
    leftover = catalog.leftover_template(env.markdown)
    if leftover:
        _fail(env, errors.SiteError("template syntax left unrendered", file=f"docs/{page.file.src_path}",
                                    line=leftover + _offsets.get(page.file.src_path, 0)))
        return
    page.meta.update(citation.page_footer(
        env.variables["catalog"].page_title(page.file.src_path), env.conf["site_name"], env.conf.get("site_url"),
        page.url, env.variables["git_dates"].get(page.file.src_path), site.build_date()))


def _fail(env, error):
    if not _state["serving"]:
        raise PluginError(str(error))
    log.error(str(error))
    env.markdown = render.error_box(str(error))


def on_post_build(env):
    cat = env.variables["catalog"]
    if cat is None:
        return
    try:
        site.check_anchors(cat, Path(env.conf["site_dir"]))
    except errors.SiteError as exc:
        if not _state["serving"]:
            raise PluginError(str(exc)) from None
        log.error(str(exc))
    site.write_open_data(cat.data, Path(env.project_dir), Path(env.conf["site_dir"]))
