"""Read the data file into typed models, turning every YAML or type problem into a SiteError with a line."""
from __future__ import annotations

import contextlib
import functools
import gc
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import SiteError
from .safe import describe
from .model import SiteData

LINE_KEY = "__line__"


# libyaml's parser when PyYAML was built with it (the wheels are): about five times faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):
    """Safe loader that records each mapping's line and keeps dates as plain strings (validated later)."""

    def construct_mapping(self, node, deep=False):
        # A key written twice in the same mapping is an error, reported at the second one (one pass over
        # the keys). Merge keys (`<<: *base`) are standard YAML: the mapping's own keys override merged
        # ones, so only the keys written here are checked against each other.
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str):
                if key in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"duplicate key '{key}' (first written on line {seen[key]})",
                        problem_mark=key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)           # resolves `<<` merges (SafeConstructor does it too)
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


    def construct_yaml_int(self, node):
        """An integer longer than Python converts (4,300 digits) is a located error, not a ValueError."""
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            digits = sum(ch.isdigit() for ch in node.value)
            raise yaml.constructor.ConstructorError(
                problem=f"a number with {digits} digits is far too long (no field takes more than a few)",
                problem_mark=node.start_mark) from None


_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_yaml_int)

# YAML reads these as line breaks, editors and `file:line` do not: every line number after one would be off.
YAML_ONLY_BREAKS = ("\u2028", "\u2029", "\x85")


def _yaml_only_break(text: str, file: str) -> None:
    found = [(i, ch) for ch in YAML_ONLY_BREAKS if (i := text.find(ch)) >= 0]
    if found:
        index, ch = min(found)
        raise SiteError(f"contains {describe(ch)}, which YAML reads as a line break (your editor does not, so "
                        "the lines after it would be misnumbered)", file=file, line=text.count("\n", 0, index) + 1,
                        hint=f"delete it; to keep it in a text, write it as \\u{ord(ch):04X} inside double quotes")


def _longest_line(text: str) -> str:
    """' (its longest line, 1,234,567 characters, is line 12)', or '' if that cannot be worked out either."""
    try:
        start = longest = line = best = 0
        for line, end in enumerate(_newlines(text), 1):
            if end - start > longest:
                longest, best = end - start, line
            start = end + 1
        return f" (its longest line, {longest:,} characters, is line {best})" if best else ""
    except MemoryError:
        return ""


def _newlines(text: str):
    i = text.find("\n")
    while i >= 0:
        yield i
        i = text.find("\n", i + 1)
    yield len(text)


# Dates stay strings so that '2021-02-30' reaches the model and gets a proper message, not a crash.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Document(dict):
    """The data file's top-level mapping, knowing the line of each of its keys (an empty `votes:` at the end
    of the file is reported there, not at the first line)."""
    key_lines: dict[str, int] = {}


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.M)


def _top_key_lines(text: str) -> dict[str, int]:
    lines, line, last = {}, 1, 0
    for m in _TOP_KEY.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        lines.setdefault(m.group(1), line)
    return lines


def parse_yaml(text: str, file: str) -> dict[str, Any]:
    _yaml_only_break(text, file)
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context
        hint = ("remove or rename one of the two" if str(problem).startswith("duplicate key")
                else "correct it (a number that is really text goes in quotes)"
                if str(problem).startswith("a number with")
                else "check indentation, colons and quotes on that line or the one above")
        raise SiteError(f"malformed YAML: {problem}", file=file, line=line, hint=hint) from None
    except yaml.YAMLError as exc:
        raise SiteError(f"malformed YAML: {exc}", file=file) from None
    if raw is None:
        raise SiteError("the data file is empty", file=file,
                        hint="it needs at least a 'sources:' list; see data/README.md")
    if not isinstance(raw, dict):
        raise SiteError(f"the data file must be a mapping of sections, not a {type(raw).__name__}",
                        file=file, line=1, hint="start with 'sources:' at the left margin")
    doc = Document(raw)
    doc.key_lines = _top_key_lines(text)
    return doc


def _line_and_id(raw: Any, loc: tuple) -> tuple[int | None, str | None]:
    """Walk the raw tree along a pydantic error location; return the deepest line and id seen."""
    line, ident, node = raw.get(LINE_KEY) if isinstance(raw, dict) else None, None, raw
    if loc and isinstance(loc[0], str) and loc[0] in getattr(raw, "key_lines", {}):
        line = raw.key_lines[loc[0]]          # the section's own line, until a record inside it says more
    for step in loc:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            line = node.get(LINE_KEY, line)
            if isinstance(node.get("id"), str):
                ident = node["id"]
    return line, ident


def _describe(err: dict) -> str:
    path = ".".join(str(p) for p in err["loc"])
    kind, msg = err["type"], err["msg"]
    if kind == "missing":
        return f"required field '{err['loc'][-1]}' is missing (at {path})"
    if kind == "extra_forbidden":
        return f"unknown field '{err['loc'][-1]}' (at {path})"
    return f"{path}: {msg}"


def validate(raw: dict[str, Any], file: str) -> SiteData:
    try:
        return SiteData.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        line, ident = _line_and_id(raw, first["loc"])
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        hint = None
        if first["type"] == "extra_forbidden":
            hint = "remove it or fix its spelling; the fields each section takes are listed in data/README.md"
        elif first["type"] == "missing":
            hint = "add it; see data/README.md for each section's required fields"
        raise SiteError(_describe(first) + more, file=file, line=line, item=ident, hint=hint) from None


def line_of_byte(data: bytes, offset: int) -> int:
    """1-based line of a byte offset (where a decoding error was found)."""
    return data.count(b"\n", 0, offset) + 1


def load_data(path: str | Path, name: str | None = None) -> SiteData:
    """The validated data file at path; messages call it `name` (e.g. 'data/asean_un.yml') if given."""
    path = Path(path)
    file = name or str(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):        # a FIFO would hang the build
            raise SiteError("the data file is not a regular file (a FIFO, a device or a socket)", file=file,
                            hint=f"put the YAML file itself at {file}")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError("data file not found", file=file,
                        hint="the macros read data/asean_un.yml (set in macros/site.py)") from None
    except IsADirectoryError:
        raise SiteError("the data file is a directory", file=file,
                        hint="data/asean_un.yml must be a YAML file; move the directory out of the way") from None
    except PermissionError:
        raise SiteError("the data file cannot be read (permission denied)", file=file,
                        hint=f"give the user running MkDocs read access, e.g. chmod a+r {path}") from None
    except OSError as exc:
        raise SiteError(f"the data file cannot be read ({exc.strerror or exc})", file=file) from None
    except UnicodeDecodeError as exc:
        raise SiteError(f"the data file is not UTF-8 ({exc.reason})", file=file,
                        line=line_of_byte(path.read_bytes(), exc.start),
                        hint="save it as UTF-8 in your editor") from None
    try:
        return _validated(text, file)
    except MemoryError:
        raise SiteError(f"ran out of memory reading the data file{_longest_line(text)}", file=file,
                        hint="the file is far larger than the site needs: look for a value pasted many times "
                             "over, or split the data") from None


@functools.lru_cache(maxsize=2)
def _validated(text: str, file: str) -> SiteData:
    """Parsed and validated once per content (the model is frozen): under `mkdocs serve` a page edit changes the
    catalog, not the data file, and parsing it again took 0.4 s of each rebuild. An error is raised, not kept."""
    with collector_paused():
        return validate(parse_yaml(text, file), file)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector walks every object built so far each time it runs a full collection:
    parsing builds millions of dicts and strings and no cycles, so with the collector on, parsing a 30 MB file
    took twice as long as with it paused. Paused for the parse and validation only."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
