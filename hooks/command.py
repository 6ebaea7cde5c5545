"""MkDocs hook: tell the macros which command runs (MkDocs says so only in on_startup, before any config).

Under `mkdocs serve` the macros show errors in the log and on the page instead of stopping the server
(macros/__init__.py); `mkdocs build` still fails. An environment variable, because the macros package is
reloaded on every rebuild and the hook runs once.
"""
import os
import sys

COMMAND_VARIABLE = "ASEAN_UN_MKDOCS_COMMAND"      # read by macros/site.py: serving()


def on_startup(command, dirty):
    os.environ[COMMAND_VARIABLE] = command


def on_config(config):
    """Pages render in the macros' sandbox from the first page on: swap it in now, right after mkdocs-macros
    made its Jinja environment (this hook is listed before hooks that wrap that environment)."""
    plugin = config.plugins.get("macros")
    engine = sys.modules.get("macros.engine")       # the package mkdocs-macros loaded (module_name: macros)
    if plugin is not None and engine is not None and getattr(plugin, "_env", None) is not None:
        engine.sandbox_pages(plugin)
    return config


def on_page_read_source(page, config):
    """While serving, a page that is not UTF-8 is read with replacement characters instead of stopping
    the server; the macros show the located error on that page (and `mkdocs build` fails on it)."""
    if os.environ.get(COMMAND_VARIABLE) != "serve":
        return None
    raw = page.file.content_bytes
    try:
        raw.decode("utf-8-sig")
        return None
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")
