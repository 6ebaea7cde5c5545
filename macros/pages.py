"""Pages: the macro calls they make (scanned before rendering) and template syntax left after it. No HTML."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import SiteError, did_you_mean
from .model import SLUG

if TYPE_CHECKING:
    from .catalog import Catalog

_FENCE = re.compile(r"^\s*(```+|~~~+)")
_FRONT = re.compile(r"\A---\n(.*?\n)?---\n", re.S)


@dataclass(frozen=True)
class MacroCall:
    name: str
    first: str | None       # first argument when it is a string, usually an id
    line: int
    strings: tuple = ()     # every string literal among its arguments, in order (cite's passage is the second)
    given: int = 0          # how many arguments it was given


# Python-Markdown's inline processing of one paragraph takes time that grows with the square of the macro
# output in it: 1,000 calls in a paragraph built in 1.7 s, 10,000 in 32 s (100,000 would take most of an hour).
# The site's busiest paragraph has 17; a paragraph with more than this is refused when the page is scanned.
MAX_CALLS_PER_PARAGRAPH = 200


def scan_page(path: str, text: str) -> list[MacroCall]:
    """The macro calls of a whole page file (front matter included), with their lines; anything outside the
    page grammar (see `parse`), and a paragraph with more than MAX_CALLS_PER_PARAGRAPH calls, is a located
    SiteError."""
    front = _FRONT.match(text)
    offset = front.group(0).count("\n") if front else 0
    body = text[front.end():] if front else text
    calls = []
    for piece in parse(body, path, offset):
        if isinstance(piece, LiteralCall):
            values = [*piece.args, *(v for _, v in piece.kwargs)]
            strings = tuple(v for v in values if isinstance(v, str))
            first = values[0] if values and isinstance(values[0], str) else None
            calls.append(MacroCall(piece.name, first, piece.line, strings, len(values)))
    _check_paragraphs(path, text, calls)
    return calls


def _check_paragraphs(path: str, text: str, calls: list[MacroCall]) -> None:
    """A paragraph (lines between blank lines) with more than MAX_CALLS_PER_PARAGRAPH calls: a SiteError at its
    first line, counting its calls up to the line where the limit is passed."""
    blank = [n for n, line in enumerate(text.splitlines(), 1) if not line.strip()]
    para_start, count, i = None, 0, 0
    for n, call in enumerate(calls):
        while i < len(blank) and blank[i] < call.line:
            i += 1
        start = blank[i - 1] + 1 if i else 1
        count = count + 1 if start == para_start else 1
        para_start = start
        if count > MAX_CALLS_PER_PARAGRAPH and (n + 1 == len(calls) or calls[n + 1].line != call.line):
            raise SiteError(f"this paragraph has more than {MAX_CALLS_PER_PARAGRAPH} macro calls (at least "
                            f"{count} by line {call.line}): Markdown's time grows with the square of that",
                            file=path, line=para_start,
                            hint="split it into paragraphs (a blank line), or use a listing macro")


# Which pool each id-taking macro draws from.
ID_POOLS = {"term": "terms", "ref": "entities", "infobox": "entities", "related": "entities",
            "article_points": "entities", "compare": "comparisons", "matrix": "matrices",
            "timeline": "entities", "notes": "entities", "cite": "sources", "event_date": "events",
            "vote_count": "votes"}
POOL_NAMES = {"sources": "source id", "terms": "glossary id", "entities": "entity id", "comparisons": "comparison id",
              "matrices": "matrix id", "events": "event id", "votes": "vote id"}


# Macros about one entity that take it from the page's front matter (`entity:`) when the call names none.
PAGE_ENTITY = ("infobox", "related", "article_points", "notes")


def check_calls(cat: Catalog, path: str, calls: list[MacroCall], macro_names: Iterable[str],
                entity: str | None = None) -> None:
    """Every macro exists and every id it names resolves; errors name page, line and a suggestion.
    entity: what the page's front matter names, which PAGE_ENTITY macros use when they name none."""
    names = list(macro_names)
    for call in calls:
        if call.name not in names:
            raise SiteError(f"unknown macro '{call.name}'", file=path, line=call.line,
                            hint=did_you_mean(call.name, names) or f"macros are: {', '.join(sorted(names))}")
        if call.name in PAGE_ENTITY and call.given == 0 and not isinstance(entity, str):
            raise SiteError(f"{call.name}() names no entity and the page's front matter names none", file=path,
                            line=call.line, hint=f"write {call.name}(\"<entity id>\"), or add 'entity: <id>' "
                                                 "to the front matter")
        pool_name = ID_POOLS.get(call.name)
        if pool_name and call.first is not None:
            pool = getattr(cat, pool_name)
            if call.first not in pool:
                raise SiteError(f"unknown {POOL_NAMES[pool_name]} '{call.first}' in {call.name}()", file=path,
                                line=call.line, hint=cat.suggest(call.first, pool_name))
        if call.name == "cite" and len(call.strings) > 1 and re.fullmatch(SLUG, call.strings[1]) \
                and (call.first, call.strings[1]) not in cat.passages:
            raise SiteError(f"unknown passage '{call.strings[1]}' of source '{call.first}' in cite()", file=path,
                            line=call.line, hint=cat.passage_hint(call.first, call.strings[1]))


# --- the page grammar ------------------------------------------------------------------------------
#
# A page is text plus, and nothing else:
#   1. literal macro calls `{{ name("literal", key="literal") }}` (optionally `{{-`/`-}}` to trim the whitespace
#      next to them), whose arguments are quoted strings without backslashes or line breaks, whole numbers,
#      true/false/none, each optionally `keyword=`;
#   2. `{% raw %} … {% endraw %}` around text that shows braces literally (code examples).
# Anything else in `{{ }}`, `{% %}` or `{# #}` is a located error. Pages are never evaluated as templates:
# `call_literal` calls the macros in order (macros/engine.py); the text around them is kept as Jinja's default
# settings would keep it (line breaks as '\n', one final line break dropped), so Zensical's macros extension,
# which does run Jinja over the (checked) page, prints the same.

_TOKEN = re.compile(r"""\{\{(-?)((?:"[^"\n]*"|'[^'\n]*'|[^"'{}]|\}(?!\}))*?)(-?)\}\}|\{%\s*raw\s*%\}|\{%|\{#|\{\{""",
                    re.S)     # a call's strings may hold '}}'; {% raw %}; the start of anything else
_ENDRAW = re.compile(r"\{%\s*endraw\s*%\}")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_HEAD = re.compile(r"\s*([A-Za-z_]\w*)\s*\((.*)\)\s*", re.S)
_ARG = re.compile(r"""\s*(?:([A-Za-z_]\w*)\s*=\s*)?("[^"\\\n]*"|'[^'\\\n]*'|0|[1-9][0-9]*|[Tt]rue|[Ff]alse|[Nn]one)\s*(,|$)""")
_CONSTANTS = {"true": True, "false": False, "none": None}
_LITERALS = "quoted strings (no backslash or line break), whole numbers, true, false or none"
_EXAMPLE = 'e.g. {{ term("glossary-id") }} or {{ cite("source-id", pin="p. 3") }}'
_RAW_HINT = "to show braces literally, wrap them in {% raw %} … {% endraw %}"


@dataclass(frozen=True)
class LiteralCall:
    """`{{ name(args…) }}` whose arguments are all plain literals."""
    name: str
    args: tuple
    kwargs: tuple           # (name, value) pairs, in the order written
    line: int = field(default=0, compare=False)


def _literal_call(inner: str) -> tuple[LiteralCall | None, str]:
    """The call, or None and what is wrong with it."""
    head = _HEAD.fullmatch(inner)
    if head is None:
        shown = " ".join(inner.split())
        return None, (f"'{{{{ {shown} }}}}' is not a macro call" if shown else "'{{ }}' is empty")
    body, pos, args, kwargs = head.group(2), 0, [], []
    if body.strip():
        while pos < len(body):
            m = _ARG.match(body, pos)
            if m is None:
                return None, f"{head.group(1)}(): arguments must be {_LITERALS}"
            if m.group(1) is None and kwargs:
                return None, f"{head.group(1)}(): a positional argument follows a keyword argument"
            raw = m.group(2)
            value = raw[1:-1] if raw[0] in "'\"" else _CONSTANTS[raw.lower()] if raw[0].isalpha() else int(raw)
            if m.group(1) is None:
                args.append(value)
            elif m.group(1) in (k for k, _ in kwargs):
                return None, f"{head.group(1)}(): '{m.group(1)}' is given twice"
            else:
                kwargs.append((m.group(1), value))
            pos = m.end()
            if not m.group(3):                                    # the last argument
                break
        if pos < len(body) and body[pos:].strip():
            return None, f"{head.group(1)}(): arguments must be {_LITERALS}"
    return LiteralCall(head.group(1), tuple(args), tuple(kwargs)), ""


def _hint_for(token: str, text: str, at: int) -> tuple[str, str]:
    """(what, suggestion) for template syntax outside the grammar."""
    if token == "{#":
        return "a Jinja comment '{# … #}'", "pages hold no template comments: use an HTML comment <!-- … -->"
    if token == "{%":
        word = re.match(r"\{%-?\s*(\w*)", text[at:])
        name = word.group(1) if word else ""
        return (f"a template block '{{% {name} … %}}'",
                "pages hold text and macro calls only: put the logic in a macro (macros/render.py, listed in "
                f"MACROS in macros/engine.py) and call it, {_EXAMPLE}; {_RAW_HINT}")
    return "'{{' that is never closed", f"close it with '}}}}', or {_RAW_HINT}"


def parse(text: str, path: str = "?", offset: int = 0) -> list[str | LiteralCall]:
    """parse_page, remembered: a page is parsed when the pages are scanned and again when it renders, and
    `mkdocs serve` renders every unchanged page again on each rebuild."""
    return list(_parse_cached(text, path, offset))


@functools.lru_cache(maxsize=1024)
def _parse_cached(text: str, path: str, offset: int) -> tuple:
    return tuple(parse_page(text, path, offset))


def parse_page(text: str, path: str = "?", offset: int = 0) -> list[str | LiteralCall]:
    """A page body (without front matter) as pieces: text, call, text, …, text. offset: lines above the body.
    A SiteError at its file:line for anything outside the grammar, and for template syntax inside a code
    block outside {% raw %} (it would look like code but run)."""
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        del lines[-1]
    text = "\n".join(lines)

    # (position, its line): tokens come in order, so the count goes on from the last one; counting from the
    # start for each token took a minute on a page of 100,000 calls
    seen = [0, 1 + offset]

    def line_at(pos: int) -> int:
        if pos < seen[0]:
            seen[:] = [0, 1 + offset]
        seen[1] += text.count("\n", seen[0], pos)
        seen[0] = pos
        return seen[1]

    fenced = _fenced_lines(lines)
    pieces: list[str | LiteralCall] = []
    pos, strip_next, before = 0, False, ""
    while (m := _TOKEN.search(text, pos)) is not None:
        token = m.group(0)
        line = line_at(m.start())
        chunk = text[pos:m.start()]
        if strip_next:                              # `-}}` trims the whitespace after it
            chunk = chunk.lstrip()
        if token.startswith("{%") and token != "{%":           # {% raw %}
            end = _ENDRAW.search(text, m.end())
            if end is None:
                raise SiteError("'{% raw %}' without '{% endraw %}'", file=path, line=line,
                                hint="end the block with {% endraw %}")
            before += chunk + text[m.end():end.start()]
            pos, strip_next = end.end(), False
            continue
        if line - offset - 1 in fenced:
            raise SiteError("'{{', '{%' or '{#' inside a code block would run as a macro", file=path, line=line,
                            hint="wrap the block in {% raw %} … {% endraw %}")
        if m.group(2) is None:
            what, hint = _hint_for(token, text, m.start())
            raise SiteError(f"{what} is not allowed on a page", file=path, line=line, hint=hint)
        call, problem = _literal_call(m.group(2))
        if call is None:
            raise SiteError(f"{problem}: a page may only call the site's macros with literal values", file=path,
                            line=line, hint=f"{_EXAMPLE}; {_RAW_HINT}")
        if m.group(1):                              # `{{-` trims the whitespace before it
            chunk = chunk.rstrip()
        pieces += [before + chunk, LiteralCall(call.name, call.args, call.kwargs, line)]
        before, pos, strip_next = "", m.end(), bool(m.group(3))
    rest = text[pos:]
    pieces.append(before + (rest.lstrip() if strip_next else rest))
    return pieces


def _fenced_lines(lines: list[str]) -> set[int]:
    """0-based numbers of the lines inside fenced code blocks (fence lines excluded)."""
    inside, fence = set(), None
    for n, line in enumerate(lines):
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence[0]):
            fence = None if fence else m.group(1)
        elif fence:
            inside.add(n)
    return inside


def call_literal(pieces: list, macros: dict, path: str = "?", results=None) -> str:
    """The page: its text, and each call's result as Jinja would print it (str()). An error names the call's
    line; one that is not a SiteError (a bug a macro should have explained) says so. results: called with each
    call's result (engine.py hands the block-level ones to Python-Markdown as they are: macros/rawblocks.py)."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        try:
            out.append(str(macros[piece.name](*piece.args, **dict(piece.kwargs))))
            if results is not None:
                results(out[-1])
        except SiteError as exc:
            raise SiteError(exc.what, file=exc.file if exc.file and exc.line else path,
                            line=exc.line if exc.file and exc.line else piece.line, item=exc.item,
                            hint=exc.hint) from None
        except KeyError:
            if piece.name in macros:
                raise
            raise SiteError(f"unknown macro '{piece.name}'", file=path, line=piece.line,
                            hint=did_you_mean(piece.name, macros) or f"macros are: {', '.join(sorted(macros))}")
        except Exception as exc:  # noqa: BLE001 - a bug, located
            raise SiteError(f"{type(exc).__name__} in {piece.name}(): {exc}", file=path, line=piece.line,
                            hint="an unexpected input reached a macro: check the call on that line, and report "
                                 "it (with this message) so the macro can explain itself next time") from exc
    return "".join(out)


def leftover_template(html: str) -> int | None:
    """Line of the first '{{' or '{%' in a built page's main content (its <article>, as Material and Zensical
    write it; the whole file if it has none) outside <pre>/<code>, or None: template syntax that reached the
    output unrendered (the post-build check every engine runs). The head and attributes are not text."""
    start = html.find("<article")
    end = html.rfind("</article>")
    first_line = 1
    if start != -1 and end > start:
        first_line = html.count("\n", 0, start) + 1
        html = html[start:end]
    stripped = _CODE.sub(lambda m: "\n" * m.group(0).count("\n"), html)
    m = re.search(r"\{\{|\{%", stripped)
    return first_line + stripped.count("\n", 0, m.start()) if m else None


_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S | re.I)
