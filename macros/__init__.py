"""The macros adapter for every engine: define_env registers the macros; engine.py holds what differs.

mkdocs-macros (MkDocs, ProperDocs) calls define_env once per build and the three hooks below; Zensical's
macros extension calls define_env for every page (with env.page set) and no hook. No logic lives here.
Under `mkdocs serve` (site.serving()) an error never stops the server: engine.py logs it and shows it in place
of the page, and the next good save rebuilds; `mkdocs build` fails on the same error.
"""
from __future__ import annotations

import ast
import graphlib
import importlib
import sys
from pathlib import Path

if __name__ not in sys.modules:   # Zensical executes this file by path without importing the package: make
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the project importable for `from .`

HERE = Path(__file__).resolve().parent
NOT_BUILT = ("__init__", "cli")   # the package itself, and the command line (never imported by a build)


def dependency_order(folder: Path = HERE) -> list[str]:
    """Every module of the package, each after the package modules it imports (read from the source, so a new
    module or a new import is never forgotten). An import loop raises graphlib.CycleError."""
    stems = {p.stem for p in folder.glob("*.py")} - set(NOT_BUILT)
    needs: dict[str, set[str]] = {}
    for stem in sorted(stems):
        tree = ast.parse((folder / f"{stem}.py").read_text(encoding="utf-8"))
        used = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                used |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        needs[stem] = used & stems - {stem}
    return list(graphlib.TopologicalSorter(needs).static_order())


MODULES = tuple(importlib.import_module(f"{__name__}.{stem}") for stem in dependency_order())
engine = sys.modules[f"{__name__}.engine"]

_loaded = engine.source_stamps(HERE)     # kept here: this module is not reloaded between rebuilds


def define_env(env):
    # `mkdocs serve` keeps this package imported between rebuilds: when a file of the package has changed
    # since it was loaded, reload every module in dependency order (a module after those it imports, so each
    # `from .x import y` binds the new y) and the edit shows. A data or page edit reloads nothing, and the first
    # build does not run the modules it has just imported a second time. Under Zensical (a call per page)
    # reloading would throw away the catalog cache on every page: restart `zensical serve` after a Python edit.
    global _loaded, MODULES, engine
    if not engine.one_call_per_page(env) and engine.source_stamps(HERE) != _loaded:
        order = dependency_order()
        for stem in order:
            name = f"{__name__}.{stem}"
            if name in sys.modules:
                importlib.reload(sys.modules[name])
            else:
                importlib.import_module(name)
        MODULES = tuple(sys.modules[f"{__name__}.{stem}"] for stem in order)
        engine = sys.modules[f"{__name__}.engine"]
        _loaded = engine.source_stamps(HERE)
    engine.define(env)


def on_pre_page_macros(env):
    engine.page_started(env)


def on_post_page_macros(env):
    engine.page_rendered(env)


def on_post_build(env):
    engine.site_built(env)
