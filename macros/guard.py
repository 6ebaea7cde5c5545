"""Misuse of macros and template errors, turned into `file:line: [what] …; fix` messages. No MkDocs here.

- `checked(name, fn)` wraps a macro so that a wrong number of arguments, an unknown keyword or a value
  of the wrong type (`ref(123)`, an integer pin) is reported in the page's own terms: the macro, what is
  wrong, and the call to write instead. Python's own TypeError would count hidden parameters and end in
  a traceback.
- `front_matter_offset(...)`: the lines of front matter above the Markdown an engine hands over, so a
  message names the page's true line.
"""
from __future__ import annotations


import inspect
from collections.abc import Callable

from .errors import SiteError, did_you_mean

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


def front_matter_offset(source: str, markdown: str) -> int:
    """Lines above `markdown` in the page's source text (front matter and the blank lines after it)."""
    return max(source.count("\n") - markdown.count("\n"), 0)
