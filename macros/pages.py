"""Pages: the macro calls they make (scanned before rendering) and template syntax left after it. No HTML."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import SiteError, did_you_mean
from .model import SLUG

if TYPE_CHECKING:
    from .catalog import Catalog

_CALL = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)\s*\((.*?)\)\s*-?\}\}")
_FIRST_STR = re.compile(r"""^\s*(?:\w+\s*=\s*)?(['"])(.*?)\1""")
_STRINGS = re.compile(r""""([^"]*)"|'([^']*)'""")
_FENCE = re.compile(r"^\s*(```+|~~~+)")


@dataclass(frozen=True)
class MacroCall:
    name: str
    first: str | None       # first string argument, usually an id
    line: int
    strings: tuple = ()     # every string literal among its arguments, in order (cite's passage is the second)


# Python-Markdown's inline processing of one paragraph takes time that grows with the square of the macro
# output in it: 1,000 calls in a paragraph built in 1.7 s, 10,000 in 32 s (100,000 would take most of an hour).
# The site's busiest paragraph has 17; a paragraph with more than this is refused when the page is scanned.
MAX_CALLS_PER_PARAGRAPH = 200


def scan_page(path: str, text: str) -> list[MacroCall]:
    """Macro calls in a page, with lines; fails on Jinja left inside a code block outside {% raw %}, and on a
    paragraph with more than MAX_CALLS_PER_PARAGRAPH calls."""
    calls, fence, raw = [], None, False
    para_start, para_calls = 1, 0
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            para_start, para_calls = lineno + 1, 0
        if "{% raw %}" in line:
            raw = True
        if not raw:
            m = _FENCE.match(line)
            if m and (fence is None or m.group(1)[0] == fence[0]):
                fence = None if fence else m.group(1)
            elif fence and ("{{" in line or "{%" in line or "{#" in line):
                raise SiteError("'{{', '{%' or '{#' inside a code block would run as a macro", file=path,
                                line=lineno, hint="wrap the block in {% raw %} … {% endraw %}")
            else:
                for m in _CALL.finditer(line):
                    first = _FIRST_STR.match(m.group(2))
                    strings = tuple(a or b for a, b in _STRINGS.findall(m.group(2)))
                    calls.append(MacroCall(m.group(1), first.group(2) if first else None, lineno, strings))
                    para_calls += 1
                if para_calls > MAX_CALLS_PER_PARAGRAPH:
                    raise SiteError(f"this paragraph has more than {MAX_CALLS_PER_PARAGRAPH} macro calls (at least "
                                    f"{para_calls} by line {lineno}): Markdown's time grows with the square of that",
                                    file=path, line=para_start,
                                    hint="split it into paragraphs (a blank line), or use a listing macro")
        if "{% endraw %}" in line:
            raw = False
    return calls


# Which pool each id-taking macro draws from.
ID_POOLS = {"term": "terms", "ref": "entities", "infobox": "entities", "related": "entities",
            "article_points": "entities", "compare": "comparisons", "matrix": "matrices",
            "timeline": "entities", "notes": "entities", "cite": "sources", "event_date": "events",
            "vote_count": "votes"}
# Each pool as a kind of id, and the macro that links one ("'asean' is an entity: use ref('asean')").
ID_KINDS = {"terms": ("a glossary term", "term"), "entities": ("an entity", "ref"),
            "sources": ("a source", "cite"), "comparisons": ("a comparison", "compare"),
            "matrices": ("a matrix", "matrix")}
POOL_NAMES = {"sources": "source id", "terms": "glossary id", "entities": "entity id", "comparisons": "comparison id",
              "matrices": "matrix id", "events": "event id", "votes": "vote id"}


def check_calls(cat: Catalog, path: str, calls: list[MacroCall], macro_names: Iterable[str]) -> None:
    """Every macro exists and every id it names resolves; errors name page, line and a suggestion."""
    names = list(macro_names)
    for call in calls:
        if call.name not in names:
            raise SiteError(f"unknown macro '{call.name}'", file=path, line=call.line,
                            hint=did_you_mean(call.name, names) or f"macros are: {', '.join(sorted(names))}")
        pool_name = ID_POOLS.get(call.name)
        if pool_name and call.first is not None:
            pool = getattr(cat, pool_name)
            if call.first not in pool:
                raise SiteError(f"unknown {POOL_NAMES[pool_name]} '{call.first}' in {call.name}()", file=path,
                                line=call.line, hint=cat.suggest(call.first, pool_name))
        if call.name == "cite" and len(call.strings) > 1 and re.fullmatch(SLUG, call.strings[1]) \
                and (call.first, call.strings[1]) not in cat.passages:
            own = [pid for sid, pid in cat.passages if sid == call.first]
            raise SiteError(f"unknown passage '{call.strings[1]}' of source '{call.first}' in cite()", file=path,
                            line=call.line, hint=did_you_mean(call.strings[1], own) or
                            (f"its passages are: {', '.join(own)}" if own else
                             f"add it under 'passages:' of source '{call.first}' in data/asean_un.yml"))


def leftover_template(markdown: str) -> int | None:
    """Line of the first '{{' or '{%' left outside a code block after rendering, or None."""
    fence = None
    for lineno, line in enumerate(markdown.splitlines(), 1):
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence[0]):
            fence = None if fence else m.group(1)
        elif not fence and ("{{" in line or "{%" in line):
            return lineno
    return None


# --- pages that are only text and literal macro calls ----------------------------------------------

_TEMPLATE = re.compile(r"\{\{(-?)(.*?)(-?)\}\}|\{%|\{#", re.S)
_NEWLINE = re.compile(r"\r\n|\r|\n")
# A call `name(…)` and its arguments, in the few forms in which Jinja and Python read a literal alike: strings
# without backslashes or line breaks, integers, true/false/none; each optionally `keyword=`.
_HEAD = re.compile(r"\s*([A-Za-z_]\w*)\s*\((.*)\)\s*", re.S)
_ARG = re.compile(r"""\s*(?:([A-Za-z_]\w*)\s*=\s*)?("[^"\\\n]*"|'[^'\\\n]*'|0|[1-9][0-9]*|[Tt]rue|[Ff]alse|[Nn]one)\s*(,|$)""")
_CONSTANTS = {"true": True, "false": False, "none": None}


@dataclass(frozen=True)
class LiteralCall:
    """`{{ name(args…) }}` whose arguments are all plain literals: it can be called without Jinja."""
    name: str
    args: tuple
    kwargs: tuple           # (name, value) pairs, in the order written


def _literal_call(inner: str, names: set[str]) -> LiteralCall | None:
    head = _HEAD.fullmatch(inner)
    if head is None or head.group(1) not in names:
        return None
    body, pos, args, kwargs = head.group(2), 0, [], []
    if body.strip():
        while pos < len(body):
            m = _ARG.match(body, pos)
            if m is None or (m.group(1) is None and kwargs):     # positional after keyword: Jinja's error
                return None
            raw = m.group(2)
            value = raw[1:-1] if raw[0] in "'\"" else _CONSTANTS[raw.lower()] if raw[0].isalpha() else int(raw)
            if m.group(1) is None:
                args.append(value)
            elif m.group(1) in (k for k, _ in kwargs):
                return None
            else:
                kwargs.append((m.group(1), value))
            pos = m.end()
            if not m.group(3):                                    # the last argument
                break
        if pos < len(body) and body[pos:].strip():
            return None
    return LiteralCall(head.group(1), tuple(args), tuple(kwargs))


def literal_template(text: str, names: Iterable[str]) -> list[str | LiteralCall] | None:
    # (pieces alternate: text, call, text, …, text)
    """The page as Jinja (default settings) would read it, as text pieces and calls, when every template
    construct in it is `{{ macro(literal, …) }}` of one of `names`; None when anything else is there
    (blocks, comments, variables, filters, expressions), which Jinja must then render.

    What Jinja does to the text is done here too: line breaks become '\\n', one final line break is dropped
    (keep_trailing_newline off) and `{{-` / `-}}` strip the whitespace before / after the call."""
    names = set(names)
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        del lines[-1]
    text = "\n".join(lines)
    pieces: list[str | LiteralCall] = []
    pos, strip_next = 0, False
    for m in _TEMPLATE.finditer(text):
        if m.group(2) is None:                      # {% or {#: a block or a comment
            return None
        call = _literal_call(m.group(2), names)
        if call is None:
            return None
        before = text[pos:m.start()]
        if strip_next:
            before = before.lstrip()
        if m.group(1):
            before = before.rstrip()
        pieces += [before, call]
        pos, strip_next = m.end(), bool(m.group(3))
    rest = text[pos:]
    pieces.append(rest.lstrip() if strip_next else rest)
    if any("{{" in piece for piece in pieces[::2]):   # a '{{' never closed: Jinja's syntax error to report
        return None
    return pieces


def call_literal(pieces: list, macros: dict) -> str:
    """The page literal_template split: its text, and each call's result as Jinja prints it (str())."""
    return "".join(p if isinstance(p, str) else str(macros[p.name](*p.args, **dict(p.kwargs))) for p in pieces)


# --- what a page's template expressions may reach, checked before any engine renders the page ----------------
# MkDocs renders pages in the sandbox (macros/sandbox.py). Zensical renders them in a plain Jinja environment of
# its own that no code here can replace, so the same boundary is also drawn on the page's text, for every
# engine: no attribute or key that starts with '_' (Python's internals), no key computed at render time (Jinja
# falls back from obj[key] to getattr), no `attr` filter or `attribute=` that is not a plain name, no
# str.format (its fields read attributes), and none of the variables that lead to the build's internals.
PAGE_FIELDS = {"title", "meta", "url", "canonical_url", "abs_url", "is_homepage"}   # as macros/sandbox.py
_DENY_ATTRS = {"format", "format_map", "mro", "get_env", "from_string", "render", "get_template"}
_DENY_NAMES = {"config", "environment", "plugin", "git", "macros", "filters", "filters_builtin", "navigation",
               "files", "context", "macros_info", "now", "fix_url", "self"}


def _reach(node) -> str | None:
    """Why this template node reaches past plain values, or None."""
    from jinja2 import nodes
    if isinstance(node, nodes.Getattr) and (node.attr.startswith("_") or node.attr in _DENY_ATTRS):
        return f"attribute '{node.attr}'"
    if (isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "page"
            and node.attr not in PAGE_FIELDS):
        return f"page.{node.attr} (a page may read {', '.join(sorted(PAGE_FIELDS))})"
    if isinstance(node, nodes.Getitem):
        if not isinstance(node.arg, nodes.Const):
            return "a key computed while rendering ([…] with an expression)"
        if isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
            return f"key '{node.arg.value}'"
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in _DENY_NAMES:
        return f"variable '{node.name}'"
    if isinstance(node, (nodes.Filter, nodes.Test)):
        if node.name == "attr":
            return "the attr filter"
        for kw in node.kwargs:
            if kw.key == "attribute" and not (isinstance(kw.value, nodes.Const) and isinstance(kw.value.value, str)
                                               and not any(p.startswith("_") for p in kw.value.value.split("."))):
                return "an 'attribute=' that is not a plain field name"
        if node.name in ("map", "selectattr", "rejectattr", "groupby", "sort", "unique", "sum", "min", "max",
                         "dictsort") and any(isinstance(a, nodes.Const) and isinstance(a.value, str)
                                             and a.value.startswith("_") for a in node.args):
            return f"a field starting with '_' in {node.name}"
    return None


def check_expressions(path: str, text: str, names: Iterable[str] = ()) -> None:
    """Refuse (located) a template expression in a page that reaches into Python internals. A page of plain
    `{{ macro(literal, …) }}` calls (nearly every page; names: the macros) needs no parsing; a page Jinja cannot
    parse is left alone here: rendering reports its syntax error at its line."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return
    if literal_template(text, names) is not None:
        return
    from jinja2 import Environment, TemplateSyntaxError
    try:
        tree = Environment().parse(text)
    except TemplateSyntaxError:
        return
    for node in _walk(tree):
        why = _reach(node)
        if why:
            raise SiteError(f"the page reaches into Python internals ({why})", file=path, line=node.lineno,
                            hint="pages may only call the site's macros and read plain values (data/README.md)")


def _walk(node):
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)
