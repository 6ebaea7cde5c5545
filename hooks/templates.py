"""MkDocs hook: the theme's templates are compiled once per machine, not once per build.

MkDocs makes a new Jinja environment for every build, so every build (and every rebuild of `mkdocs serve`)
compiled Material's and our templates to Python again: about 0.3 s of a 1.1 s mini build, and of a rebuild.
Jinja's own file-system bytecode cache (in the user's temporary folder, made private by Jinja) keeps the
compiled code; an entry is used only while its template's source is unchanged (Jinja compares a checksum),
so an edited template is compiled again. `on_env` is MkDocs' documented event for changing the environment.
Engines that do not render through MkDocs' Jinja environment (Zensical) never call it, and need nothing.
"""
from jinja2 import FileSystemBytecodeCache


def on_env(env, config, files):
    env.bytecode_cache = FileSystemBytecodeCache()
    return env
