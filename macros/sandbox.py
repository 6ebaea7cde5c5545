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
import math
import re
from typing import Any

from jinja2 import Environment
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum
from markupsafe import Markup

from .errors import SiteError

PLAIN = (str, int, float, bool, type(None), list, tuple, dict, set, frozenset, dt.date, dt.datetime, Markup)
JINJA = (Cycler, Joiner, LoopContext, Macro, Namespace, Undefined)
PACKAGE = __name__.rpartition(".")[0] or __name__          # 'macros': our own classes are fine to read
# Fields of MkDocs' Page a page may read (no methods: page.render/read_source take the config).
PAGE_FIELDS = {"title", "meta", "url", "canonical_url", "abs_url", "is_homepage"}
# Variables mkdocs-macros adds that pages do not need and that lead to internals (the MkDocs config and
# its plugins and theme, Jinja's builtin filters, the navigation and file objects, the plugin's helpers).
HIDDEN_VARIABLES = ("config", "environment", "plugin", "git", "macros", "filters", "filters_builtin",
                    "navigation", "files")


# Bounds on what one page can make (until pages hold only literal macro calls, which removes expressions):
MAX_TEXT = 1_000_000          # characters (or items) in one string or list made by an expression
MAX_BITS = 14_000             # bits in an integer made by an expression (about 4,200 digits: printable by Python)
MAX_STEPS = 1_000_000         # items all the range() loops of one page may go through, together
MAX_LIPSUM = 100              # paragraphs of lipsum()


class PageLimit(SiteError):
    """A page's template asked for more than a page may make; located at the page's line by guard.page_error."""

    def __init__(self, what: str):
        super().__init__(what, hint="pages show data through the site's macros; a template expression that "
                                    "builds huge text, numbers or loops is refused (data/README.md)")


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _short(value: Any) -> str:
    """A value as a message shows it: short, and never a huge number printed in full."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"<a number of about {int(value.bit_length() * math.log10(2)):,} digits>"
    return f"{value!r:.20}"


def _check_text(length: int, what: str) -> None:
    if length > MAX_TEXT:
        raise PageLimit(f"{what} would make {length:,} characters or items (a page expression may make at most "
                        f"{MAX_TEXT:,})")


def _check_bits(bits: float, what: str) -> None:
    if bits > MAX_BITS:
        raise PageLimit(f"{what} would make a number of about {int(bits * math.log10(2)):,} digits (at most "
                        f"{int(MAX_BITS * math.log10(2)):,})")


# width or precision in a %-format or a {}-format spec, or '*' (taken from the arguments)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:[^{}]*?(\d+)[^{}]*\}")


def _check_format(fmt: str, what: str) -> None:
    for m in _PERCENT_SPEC.finditer(fmt):
        for width in m.groups():
            if width == "*":
                raise PageLimit(f"{what}: a '*' width or precision is not allowed on a page")
            if width and int(width) > MAX_TEXT:
                _check_text(int(width), what)
    for m in _BRACE_SPEC.finditer(fmt):
        digits = re.findall(r"\d+", m.group(0).split(":", 1)[1])
        for width in digits:
            if len(width) > 7 or int(width) > MAX_TEXT:
                _check_text(int(width) if len(width) < 20 else 10**20, what)


class _Steps:
    """How many range() items the page being rendered has gone through (reset for each template)."""
    count = 0


class _Range:
    """Jinja's safe_range (at most 100,000 items each), counted against the page's MAX_STEPS as it is looped."""

    def __init__(self, *args):
        try:
            self._range = safe_range(*args)
        except OverflowError:
            raise PageLimit(f"range{args} has more than 100,000 items (Jinja's limit for one range)") from None

    def __iter__(self):
        for item in self._range:
            _Steps.count += 1
            if _Steps.count > MAX_STEPS:
                raise PageLimit(f"the page's range() loops go through more than {MAX_STEPS:,} items")
            yield item

    def __len__(self):
        return len(self._range)

    def __getitem__(self, index):
        return self._range[index]

    def __contains__(self, item):
        return item in self._range

    def __reversed__(self):
        return reversed(self._range)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:   # noqa: A002 - Jinja's names
    if not all(isinstance(v, int) for v in (n, min, max)) or n > MAX_LIPSUM or max > 1000 or min > max:
        raise PageLimit(f"lipsum({n}, min={min}, max={max}) asks for more than {MAX_LIPSUM} paragraphs of "
                        "at most 1,000 words")
    return generate_lorem_ipsum(n, html, min, max)


class PageSandbox(ImmutableSandboxedEnvironment):
    # every `*`, `**`, `+` and `%` of a page goes through call_binop (sizes checked before the work is done)
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def call_binop(self, context, operator_: str, left: Any, right: Any) -> Any:
        what = f"{_short(left)} {operator_} {_short(right)}"
        if operator_ == "*":
            for seq, times in ((left, right), (right, left)):
                if _sized(seq) is not None and isinstance(times, int):
                    _check_text(len(seq) * max(times, 0), what)
            if isinstance(left, int) and isinstance(right, int):
                _check_bits(left.bit_length() + right.bit_length(), what)
        elif operator_ == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                _check_bits(right * math.log2(abs(left)), what)
        elif operator_ == "+":
            if _sized(left) is not None and _sized(right) is not None:
                _check_text(len(left) + len(right), what)
        elif operator_ == "%" and isinstance(left, str):
            _check_format(left, what)
        return super().call_binop(context, operator_, left, right)

    def wrap_str_format(self, value: Any):
        """'…'.format(…) and .format_map(…) on a page: the format string's widths are checked first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        def checked(*args, **kwargs):
            _check_format(str(fmt), f"{str(fmt)!r:.40}.{value.__name__}(…)")
            return wrapped(*args, **kwargs)
        return checked

    def from_string(self, *args, **kwargs):
        _Steps.count = 0                      # mkdocs-macros makes one template per page, right before rendering
        return super().from_string(*args, **kwargs)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        kind = type(obj)
        if kind in PLAIN or isinstance(obj, JINJA):
            return True
        if kind.__name__ == "Page" and kind.__module__.startswith(("mkdocs.", "properdocs.", "zensical")):
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
    _bound(box)
    return box


def _bound(box: Environment) -> None:
    """Jinja's own, bounded helpers, whatever the globals copied in from mkdocs-macros say (its `range` is
    Python's builtin: range(10**8)|list would fill the memory), and the filters that can grow bounded."""
    box.globals.update(range=_Range, lipsum=_lipsum)
    for name, limit in _FILTER_LIMITS.items():
        if name in box.filters and not getattr(box.filters[name], "bounded", False):
            box.filters[name] = _bounded_filter(box.filters[name], name, limit)


def make_sandbox(env: Environment) -> None:
    """Turn an environment some engine made (Zensical: a plain jinja2.Environment, made for each page just
    before it calls define_env and before it compiles the page) into the page sandbox, in place: its class
    and what SandboxedEnvironment.__init__ would have set. Its settings, loader and filters stay."""
    if isinstance(env, PageSandbox):
        return
    env.__class__ = PageSandbox
    env.binop_table = PageSandbox.default_binop_table.copy()
    env.unop_table = PageSandbox.default_unop_table.copy()
    if env.cache is not None:
        env.cache.clear()                     # (nothing is compiled before the swap; never reuse unsandboxed code)
    _bound(env)


def _width(args, kwargs, index, key):
    value = args[index] if len(args) > index else kwargs.get(key)
    return value if isinstance(value, int) else 0


# Filters whose result can be far larger than their input: the size each would make, from its arguments.
_FILTER_LIMITS = {
    "center": lambda value, args, kwargs: _width(args, kwargs, 0, "width"),
    "indent": lambda value, args, kwargs: len(str(value)) * (1 + _width(args, kwargs, 0, "width")),
    "replace": lambda value, args, kwargs: (
        len(str(value)) + (str(value).count(str(args[0])) + (1 if args[0] == "" else 0)) * len(str(args[1]))
        if len(args) >= 2 else 0),
    "join": lambda value, args, kwargs: (
        sum(len(str(v)) for v in value) + len(str(args[0] if args else kwargs.get("d", ""))) * len(value)
        if isinstance(value, (list, tuple, str)) else 0),
    "wordwrap": lambda value, args, kwargs: len(str(value)) * 2,
    "format": None,
}


def _bounded_filter(fn, name, limit):
    skip = 1 if hasattr(fn, "jinja_pass_arg") else 0     # Jinja passes the context or environment first

    def bounded(*args, **kwargs):
        value, rest = args[skip], args[skip + 1:]
        if name == "format":
            if isinstance(value, str):
                _check_format(value, f"|format on {value!r:.40}")
        else:
            _check_text(limit(value, rest, kwargs), f"|{name}")
        return fn(*args, **kwargs)
    for attr in ("jinja_pass_arg",):               # keep how Jinja calls it (environment or context first)
        if hasattr(fn, attr):
            setattr(bounded, attr, getattr(fn, attr))
    bounded.bounded = True
    return bounded


def page_variables(variables: dict[str, Any]) -> None:
    """Remove (in place) the variables that lead from a page to the build's internals."""
    for name in HIDDEN_VARIABLES:
        variables.pop(name, None)
