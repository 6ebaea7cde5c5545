"""The one escaping rule for every value that leaves the data file. Pure.

A data value reaches three kinds of place:
- HTML that is then parsed again as Markdown (macro output sits inside the page's Markdown: a tooltip in a
  paragraph is inline HTML, and Markdown still parses the text inside it). `escape` makes a value both
  HTML-safe and inert to Markdown: besides & < > " ' it writes every character that starts Markdown or
  Jinja syntax ([ ] ` * _ { } \\ | ~ and line breaks) as a numeric character reference, which Markdown passes
  through untouched and the browser shows as the character itself. So `[x](javascript:…)` stays text,
  `![](https://…)` loads nothing, and `{{ … }}` in a value is neither run nor mistaken for page syntax.
  The same function serves attribute values (a reference is decoded there too).
- Page metadata that the theme prints without escaping (Material's `<meta name="description">`):
  `meta_text` (HTML-escaped, one line).
- Spreadsheet cells of the open-data CSVs: `csv_cell` (the OWASP rule: a value that a spreadsheet would
  read as a formula gets a leading apostrophe).
"""
from __future__ import annotations

import html
import re
import unicodedata

# Markdown (and Jinja) punctuation written as references; html.escape handles & < > " '.
_MARKDOWN = {c: f"&#{ord(c)};" for c in "[]`*_{}\\|~"}
_MARKDOWN.update({"\n": "&#10;", "\r": "&#13;"})
_MARKDOWN_RE = re.compile("[" + re.escape("".join(_MARKDOWN)) + "]")


def escape(value: object) -> str:
    """HTML-escaped and inert to Markdown: safe in element text and in quoted attribute values."""
    text = html.escape(str(value), quote=True)
    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group(0)], text)


def meta_text(value: object) -> str:
    """For page metadata a theme prints raw (e.g. Material's meta description): escaped, on one line."""
    return html.escape(" ".join(str(value).split()), quote=True)


# OWASP CSV injection: cells starting with these are formulas (or become one) in spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not evaluate: a leading apostrophe before a formula character."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# Characters no text field may hold: C0/C1 controls (tab and line feed excepted: YAML block scalars use
# them) and the invisible bidirectional controls that can make text read differently from what it is.
BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u200e", "\u200f", "\u061c"}


def control_char(text: str) -> str | None:
    """The first forbidden control character in text, described (e.g. 'U+0000 NULL'), or None."""
    for ch in text:
        if ch in "\t\n":
            continue
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS:
            return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character')})"
    return None
