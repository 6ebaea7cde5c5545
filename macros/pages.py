"""Pages: the macro calls they make (scanned before rendering) and template syntax left after it. No HTML."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import SiteError, did_you_mean

if TYPE_CHECKING:
    from .catalog import Catalog

_CALL = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)\s*\((.*?)\)\s*-?\}\}")
_FIRST_STR = re.compile(r"""^\s*(?:\w+\s*=\s*)?(['"])(.*?)\1""")
_FENCE = re.compile(r"^\s*(```+|~~~+)")


@dataclass(frozen=True)
class MacroCall:
    name: str
    first: str | None       # first string argument, usually an id
    line: int


def scan_page(path: str, text: str) -> list[MacroCall]:
    """Macro calls in a page, with lines; fails on Jinja left inside a code block outside {% raw %}."""
    calls, fence, raw = [], None, False
    for lineno, line in enumerate(text.splitlines(), 1):
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
                    calls.append(MacroCall(m.group(1), first.group(2) if first else None, lineno))
        if "{% endraw %}" in line:
            raw = False
    return calls


# Which pool each id-taking macro draws from.
ID_POOLS = {"term": "terms", "ref": "entities", "infobox": "entities", "related": "entities",
            "article_points": "entities", "compare": "comparisons", "matrix": "matrices",
            "timeline": "entities", "notes": "entities", "cite": "sources"}
# Each pool as a kind of id, and the macro that links one ("'asean' is an entity: use ref('asean')").
ID_KINDS = {"terms": ("a glossary term", "term"), "entities": ("an entity", "ref"),
            "sources": ("a source", "cite"), "comparisons": ("a comparison", "compare"),
            "matrices": ("a matrix", "matrix")}
POOL_NAMES = {"sources": "source id", "terms": "glossary id", "entities": "entity id", "comparisons": "comparison id",
              "matrices": "matrix id"}


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
