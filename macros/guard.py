"""Misuse of macros and template errors, turned into `file:line: [what] …; fix` messages. No MkDocs here.

- `checked(name, fn)` wraps a macro so that a wrong number of arguments, an unknown keyword or a value
  of the wrong type (`ref(123)`, an integer pin) is reported in the page's own terms: the macro, what is
  wrong, and the call to write instead. Python's own TypeError would count hidden parameters and end in
  a traceback.
- `page_error(...)` turns whatever a page's rendering raised (a SiteError from a macro, a Jinja syntax
  error, an undefined name, a missing include, the sandbox refusing an attribute, a bug) into a SiteError
  at the page's true line: the template's line plus the front matter MkDocs cut off.
"""
from __future__ import annotations


import inspect
import re
from collections.abc import Callable, Iterable

from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from .errors import SiteError, did_you_mean

TEMPLATE_FILE = "<template>"          # the file name Jinja gives a template made from a string


class Spec:
    """What a macro takes, read from the render function's signature (minus the catalog and context)."""

    def __init__(self, name: str, fn: Callable, hidden: int = 2):
        self.name = name
        params = list(inspect.signature(fn).parameters.values())[hidden:]
        # `*ids` (e.g. timeline_lanes): any number of positional arguments, each checked like that parameter
        self.varargs = next((p.name for p in params if p.kind is inspect.Parameter.VAR_POSITIONAL), None)
        params = [p for p in params if p.kind not in (inspect.Parameter.VAR_POSITIONAL,
                                                      inspect.Parameter.VAR_KEYWORD)]
        self.params = [p.name for p in params]
        self.required = [p.name for p in params if p.default is inspect.Parameter.empty]
        # Annotations are strings (PEP 563): 'str' or 'str | None' mark a text argument.
        every = list(inspect.signature(fn).parameters.values())[hidden:]
        self.text = {p.name for p in every if str(p.annotation).replace(" ", "") in ("str", "str|None")}
        self.optional_none = {p.name for p in params if p.default is None}

    def usage(self) -> str:
        shown = [p if p in self.required else f"{p}=…" for p in self.params]
        if self.varargs:
            shown.append(f"{self.varargs[:-1] if self.varargs.endswith('s') else self.varargs}, …")
        return f"{self.name}({', '.join(shown)})"

    def takes(self) -> str:
        low, high = len(self.required), len(self.params)
        if self.varargs:
            return f"{low} or more arguments ({', '.join([*self.params, '*' + self.varargs])})"
        count = (f"no arguments" if high == 0 else f"{high} argument{'s' * (high != 1)}" if low == high
                 else f"{low} to {high} arguments")
        return count + (f" ({', '.join(self.params)})" if self.params else "")

    def check(self, args: tuple, kwargs: dict) -> None:
        for key in kwargs:
            if key not in self.params:
                raise SiteError(f"{self.name}() has no argument '{key}'",
                                hint=(did_you_mean(key, self.params) or f"{self.name}() takes {self.takes()}")
                                + f"; write {self.usage()}")
        given = len(args) + len(kwargs)
        if self.varargs:
            for value in args[len(self.params):]:
                if self.varargs in self.text and not isinstance(value, str):
                    raise SiteError(f"{self.name}(): each of {self.varargs} must be a quoted string, not "
                                    f"{value!r} ({type(value).__name__})",
                                    hint=f"write {self.name}({', '.join(repr(str(v)) for v in args)})")
            args = args[:len(self.params)]
        elif len(args) > len(self.params):
            raise SiteError(f"{self.name}() takes {self.takes()} but {given} were given",
                            hint=f"write {self.usage()}")
        bound = dict(zip(self.params, args))
        for key, value in kwargs.items():
            if key in bound:
                raise SiteError(f"{self.name}() is given '{key}' twice (by position and by name)",
                                hint=f"write {self.usage()}")
            bound[key] = value
        missing = [p for p in self.required if p not in bound]
        if missing:
            raise SiteError(f"{self.name}() takes {self.takes()} but {given} were given (missing "
                            f"{', '.join(repr(m) for m in missing)})", hint=f"write {self.usage()}")
        for key, value in bound.items():
            if key in self.text and not isinstance(value, str) and not (value is None and key in self.optional_none):
                fixed = ", ".join(repr(str(v)) if k == key else repr(v) for k, v in bound.items())
                raise SiteError(f"{self.name}(): '{key}' must be a quoted string, not {value!r} "
                                f"({type(value).__name__})", hint=f"write {self.name}({fixed})")


def checked(name: str, fn: Callable, call: Callable, hidden: int = 2) -> Callable:
    """`call(*args, **kwargs)` behind the argument checks of `fn`'s signature."""
    spec = Spec(name, fn, hidden)

    def macro(*args, **kwargs):
        spec.check(args, kwargs)
        return call(*args, **kwargs)
    macro.__name__ = name
    macro.__doc__ = fn.__doc__
    return macro


def template_line(error: BaseException) -> int | None:
    """Line in the page's template where the error happened (the outermost template frame)."""
    if isinstance(error, TemplateSyntaxError) and error.name is None:
        return error.lineno
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_FILE:
            return tb.tb_lineno
        tb = tb.tb_next
    return None


def page_error(error: BaseException, src: str, offset: int, names: Iterable[str],
               markdown: str | None = None) -> SiteError:
    """Any exception from rendering page `src` as a located SiteError.

    offset: lines of front matter above the Markdown that was rendered; names: macros and variables a
    page may use (for "did you mean").
    """
    line = template_line(error)
    line = line + offset if line else None
    if isinstance(error, SiteError):
        error.file = error.file or src
        error.line = error.line or line
        return SiteError(error.what, file=error.file, line=error.line, item=error.item, hint=error.hint)
    if isinstance(error, TemplateSyntaxError):
        if error.name:         # inside an included file: its own line
            return SiteError(f"template syntax error in included file: {error.message}",
                             file=f"docs/{error.name}", line=error.lineno,
                             hint=f"included from {src}" + (f":{line}" if line else ""))
        return SiteError(f"template syntax error: {error.message}", file=src, line=line,
                         hint="check the {{ … }} or {% … %} on that line; to show braces literally, "
                              "wrap them in {% raw %} … {% endraw %}")
    if isinstance(error, TemplateNotFound):
        statement = _statement_at(markdown, line - offset if line else None, error.name)
        return SiteError(f"{{% {statement} %}} of '{error.name}': no such file", file=src, line=line,
                         hint="include paths are relative to docs/ (e.g. {% include 'snippets/note.md' %}); "
                              "check the name")
    if isinstance(error, SecurityError):
        return SiteError(f"the page reaches into Python internals ({error})", file=src, line=line,
                         hint="pages may only call the site's macros and read plain values (data/README.md)")
    if isinstance(error, UndefinedError):
        text = str(error)
        name = text.split("'")[1] if text.count("'") >= 2 else ""
        return SiteError(f"{text} (a macro or variable that does not exist)", file=src, line=line,
                         hint=(did_you_mean(name, names) if name else None)
                         or "check the spelling; macros are listed in data/README.md")
    return SiteError(f"{type(error).__name__} while rendering the page: {error}", file=src, line=line,
                     hint="an unexpected input reached a macro: check the call on that line, and report it "
                          "(with this message) so the macro can explain itself next time")


def _statement_at(markdown: str | None, line: int | None, name: str) -> str:
    """Which statement named the missing template on that line: include, import, from or extends."""
    rows = markdown.splitlines() if markdown else []
    text = rows[line - 1] if line and 0 < line <= len(rows) else ""
    for m in re.finditer(r"\{%-?\s*(include|import|from|extends)\b([^%]*)", text):
        if name in m.group(2):
            return m.group(1)
    return "include"


def front_matter_offset(source: str, markdown: str) -> int:
    """Lines above `markdown` in the page's source text (front matter and the blank lines after it)."""
    return max(source.count("\n") - markdown.count("\n"), 0)
