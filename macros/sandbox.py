"""The Jinja environment pages are rendered in: sandboxed, and able to reach only plain values and our macros.

mkdocs-macros renders pages with a plain `jinja2.Environment` whose variables include the MkDocs config
(themes, plugins), its own helpers and Jinja's builtin filters: from a page, `cycler.__init__.__globals__`
reaches `os`, and `config.theme.get_env()` hands out a second, unsandboxed environment. Jinja's
`ImmutableSandboxedEnvironment` blocks underscore attributes and mutation; on top of it, attribute access
is allowed only on an allow-list of types (plain values, Jinja's loop helpers, our own data classes, a few
fields of the page), and the variables a page sees are cut down to what pages use.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

PLAIN = (str, int, float, bool, type(None), list, tuple, dict, set, frozenset, dt.date, dt.datetime, Markup)
JINJA = (Cycler, Joiner, LoopContext, Macro, Namespace, Undefined)
PACKAGE = __name__.rpartition(".")[0] or __name__          # 'macros': our own classes are fine to read
# Fields of MkDocs' Page a page may read (no methods: page.render/read_source take the config).
PAGE_FIELDS = {"title", "meta", "url", "canonical_url", "abs_url", "is_homepage"}
# Variables mkdocs-macros adds that pages do not need and that lead to internals (the MkDocs config and
# its plugins and theme, Jinja's builtin filters, the navigation and file objects, the plugin's helpers).
HIDDEN_VARIABLES = ("config", "environment", "plugin", "git", "macros", "filters", "filters_builtin",
                    "navigation", "files")


class PageSandbox(ImmutableSandboxedEnvironment):
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        kind = type(obj)
        if kind in PLAIN or isinstance(obj, JINJA):
            return True
        if kind.__name__ == "Page" and kind.__module__.startswith("mkdocs."):
            return attr in PAGE_FIELDS
        return (kind.__module__ == PACKAGE or kind.__module__.startswith(PACKAGE + ".")) and not isinstance(
            value, Environment)


def sandboxed(env: Environment, macros: dict[str, Any]) -> PageSandbox:
    """A sandbox with env's settings (loader, undefined, delimiters) whose only globals are Jinja's
    defaults and `macros` (so mkdocs-macros' own helpers such as context() are out of reach too)."""
    box = PageSandbox(
        loader=env.loader, undefined=env.undefined, block_start_string=env.block_start_string,
        block_end_string=env.block_end_string, variable_start_string=env.variable_start_string,
        variable_end_string=env.variable_end_string, comment_start_string=env.comment_start_string,
        comment_end_string=env.comment_end_string, line_statement_prefix=env.line_statement_prefix,
        line_comment_prefix=env.line_comment_prefix, trim_blocks=env.trim_blocks,
        lstrip_blocks=env.lstrip_blocks, keep_trailing_newline=env.keep_trailing_newline,
        extensions=list(env.extensions), autoescape=env.autoescape)
    box.globals.update(macros)
    return box


def page_variables(variables: dict[str, Any]) -> None:
    """Remove (in place) the variables that lead from a page to the build's internals."""
    for name in HIDDEN_VARIABLES:
        variables.pop(name, None)
