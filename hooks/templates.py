"""MkDocs hook: the theme's templates are compiled once per machine, not once per build.

MkDocs makes a new Jinja environment for every build, so every build (and every rebuild of `mkdocs serve`)
compiled Material's templates and ours to Python again: about 0.3 s of a 1.4 s mini build, and of a full one.
Jinja's own file-system bytecode cache (in the user's temporary folder, which Jinja makes private) keeps the
compiled code. An entry is used only while its template's text is unchanged (Jinja compares a checksum), and
only by an environment with the same settings (their signature is in the file name), so an edited template,
or a plugin that changes the environment, gets freshly compiled code.

`on_env` is MkDocs' documented event for changing the environment, and `bytecode_cache` is Jinja's setting.
Engines that do not render through MkDocs' Jinja environment (Zensical) never call it, and need nothing.
"""
from __future__ import annotations

import hashlib

from jinja2 import FileSystemBytecodeCache


def environment_signature(env) -> str:
    """What, besides a template's text, decides the code Jinja compiles from it."""
    return repr((type(env).__qualname__, sorted(env.extensions), env.block_start_string, env.block_end_string,
                 env.variable_start_string, env.variable_end_string, env.comment_start_string,
                 env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
                 env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
                 env.optimized, bool(env.finalize), env.autoescape if isinstance(env.autoescape, bool) else "fn",
                 env.is_async))


def on_env(env, config, files, **kwargs):
    if env.bytecode_cache is None:
        settings = hashlib.sha1(environment_signature(env).encode("utf-8")).hexdigest()[:16]
        env.bytecode_cache = FileSystemBytecodeCache(pattern=f"__jinja2_%s.{settings}.cache")
    return env
