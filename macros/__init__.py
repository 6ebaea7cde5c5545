"""The macros adapter for every engine: define_env registers the macros; engine.py holds what differs.

mkdocs-macros (MkDocs, ProperDocs) calls define_env once per build and the three hooks below; Zensical's
macros extension calls define_env for every page (with env.page set) and no hook. No logic lives here.
Under `mkdocs serve` (site.serving()) an error never stops the server: engine.py logs it and shows it in place
of the page, and the next good save rebuilds; `mkdocs build` fails on the same error.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

if __name__ not in sys.modules:   # Zensical executes this file by path without importing the package: make
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the project importable for `from .`

from . import (safe, errors, model, loader, pages, catalog, freshness, policy, teaching, render, citation, export, geo,
               figures, editions, site, guard, sandbox, feeds, kit, lms, publish, seo, share, engine)

MODULES = (safe, errors, model, loader, pages, catalog, freshness, policy, teaching, render, citation, export, geo, figures,
           editions, site, guard, sandbox, feeds, kit, lms, publish, seo, share, engine)   # in dependency order, for reloading


_loaded = engine.source_stamps(MODULES)     # kept here: this module is not reloaded between rebuilds


def define_env(env):
    # `mkdocs serve` keeps this package imported between rebuilds: when a module's file has changed since it
    # was loaded, reload them all (in dependency order) so the edit shows. A data or page edit reloads
    # nothing, and the first build does not run the modules it has just imported a second time. Under
    # Zensical (a call per page) reloading would throw away the catalog cache on every page.
    global _loaded
    if not engine.one_call_per_page(env) and engine.source_stamps(MODULES) != _loaded:
        for module in MODULES:
            importlib.reload(module)
        _loaded = engine.source_stamps(MODULES)
    engine.define(env)


def on_pre_page_macros(env):
    engine.page_started(env)


def on_post_page_macros(env):
    engine.page_rendered(env)


def on_post_build(env):
    engine.site_built(env)
