"""The macros adapter for every engine: define_env registers the macros; engine.py holds what differs.

mkdocs-macros (MkDocs, ProperDocs) calls define_env once per build and the three hooks below; Zensical's
macros extension calls define_env for every page (with env.page set) and no hook. No logic lives here.
Under `mkdocs serve` (site.serving()) an error never stops the server: engine.py logs it and shows it in place
of the page, and the next good save rebuilds; `mkdocs build` fails on the same error.
"""
from __future__ import annotations

import ast
import graphlib
import html
import importlib
import logging
import os
import sys
import traceback
from pathlib import Path

if __name__ not in sys.modules:   # Zensical executes this file by path without importing the package: make
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the project importable for `from .`

HERE = Path(__file__).resolve().parent
NOT_BUILT = ("__init__", "cli")   # the package itself, and the command line (never imported by a build)


def dependency_order(folder: Path = HERE) -> list[str]:
    """Every module of the package, each after the package modules it imports when it loads (read from the
    source, so a new module or a new import is never forgotten). An import inside a function runs when it is
    called and finds the reloaded module then: it does not order the reload (freshness imports dates that way,
    dates imports freshness at load). An import loop at load raises graphlib.CycleError."""
    stems = {p.stem for p in folder.glob("*.py")} - set(NOT_BUILT)
    needs: dict[str, set[str]] = {}
    for stem in sorted(stems):
        path = folder / f"{stem}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))   # a SyntaxError names the file
        used, todo = set(), list(tree.body)
        while todo:
            node = todo.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                used |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            todo.extend(ast.iter_child_nodes(node))
        needs[stem] = used & stems - {stem}
    return list(graphlib.TopologicalSorter(needs).static_order())


# A first import lets Python order the modules (each import loads what it needs first); the order read from the
# sources (an AST pass over the package) is only needed to reload them, in define_env below.
MODULES = tuple(importlib.import_module(f"{__name__}.{p.stem}") for p in sorted(HERE.glob("*.py"))
                if p.stem not in NOT_BUILT)
engine = sys.modules[f"{__name__}.engine"]

_loaded = engine.source_stamps(HERE)     # kept here: this module is not reloaded between rebuilds
_broken: str | None = None               # serve: why the edited macros could not be loaded (shown on every page)
_log = logging.getLogger("asean_un")     # engine.log's logger (engine may be the module that does not load)


def _where(error: BaseException) -> str:
    """'macros/render.py:12: SyntaxError: invalid syntax': the module's file and line, not a traceback."""
    root = Path(__file__).resolve().parent.parent
    if isinstance(error, SyntaxError) and error.filename:
        file, line = error.filename, error.lineno
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if "/macros/" in f.filename.replace("\\", "/")]
        file, line = (frames[-1].filename, frames[-1].lineno) if frames else ("macros", None)
    try:
        file = Path(file).resolve().relative_to(root).as_posix()
    except ValueError:
        pass
    what = error.msg if isinstance(error, SyntaxError) else str(error)
    return (f"{file}{f':{line}' if line else ''}: {type(error).__name__} while loading the macros: {what}; "
            "fix the module and save: the page reloads")


def define_env(env):
    # `mkdocs serve` keeps this package imported between rebuilds: when a file of the package has changed
    # since it was loaded, reload every module in dependency order (a module after those it imports, so each
    # `from .x import y` binds the new y) and the edit shows. A data or page edit reloads nothing, and the first
    # build does not run the modules it has just imported a second time. Under Zensical (a call per page)
    # reloading would throw away the catalog cache on every page: restart `zensical serve` after a Python edit.
    # While serving, a module that no longer loads (a syntax error, an exception at import) is logged with its
    # file and line and shown on every page, and the next save that fixes it loads it again.
    global _loaded, _broken, MODULES, engine
    if not engine.one_call_per_page(env) and engine.source_stamps(HERE) != _loaded:
        try:
            order = dependency_order()
            for stem in order:
                name = f"{__name__}.{stem}"
                if name in sys.modules:
                    importlib.reload(sys.modules[name])
                else:
                    importlib.import_module(name)
        except Exception as exc:   # noqa: BLE001 - any error of an edited module
            if os.environ.get("ASEAN_UN_MKDOCS_COMMAND") != "serve":   # hooks/command.py's COMMAND_VARIABLE
                raise
            _broken = _where(exc)
            try:
                engine._show_log()
            except Exception:   # noqa: BLE001, S110 - the old engine module may be the one that broke
                pass
            _log.error(_broken)
            return
        MODULES = tuple(sys.modules[f"{__name__}.{stem}"] for stem in order)
        engine = sys.modules[f"{__name__}.engine"]
        _loaded = engine.source_stamps(HERE)
    _broken = None
    engine.define(env)


def _error_box(message: str) -> str:
    """render.error_box, without render (which may be the module that does not load)."""
    return ('<div class="build-error" role="alert" style="border:2px solid #b00020;padding:0 1em;margin:1em 0">'
            "<p><strong>This page could not be built.</strong> Fix the problem below and save: the page "
            f"reloads.</p><pre><code>{html.escape(message)}</code></pre></div>\n")


def on_pre_page_macros(env):
    if _broken:
        env.markdown = ""
        return
    engine.page_started(env)


def on_post_page_macros(env):
    if _broken:
        env.markdown = _error_box(_broken)
        return
    engine.page_rendered(env)


def on_post_build(env):
    if _broken:
        return
    engine.site_built(env)
