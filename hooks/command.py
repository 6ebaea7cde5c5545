"""MkDocs hook: tell the macros which command runs (MkDocs says so only in on_startup, before any config).

Under `mkdocs serve` the macros show errors in the log and on the page instead of stopping the server
(macros/__init__.py); `mkdocs build` still fails. An environment variable, because the macros package is
reloaded on every rebuild and the hook runs once.
"""
import os

COMMAND_VARIABLE = "ASEAN_UN_MKDOCS_COMMAND"      # read by macros/site.py: serving()


def on_startup(command, dirty):
    os.environ[COMMAND_VARIABLE] = command
