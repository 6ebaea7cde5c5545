"""MkDocs hook: the one way to tell that `mkdocs serve` runs (MkDocs says so only in on_startup).

Under `mkdocs serve` the macros show errors in the log and on the page instead of stopping the server
(macros/engine.py), and the preview shortcuts of hooks/preview.py apply (and the print page is left unfilled); `mkdocs build`
still fails and does everything. An environment variable, because the macros package is reloaded on every
rebuild and the hook runs once; macros/site.py serving() and serving() below both read it.
"""
import os

COMMAND_VARIABLE = "ASEAN_UN_MKDOCS_COMMAND"      # read by macros/site.py: serving()


def on_startup(command, dirty):
    os.environ[COMMAND_VARIABLE] = "serve" if command == "serve" else ("dirty" if dirty else command)


def serving() -> bool:
    """True under `mkdocs serve` (hooks import this: MkDocs puts hooks/ on sys.path while it loads them)."""
    return os.environ.get(COMMAND_VARIABLE) == "serve"


def on_page_read_source(page, config):
    """While serving, a page that is not UTF-8 is read with replacement characters instead of stopping
    the server; the macros show the located error on that page (and `mkdocs build` fails on it)."""
    if not serving():
        return None
    raw = page.file.content_bytes
    try:
        raw.decode("utf-8-sig")
        return None
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")
