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


# OWASP CSV injection: cells starting with these are formulas (or become one) in spreadsheets. `|` starts a DDE
# call in some; the full-width and small forms are read as the ASCII ones by some spreadsheets' input methods.
FORMULA_START = ("=", "+", "-", "@", "|", "\t", "\r",
                 "\uff1d", "\uff0b", "\uff0d", "\uff20", "\uff5c",     # ＝ ＋ － ＠ ｜ (full-width)
                 "\ufe66", "\ufe62", "\ufe63", "\ufe6b", "\u2212")     # ﹦ ﹢ ﹣ ﹫ (small forms), − (minus sign)


def first_visible(value: str) -> str:
    """value without what a reader cannot see at its start: white space, controls, format and invisible
    characters (so U+200B followed by '=' starts with '=')."""
    start = 0
    while start < len(value) and (value[start].isspace() or value[start] in INVISIBLE
                                   or unicodedata.category(value[start]) in ("Cc", "Cf", "Zs", "Zl", "Zp")):
        start += 1
    return value[start:]


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not evaluate: a leading apostrophe when its first character, or its first
    visible one, is a formula character (or a full-width form of one)."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or first_visible(value).startswith(FORMULA_START)):
        return "'" + value
    return value


# Characters no text field may hold: C0/C1 controls (tab and line feed excepted: YAML block scalars use
# them) and the invisible bidirectional controls that can make text read differently from what it is.
BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u200e", "\u200f", "\u061c"}


# Category Cc is exactly U+0000-U+001F and U+007F-U+009F; tab and line feed are allowed. One regex search
# instead of a Python loop over every character (the data file has millions at 100x scale).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def control_char(text: str) -> str | None:
    """The first forbidden control character in text, described (e.g. 'U+0000 NULL'), or None."""
    m = _CONTROL_RE.search(text)
    if m is None:
        return None
    ch = m.group(0)
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character')})"


def describe(ch: str) -> str:
    """'U+200B ZERO WIDTH SPACE': a character named so that an editor can find it even when it is invisible."""
    name = unicodedata.name(ch, None) or _CONTROL_NAMES.get(ch)
    if name is None:
        name = ("a noncharacter" if _noncharacter(ch) else "a control character"
                if unicodedata.category(ch) == "Cc" else "an unassigned or unnamed code point")
    return f"U+{ord(ch):04X} {name}"


_CONTROL_NAMES = {"\x00": "NULL", "\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN",
                  "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE (NEL)"}


def _noncharacter(ch: str) -> bool:
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


# Characters that show nothing (or a blank the width of a letter) and so make two names that read alike:
# zero-width spaces and joiners, the byte-order mark, word joiner and invisible operators, Hangul fillers, the
# braille blank, the combining grapheme joiner, variation selectors, soft hyphen, Mongolian vowel separator.
INVISIBLE = {"\u00ad", "\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180e", "\u200b", "\u200c", "\u200d",
             "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\u3164", "\u2800", "\ufeff", "\uffa0",
             *map(chr, range(0xFE00, 0xFE10))}
MAX_COMBINING_RUN = 4      # Vietnamese needs two at most once normalised to NFC; 400 make a smear


def invisible_char(text: str) -> str | None:
    """The first invisible, filler or non-character code point in text, described, or None."""
    if text.isascii():          # (most text: none of these is ASCII)
        return None
    for ch in text:
        if ch in INVISIBLE or _noncharacter(ch) or unicodedata.category(ch) in ("Cf", "Co", "Cs", "Cn"):
            return describe(ch)
    return None


def combining_run(text: str) -> int:
    """The longest run of combining marks in text (after NFC) when longer than MAX_COMBINING_RUN, else 0."""
    if text.isascii():
        return 0
    longest = run = 0
    for ch in text:
        run = run + 1 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me") else 0
        longest = max(longest, run)
    return longest if longest > MAX_COMBINING_RUN else 0
