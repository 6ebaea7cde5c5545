"""mkdocs-macros adapter: register the macros and bind each page's context. No logic lives here."""
from __future__ import annotations

import importlib
from pathlib import Path

from jinja2.exceptions import UndefinedError
from mkdocs.exceptions import PluginError
from mkdocs_macros.errors import format_error

from . import errors, model, loader, catalog, render, citation, export, site, geo, figures  # noqa: F401  (reload order below)

MACROS = ("term", "ref", "infobox", "compare", "matrix", "glossary", "related", "article_points",
          "notes", "timeline", "sources", "key_terms", "who", "listing", "teaching_index")
_pages: dict[str, "render.PageContext"] = {}


def define_env(env):
    # `mkdocs serve` keeps this package imported between rebuilds: reload so edits show up.
    for module in (errors, model, loader, catalog, render, citation, export, geo, figures, site):
        importlib.reload(module)
    format_error.register(errors.SiteError)(lambda error, markdown, page: f"ERROR - {error}")
    format_error.register(UndefinedError)(lambda error, markdown, page: "ERROR - " + errors.undefined_message(
        error, f"docs/{page.file.src_path}", markdown, [*env.macros, *env.variables]))

    def bound(name):
        fn = getattr(render, name)
        return lambda *args, **kwargs: fn(cat, _ctx(env), *args, **kwargs)

    for name in MACROS:
        env.macro(bound(name), name)
    figure = lambda fn: lambda *args, **kwargs: fn(cat, _ctx(env), *args, **kwargs)  # noqa: E731
    env.macro(figure(figures.asean_map), "asean_map")
    env.macro(figure(figures.locator_map), "locator_map")
    env.macro(figure(figures.memberships), "memberships")
    env.macro(figure(figures.council_strip), "council_strip")
    env.macro(figure(figures.votes_chart), "votes_chart")
    env.macro(figure(figures.timeline_lanes), "timeline_lanes")
    env.macro(lambda source, pin=None: render.cite_source(cat, _ctx(env), source, pin), "cite")
    env.macro(lambda: render.for_teachers(cat, _ctx(env), env.page.meta.get("objectives", []),
                                          env.page.meta.get("questions", [])), "for_teachers")
    try:
        cat = site.load_site(Path(env.project_dir), Path(env.conf["docs_dir"]),
                             [*env.macros, *env.variables, *env.filters], env.conf["use_directory_urls"])
    except errors.SiteError as exc:
        raise PluginError(str(exc)) from None
    env.variables["catalog"] = cat
    env.variables["git_dates"] = site.git_dates(Path(env.project_dir))
    env.variables["article_citation"] = citation.cite_article()


def _ctx(env):
    return _pages[env.page.file.src_path]


def on_pre_page_macros(env):
    page = env.page
    _pages[page.file.src_path] = render.PageContext(url=page.url, src=f"docs/{page.file.src_path}")
    entity = page.meta.get("entity")
    if entity and "description" not in page.meta and entity in env.variables["catalog"].entities:
        page.meta["description"] = env.variables["catalog"].entities[entity].entity.summary


def on_post_page_macros(env):
    page = env.page
    leftover = catalog.leftover_template(env.markdown)
    if leftover:
        raise PluginError(f"docs/{page.file.src_path}:{leftover}: template syntax left unrendered")
    page.meta.update(citation.page_footer(
        env.variables["catalog"].page_title(page.file.src_path), env.conf["site_name"], env.conf.get("site_url"),
        page.url, env.variables["git_dates"].get(page.file.src_path), site.build_date()))


def on_post_build(env):
    site.write_open_data(env.variables["catalog"].data, Path(env.project_dir), Path(env.conf["site_dir"]))
